"""No Docker engine runs here: parse the compose file and the Procfile, and check that
every command they name exists (the WSGI path, the Celery app, management commands)."""

from __future__ import annotations

import importlib
import shlex
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _check_command(argv: list[str]) -> None:
    program = argv[0]
    if program == "gunicorn":
        module, _, attr = argv[1].partition(":")
        assert callable(getattr(importlib.import_module(module), attr))
    elif program == "celery":
        assert argv[1] == "-A"
        app = importlib.import_module(argv[2]).celery_app
        assert app.main == "housing_aid"
        assert argv[3] in {"worker", "beat"}
        if "--scheduler" in argv:
            module, _, attr = argv[argv.index("--scheduler") + 1].partition(":")
            assert getattr(importlib.import_module(module), attr)
    elif program == "python":
        assert argv[1] == "manage.py"
        from django.core.management import get_commands

        assert argv[2] in get_commands()
    else:
        raise AssertionError(f"unknown program {program}")


def test_compose_runs_the_production_shape():
    services = _compose()["services"]

    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    beats = [s for s in services.values() if "beat" in (s.get("command") or [])]
    assert len(beats) == 1
    assert services["beat"]["deploy"]["replicas"] == 1


def test_every_compose_command_exists():
    for name, service in _compose()["services"].items():
        command = service.get("command")
        if name in {"postgres", "redis"} or command is None:
            continue
        _check_command(command)


def test_every_procfile_command_exists():
    for line in (ROOT / "Procfile").read_text().splitlines():
        _name, _, command = line.partition(":")
        _check_command(shlex.split(command.replace("${PORT:-8000}", "8000")))


def test_dockerfile_installs_weasyprint_libraries_and_kazakh_fonts():
    dockerfile = (ROOT / "Dockerfile").read_text()

    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core", "gettext"):
        assert package in dockerfile
    assert "housing_aid.wsgi:application" in dockerfile


def _production_env() -> dict:
    import os

    drop = {
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_DEBUG",
        "DJANGO_SETTINGS_MODULE",
        "DATABASE_URL",
    }
    return {k: v for k, v in os.environ.items() if k not in drop} | {
        "DJANGO_SETTINGS_MODULE": "housing_aid.settings"
    }


def test_production_settings_without_a_secret_key_still_check_migrations():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr[-2000:]


def test_production_settings_refuse_to_sign_without_a_secret_key():
    import subprocess
    import sys

    code = "import django; django.setup(); from django.core import signing; signing.dumps('x')"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
