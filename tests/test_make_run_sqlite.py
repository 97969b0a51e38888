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

    # Every desk's worklists on SQLite, with the filters that compile their own SQL (the page's
    # rows by key, the capped count, substitutions and saved filters compiled once).
    result = _manage("shell", "-c", PAGES, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "pages: " in result.stdout and "failed: []" in result.stdout, result.stdout[-3000:]


PAGES = """
from django.test import Client
from housing_aid.models import StaffProfile
failed, pages = [], 0
for profile in StaffProfile.objects.select_related("user"):
    client = Client()
    client.force_login(profile.user)
    for url in ("/applications/", "/certificates/", "/complaints/"):
        for query in ({}, {"state": "all"}, {"order": "newest"}, {"scope": "mine"}, {"q": "ов", "state": "all"}):
            response = client.get(url, query)
            pages += 1
            if response.status_code not in (200, 404):
                failed.append((profile.user.username, url, query, response.status_code))
print("pages:", pages, "failed:", failed)
"""
