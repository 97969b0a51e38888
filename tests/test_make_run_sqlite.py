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

    # Every desk's screens on SQLite: the worklists with the filters that compile their own SQL
    # (the page's rows by key, the capped count, substitutions and saved filters compiled once),
    # case pages, the dashboard (which counts rows here, not PostgreSQL's summaries), the admin.
    result = _manage("shell", "-c", PAGES, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "pages: " in result.stdout and "failed: []" in result.stdout, result.stdout[-3000:]


PAGES = """
from django.test import Client
from applications.models import Application
from certificates.models import CertificateRequest
from complaints.models import Complaint
from housing_aid.models import StaffProfile
queries = ({}, {"state": "all"}, {"order": "newest"}, {"scope": "mine"}, {"q": "ов", "state": "all"})
pages = [(url, query) for url in ("/applications/", "/certificates/", "/complaints/") for query in queries]
for model, url in ((Application, "/applications/"), (CertificateRequest, "/certificates/"), (Complaint, "/complaints/")):
    pages += [(f"{url}{pk}/", {}) for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:2]]
pages += [(url, {}) for url in ("/sla/dashboard/", "/sla/notifications/", "/admin/applications/application/")]
failed, count = [], 0
for profile in StaffProfile.objects.select_related("user"):
    client = Client()
    client.force_login(profile.user)
    for url, query in pages:
        status = client.get(url, query).status_code
        count += 1
        if status >= 500:
            failed.append((profile.user.username, url, query, status))
print("pages:", count, "failed:", failed)
"""
