"""Stage rows created directly (the services create them through the kernel)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from housing_aid import registry
from housing_aid.models import CaseStage, ServiceProvider

_ids = itertools.count(1)

SERIES = {"housing_assistance": "HA", "housing_certificate": "HC", "complaint": "CM"}


def case_content_type(service: str = "housing_assistance") -> ContentType:
    """A registered case model's content type when the service exists, else any model's."""
    model = registry.model_for_service(service) or ServiceProvider
    return ContentType.objects.get_for_model(model)


def make_stage(
    provider,
    due_date: dt.date,
    *,
    service: str = "housing_assistance",
    stage: str = "review",
    assignee=None,
    started_on: dt.date | None = None,
    closed_on: dt.date | None = None,
    object_id: int | None = None,
) -> CaseStage:
    n = object_id or next(_ids) + 1_000_000
    closed_at = None
    if closed_on is not None:
        closed_at = dt.datetime.combine(closed_on, dt.time(12), tzinfo=timezone.get_current_timezone())
    return CaseStage.objects.create(
        content_type=case_content_type(service),
        object_id=n,
        provider=provider,
        service=service,
        case_number=f"{SERIES[service]}-{provider.code}-{due_date.year}-{n % 100000:05d}",
        stage=stage,
        started_on=started_on or due_date - dt.timedelta(days=3),
        due_date=due_date,
        assignee=assignee,
        closed_at=closed_at,
        closed_on=closed_on,
    )


@pytest.fixture
def stage_factory():
    return make_stage


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A moment on ``day`` in Almaty (working hours by default)."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())
