"""Thin tasks: ids in, a service call, safe to run twice (the unique message row)."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from celery.exceptions import Retry
from django.db import DatabaseError

from housing_aid.casework import notify, sms

logger = logging.getLogger(__name__)
RETRYABLE = (smtplib.SMTPException, OSError, DatabaseError, sms.SmsError)
# What an eager run (make run, tests) raises for a failed send: caught, the row stays "failed".
EAGER_FAILURES = (Retry, *RETRYABLE)


@shared_task(
    name="casework.tell_applicant",
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
)
def tell_applicant(content_type_id: int, object_id: int, key: str, kind: str) -> list[int]:
    ids = notify.prepare(content_type_id, object_id, key, kind)
    for message_id in ids:
        try:
            send_applicant_message.delay(message_id)
        except EAGER_FAILURES:
            # Eager mode (make run, tests) runs the send here: a gateway failure must not
            # undo or fail what the user did. The row stays "failed" for the requeue.
            logger.warning("message %s to the applicant failed; it will be retried", message_id)
    return ids


@shared_task(name="casework.requeue_applicant_messages", acks_late=True)
def requeue_applicant_messages() -> int:
    """Beat: send again the messages whose task failed or was lost."""
    count = 0
    for message_id in notify.retry_candidates():
        try:
            send_applicant_message.delay(message_id)
        except EAGER_FAILURES:
            logger.warning("message %s to the applicant failed again", message_id)
        count += 1
    return count


@shared_task(
    name="casework.send_applicant_message",
    acks_late=True,
    autoretry_for=RETRYABLE,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_applicant_message(message_id: int) -> str:
    return notify.send(message_id)
