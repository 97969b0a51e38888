"""The beat schedule (also created by migration 0002) and a few demo notifications."""

from __future__ import annotations

from django.db import transaction

SWEEP_TASK_NAME = "SLA sweep"


def ensure_periodic_task():
    """The one beat entry for the sweep; an administrator's edits to it are kept."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from housing_aid.sla.tasks import SWEEP_TASK

    every, _ = IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.MINUTES)
    task, _ = PeriodicTask.objects.get_or_create(
        name=SWEEP_TASK_NAME,
        defaults={
            "task": SWEEP_TASK,
            "interval": every,
            "enabled": True,
            "expire_seconds": 240,
            "description": "Reminders, overdue notices, escalations and the heads' daily digest.",
        },
    )
    return task


def seed_reference() -> None:
    ensure_periodic_task()


@transaction.atomic
def seed_demo(with_cases: bool) -> None:
    """The schedule, and with cases one sweep so the demo bells have something to show."""
    seed_reference()
    if with_cases:
        from housing_aid.sla import services

        # in-app only: the e-mails go out with the next scheduled sweep (requeue of unsent ones)
        services.sweep(send_emails=False)
