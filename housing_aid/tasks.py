"""Thin Celery tasks of the kernel: take ids, call a service, safe to run twice.

acks_late (set globally too): a task is acknowledged after it ran, so a worker that dies
mid-task leaves it to another. Retries back off at most RETRY_BACKOFF_MAX seconds, well
under half the broker's visibility timeout, so Redis never redelivers a task that is
merely waiting for its countdown.
"""

from __future__ import annotations

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.module_loading import import_string

VISIBILITY_TIMEOUT = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
RETRY_BACKOFF_MAX = min(600, VISIBILITY_TIMEOUT // 2)
ISSUE_DOCUMENTS_TASK = "documents.issue"


def retried_task(name: str, *, retry_on: tuple[type[Exception], ...], max_retries: int):
    """A task acknowledged after it ran and retried with exponential backoff on ``retry_on``."""
    return shared_task(
        name=name,
        acks_late=True,
        autoretry_for=retry_on,
        retry_backoff=True,
        retry_backoff_max=RETRY_BACKOFF_MAX,
        max_retries=max_retries,
    )


@retried_task(ISSUE_DOCUMENTS_TASK, retry_on=(Exception,), max_retries=5)
def issue_case_documents(model_label: str, pk: int, user_id: int | None = None) -> int:
    """Issue the documents the case's state calls for. Idempotent: one issued-document row per
    case and kind (a unique constraint), so a retry or a second run issues nothing twice."""
    model = apps.get_model(model_label)
    case = model.objects.get(pk=pk)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return len(import_string(model.DOCUMENT_ISSUER)(case, user))
