"""Thin Celery tasks of the kernel: take ids, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.module_loading import import_string

ISSUE_DOCUMENTS_TASK = "documents.issue"


@shared_task(
    name=ISSUE_DOCUMENTS_TASK,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def issue_case_documents(model_label: str, pk: int, user_id: int | None = None) -> int:
    """Issue the documents the case's state calls for. Idempotent: one issued-document row per
    case and kind (a unique constraint), so a retry or a second run issues nothing twice."""
    model = apps.get_model(model_label)
    case = model.objects.get(pk=pk)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return len(import_string(model.DOCUMENT_ISSUER)(case, user))
