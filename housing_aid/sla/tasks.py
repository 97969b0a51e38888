"""Thin Celery tasks: take ids, call a service, safe to run twice.

acks_late (set globally too): a task is acknowledged after it ran, so a worker that dies
mid-task leaves it to another. Retries back off at most RETRY_BACKOFF_MAX seconds, well
under half the broker's visibility timeout, so Redis never redelivers a task that is
merely waiting for its countdown.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from housing_aid.sla import services

VISIBILITY_TIMEOUT = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
RETRY_BACKOFF_MAX = min(600, VISIBILITY_TIMEOUT // 2)
SWEEP_TASK = "sla.sweep"


@shared_task(
    name=SWEEP_TASK,
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=3,
)
def sla_sweep() -> dict:
    """The beat-scheduled sweep (also ``manage.py sla_sweep``)."""
    return services.sweep().as_dict()


@shared_task(
    name="sla.send_notification_email",
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError, DatabaseError),
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=8,
)
def send_notification_email(notification_id: int) -> str:
    return services.send_notification_email(notification_id)


@shared_task(
    name="sla.send_recipient_email",
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError, DatabaseError),
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_MAX,
    max_retries=8,
)
def send_recipient_email(recipient_id: int, at: str | None = None) -> str:
    """One message per recipient per sweep, listing their cases (``at``: the sweep's time)."""
    return services.send_recipient_email(recipient_id, dt.datetime.fromisoformat(at) if at else None)
