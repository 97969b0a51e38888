"""Throughput of the case page (``make load``): requests/s and p50 / p95 latency of the case
page for a signed-in case officer and of the login page, on sync gunicorn workers, measured
with ``wrk`` on loopback; the ratio of the two is the figure issue 14 asks for.

    make load                    # 2 workers, 8 connections, 20 s a page
    LOAD_WORKERS=2 LOAD_CONNECTIONS=8 LOAD_SECONDS=20 LOAD_PORT=8765 make load

Production settings: DEBUG off, a fresh secret key, ALLOWED_HOSTS, PostgreSQL and the Redis
cache (sessions read from Redis). Requests carry ``X-Forwarded-Proto: https`` as they do
behind the TLS proxy, so the production HTTPS redirect does not answer them. The data is
``seed_demo`` in its own database ``<database>_load`` (made once, kept); the case is the
officer's application with the longest history. An officer has no second-factor requirement.
The load tool shares the machine's cores with the workers: the figures are a lower bound.

The case page is kept whole for its reader (housing_aid.casepage.page), so the officer's repeated
reading of an unchanged case is served from the cache. A third run gives each request its own
query string, which the page never keeps: the page drawn afresh for the reader (its panels kept),
as for the first reading after a change of the case or by another reader.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "8"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "20"))
PORT = int(os.environ.get("LOAD_PORT", "8765"))
TARGET_RPS = 150

# wrk's summary in one line: latencies are in microseconds.
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("LOAD rps=%.1f p50=%.2f p95=%.2f requests=%d errors=%d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


# Each request its own query string (per wrk thread): the case page drawn afresh.
WRK_AFRESH = (
    """
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "?afresh=" .. n)
end
"""
    + WRK_REPORT
)


def load_database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/housing_aid")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_load"))


def production_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="housing_aid.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    return env


def prepare_database(database_url: str) -> None:
    """Create ``<database>_load`` with the demo data once (the seeding runs in DEBUG: demo keys)."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1"}
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    for command in (["migrate", "--no-input", "-v", "0"], ["seed_demo"]):
        subprocess.run(  # noqa: S603 - this interpreter and manage.py
            [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )


def collect_static(env: dict[str, str]) -> None:
    """Production serves hashed static files from ``STATIC_ROOT`` (as the Dockerfile does)."""
    subprocess.run(  # noqa: S603 - this interpreter and manage.py
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )


def sign_in_and_pick_case(env: dict[str, str]) -> tuple[str, str]:
    """The officer's session cookie (made by Django, in Redis and the database) and the URL
    of the officer's application with the most events."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count, OuterRef, Subquery
    from django.test import Client

    from applications.models import Application
    from housing_aid.models import CaseEvent

    officer = get_user_model().objects.get(username="officer")
    events = (
        CaseEvent.objects.filter(service=Application.SERVICE, object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    case = (
        Application.objects.visible_to(officer)
        .annotate(events=Subquery(events))
        .order_by("-events", "-pk")
        .first()
    )
    client = Client()
    client.force_login(officer)
    return client.cookies["sessionid"].value, case.get_absolute_url()


def wait_until_up(url: str, headers: dict, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5)  # noqa: S310 - loopback http
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {timeout:.0f} s")


def fetch(url: str, headers: dict) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback http
    response = urllib.request.urlopen(request, timeout=30)  # noqa: S310
    return response.status, response.read().decode()


def wrk(url: str, headers: dict, script: Path) -> dict:
    args = ["wrk", f"-t{min(2, CONNECTIONS)}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", str(script)]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout  # noqa: S603 - wrk
    match = re.search(r"LOAD rps=([\d.]+) p50=([\d.]+) p95=([\d.]+) requests=(\d+) errors=(\d+)", out)
    if match is None:
        raise SystemExit(f"wrk gave no summary:\n{out}")
    rps, p50, p95, requests, errors = match.groups()
    return {
        "rps": float(rps),
        "p50": float(p50),
        "p95": float(p95),
        "requests": int(requests),
        "errors": int(errors),
    }


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (Debian)")
    database_url = load_database_url()
    prepare_database(database_url)
    env = production_env(database_url)
    collect_static(env)
    cookie, case_path = sign_in_and_pick_case(env)
    base = f"http://127.0.0.1:{PORT}"
    proxy = {"X-Forwarded-Proto": "https"}
    signed_in = {**proxy, "Cookie": f"sessionid={cookie}"}
    server = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "housing_aid.wsgi",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_until_up(f"{base}/login/", proxy)
        status, body = fetch(base + case_path, signed_in)
        if status != 200 or 'name="password"' in body:
            raise SystemExit(f"the officer's session does not open {case_path} (status {status})")
        scripts = {}
        for name, text in (("report", WRK_REPORT), ("afresh", WRK_AFRESH)):
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                script.write(text)
            scripts[name] = Path(script.name)
        try:
            for _ in range(2):  # warm both workers: imports, templates, translations
                fetch(base + case_path, signed_in)
                fetch(f"{base}/login/", proxy)
            results = {
                f"case page {case_path} (officer)": wrk(base + case_path, signed_in, scripts["report"]),
                "login page /login/ (anonymous)": wrk(f"{base}/login/", proxy, scripts["report"]),
                "case page drawn afresh (officer)": wrk(base + case_path, signed_in, scripts["afresh"]),
            }
        finally:
            for script in scripts.values():
                os.unlink(script)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(
        f"\n{WORKERS} sync gunicorn workers, wrk {CONNECTIONS} connections x {SECONDS} s on loopback "
        f"(production settings, PostgreSQL, Redis sessions and cache)"
    )
    print(f"{'page':44} | {'req/s':>7} | {'p50 ms':>7} | {'p95 ms':>7} | {'requests':>8} | errors")
    for page, r in results.items():
        print(
            f"{page:44} | {r['rps']:7.1f} | {r['p50']:7.1f} | {r['p95']:7.1f} | {r['requests']:8d} | {r['errors']}"
        )
    case, login, afresh = results.values()
    verdict = "meets" if case["rps"] >= TARGET_RPS else "below"
    print(
        f"case page / login page throughput = {case['rps'] / login['rps']:.2f}; "
        f"case page {case['rps']:.0f} req/s {verdict} the target of {TARGET_RPS}; "
        f"drawn afresh {afresh['rps']:.0f} req/s ({afresh['rps'] / login['rps']:.2f} of the login page)"
    )
    if any(r["errors"] for r in results.values()):
        raise SystemExit("some requests failed (non-2xx or socket errors)")


if __name__ == "__main__":
    main()
