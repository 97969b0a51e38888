"""The SLA sweep over 100,000 open cases (``make bench``).

Rows are bulk-inserted: due dates spread over three weeks around today, a third
unassigned, over three providers and the three services. The first sweep writes every
notification; a second sweep over the same rows (the steady state, every five minutes)
writes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from housing_aid.models import CaseStage, ServiceProvider
from housing_aid.sla import services
from housing_aid.sla.models import Notification
from tests.factories import staff_user

OPEN_CASES = 100_000
TODAY = dt.date(2025, 6, 17)  # a Tuesday
SERVICES = [
    ("housing_assistance", "HA", "review"),
    ("housing_certificate", "HC", "consideration"),
    ("complaint", "CM", "answer"),
]


def _now():
    return dt.datetime.combine(TODAY, dt.time(10), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def open_cases(reference):
    providers = list(ServiceProvider.objects.order_by("code")[:3])
    officers, heads = [], []
    for i, provider in enumerate(providers):
        officers += [staff_user(f"bench_officer_{i}_{k}", "case_officer", provider) for k in range(3)]
        staff_user(f"bench_complaints_{i}", "complaints_officer", provider)
        heads.append(staff_user(f"bench_head_{i}", "head", provider))
    ct = ContentType.objects.get_for_model(ServiceProvider)
    rng = random.Random(7)
    batch = []
    for n in range(OPEN_CASES):
        provider = providers[n % len(providers)]
        service, series, stage = SERVICES[n % 3]
        due = TODAY + dt.timedelta(days=rng.randint(-7, 14))
        batch.append(
            CaseStage(
                content_type=ct,
                object_id=n + 1,
                provider=provider,
                service=service,
                case_number=f"{series}-{provider.code}-2025-{n:06d}",
                stage=stage,
                started_on=due - dt.timedelta(days=5),
                due_date=due,
                assignee=None if n % 3 == 0 else rng.choice(officers),
            )
        )
    CaseStage.objects.bulk_create(batch, batch_size=10_000)
    return OPEN_CASES


def _sweep():
    with time_machine.travel(_now(), tick=False):
        # e-mail tasks are measured apart: here the sweep's database work
        return services.sweep(send_emails=False)


def test_first_sweep_over_100k_open_cases(benchmark, open_cases):
    def reset():
        Notification.objects.all().delete()
        return (), {}

    result = benchmark.pedantic(_sweep, setup=reset, rounds=2, iterations=1)

    print(f"\nfirst sweep over {open_cases} open stages: {result.created}")
    assert result.total > 0
    assert Notification.objects.count() == result.total


def test_repeated_sweep_over_100k_open_cases_writes_nothing(benchmark, open_cases):
    first = _sweep()

    result = benchmark.pedantic(_sweep, rounds=3, iterations=1)

    print(f"\nrepeated sweep: first wrote {first.total}, this one {result.total}")
    assert result.total == 0
