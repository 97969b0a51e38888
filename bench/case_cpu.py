"""CPU time of the case page in one process: ``make load``'s page, data and production settings
(bench/load.py), requests made with Django's test client, no HTTP server and no load tool.

    .venv/bin/python bench/case_cpu.py                  # CPU_REQUESTS=400
    PROFILE=cumulative .venv/bin/python bench/case_cpu.py   # or tottime: cProfile of the kept page

Prints the queries of one request and min / median CPU milliseconds a request, with the page
kept for the officer (housing_aid.casepage.page) and drawn afresh, its panels too (a new version
of the case before each request, outside the timing): on a shared machine this is steadier than
requests/s. ``PROFILE`` prints the top of a cProfile of the kept page's requests instead.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402 - bench/load.py, next to this file

REQUESTS = int(os.environ.get("CPU_REQUESTS", "400"))


def cpu_ms(client, url: str, before=None) -> list[float]:
    out = []
    for _ in range(REQUESTS):
        if before is not None:
            before()
        start = time.process_time()
        response = client.get(url, secure=True)
        out.append((time.process_time() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return out


def main() -> None:
    database_url = load.load_database_url()
    load.prepare_database(database_url)
    env = load.production_env(database_url)
    env["DJANGO_ALLOWED_HOSTS"] = "testserver"
    load.collect_static(env)
    cookie, case_path = load.sign_in_and_pick_case(env)
    from django.db import connection
    from django.test import Client

    from applications.models import Application
    from housing_aid import casepage

    client = Client()
    client.cookies["sessionid"] = cookie
    for _ in range(5):  # imports, templates, translations, the panels kept
        client.get(case_path, secure=True)
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: (queries.append(sql), execute(sql, *args))[1]
    ):
        client.get(case_path, secure=True)
    case = Application.objects.get(pk=int(case_path.strip("/").split("/")[-1]))
    print(f"case page {case_path}: {len(queries)} queries with the page kept")
    if os.environ.get("PROFILE"):
        profile = cProfile.Profile()
        profile.runcall(cpu_ms, client, case_path)
        pstats.Stats(profile).sort_stats(os.environ["PROFILE"]).print_stats(40)
        return
    for label, times in (
        ("page kept", cpu_ms(client, case_path)),
        ("drawn afresh", cpu_ms(client, case_path, before=lambda: casepage.changed(case))),
    ):
        print(
            f"{label:20} CPU ms a request: min {min(times):.2f}, median {statistics.median(times):.2f} ({REQUESTS})"
        )


if __name__ == "__main__":
    main()
