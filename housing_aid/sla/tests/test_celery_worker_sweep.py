"""A real Celery worker (a separate process, prefork, two children) consumes sweeps from the
real Redis: four sweeps queued at once write each notification once and send each e-mail once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from housing_aid import workdays
from housing_aid.celery import app
from housing_aid.sla import services, tasks
from housing_aid.sla.models import Notification

from .conftest import make_stage

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]


def _worker_env() -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="housing_aid.settings",
        DJANGO_DEBUG="1",  # console e-mail backend: the worker prints each message it sends
        DATABASE_URL=url,  # the test database
        REDIS_URL=settings.REDIS_URL,
        CELERY_TASK_ALWAYS_EAGER="0",
        DJANGO_CONN_MAX_AGE="0",
        PYTHONUNBUFFERED="1",
    )
    env.pop("DJANGO_EMAIL_BACKEND", None)
    return env


@pytest.fixture
def worker(tmp_path):
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # our own Redis db: nothing stale
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        proc = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "housing_aid",
                "worker",
                "--pool=prefork",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
                "-n",
                f"sla-test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=_worker_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Celery worker did not start:\n" + log.read_text()[-3000:])
            time.sleep(0.3)
        yield proc, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_concurrent_sweeps_in_a_real_worker_write_and_send_once(provider, officer, officer2, head, worker):
    proc, log = worker
    for user in (officer, officer2, head):
        user.email = f"{user.username}@example.kz"
        user.save()
    today = workdays.today()
    make_stage(provider, workdays.next_working_day(today), assignee=officer)  # reminder
    make_stage(provider, today)  # due today, unassigned: officer and officer2
    yesterday = today - dt.timedelta(days=1)
    make_stage(provider, yesterday, assignee=officer2)  # overdue + escalation to the head
    digest = 1 if services.digest_due(timezone.now()) else 0
    expected = 1 + 2 + 1 + 1 + digest
    messages = 3  # one e-mail per recipient (officer, officer2, head), listing their cases

    app.conf.task_always_eager = False
    try:
        for _ in range(4):
            tasks.sla_sweep.delay()
    finally:
        app.conf.task_always_eager = True

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        sent = Notification.objects.filter(email_sent_at__isnull=False).count()
        if sent >= expected and log.read_text().count("succeeded") >= 4 + messages:
            break
        time.sleep(0.5)
    time.sleep(1.5)  # anything sent twice would show up now

    output = log.read_text()
    assert Notification.objects.count() == expected, output[-3000:]
    assert Notification.objects.filter(email_sent_at__isnull=True).count() == 0, output[-3000:]
    assert output.count("Subject: ") == messages, output[-3000:]
    assert output.count("Task sla.sweep[") >= 4
    assert proc.poll() is None
