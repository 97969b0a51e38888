"""``make run`` works without PostgreSQL and Redis: SQLite, tasks in-process.

Runs the same management commands in a subprocess against a throwaway SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_demo_runs_on_sqlite_with_eager_tasks(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", AXES_ENABLED="0")

    for args in (("migrate", "--no-input", "-v", "0"), ("seed_demo",), ("seed_demo",), ("sla_sweep",)):
        result = _manage(*args, env=env)
        assert result.returncode == 0, f"{args}: {result.stderr[-3000:]}"

    assert "sla_sweep" in args
    assert "0 notification(s) written" in result.stdout  # the demo's own sweep already wrote them
