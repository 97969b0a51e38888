"""``pip install .`` ships the compiled translations (issue 10): the wheel, installed into a
fresh virtual environment and run outside the source tree, answers an API error in Kazakh."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

from housing_aid.msgfmt import parse_po

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.xdist_group("wheel")

CHECK = textwrap.dedent(
    """
    import os, sys
    os.environ.update(DJANGO_SETTINGS_MODULE="housing_aid.settings", DJANGO_DEBUG="1")
    import django
    django.setup()
    import housing_aid
    from django.test import Client
    assert "site-packages" in housing_aid.__file__, housing_aid.__file__
    kk = Client(HTTP_ACCEPT_LANGUAGE="kk").get("/api/v1/status/?number=%00")
    ru = Client().get("/api/v1/status/?number=%00")
    print(kk.status_code, kk.json()["non_field_errors"][0])
    print(ru.status_code, ru.json()["non_field_errors"][0])
    """
)


def test_the_installed_wheel_answers_in_kazakh_and_russian(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:  # a clean checkout: no .mo compiled by make messages
        if (ROOT / name).is_file() and not name.endswith(".mo"):
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((ROOT / name).read_bytes())
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(tmp_path / "dist"), str(source)], check=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    wheel = next((tmp_path / "dist").glob("housing_aid-*.whl"))
    subprocess.run([*pip, "--python", str(python), "install", "--no-deps", str(wheel)], check=True)
    # The dependencies come from the test environment, after the fresh site-packages.
    fresh_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(fresh_site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    result = subprocess.run(
        [str(python), "-c", CHECK],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )

    assert result.returncode == 0, result.stderr
    kk_line, ru_line = result.stdout.strip().splitlines()[-2:]
    kk = parse_po((ROOT / "housing_aid/locale/kk/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    ru = parse_po((ROOT / "housing_aid/locale/ru/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    message = b"The request contains a NUL character."
    assert kk_line == "400 " + kk[message].decode()
    assert ru_line == "400 " + ru[message].decode()
    assert "Сұраныста" in kk_line


def test_the_pure_python_compiler_matches_gnu_msgfmt(tmp_path):
    import gettext

    from housing_aid.msgfmt import compile_file

    po = ROOT / "housing_aid/locale/kk/LC_MESSAGES/django.po"
    ours = compile_file(po, tmp_path / "ours.mo")
    subprocess.run(["msgfmt", "-o", str(tmp_path / "gnu.mo"), str(po)], check=True)
    mine = gettext.GNUTranslations(ours.open("rb"))._catalog
    gnu = gettext.GNUTranslations((tmp_path / "gnu.mo").open("rb"))._catalog
    mine.pop("")
    gnu.pop("")
    assert mine == gnu
    assert len(mine) > 50
