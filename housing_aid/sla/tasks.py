"""Thin Celery tasks of the deadline engine: take ids, call a service, safe to run twice
(acknowledged late, retried with backoff: ``housing_aid.tasks.retried_task``)."""

from __future__ import annotations

import datetime as dt
import smtplib

from django.db import DatabaseError

from housing_aid.sla import services
from housing_aid.tasks import retried_task

SWEEP_TASK = "sla.sweep"
MAIL_ERRORS = (smtplib.SMTPException, OSError, DatabaseError)


@retried_task(SWEEP_TASK, retry_on=(DatabaseError,), max_retries=3)
def sla_sweep() -> dict:
    """The beat-scheduled sweep (also ``manage.py sla_sweep``)."""
    return services.sweep().as_dict()


@retried_task("sla.send_notification_email", retry_on=MAIL_ERRORS, max_retries=8)
def send_notification_email(notification_id: int) -> str:
    return services.send_notification_email(notification_id)


@retried_task("sla.send_recipient_email", retry_on=MAIL_ERRORS, max_retries=8)
def send_recipient_email(recipient_id: int, at: str | None = None) -> str:
    """One message per recipient per sweep, listing their cases (``at``: the sweep's time)."""
    return services.send_recipient_email(recipient_id, dt.datetime.fromisoformat(at) if at else None)
