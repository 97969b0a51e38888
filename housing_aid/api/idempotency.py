"""``Idempotency-Key`` for create requests: the same key from the same caller returns
the first response again and creates nothing new, also when the retry races the first."""

from __future__ import annotations

import functools
import hashlib

from django.db import IntegrityError, connection, transaction
from rest_framework.response import Response

from housing_aid.models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"


def _replay(record: IdempotencyRecord) -> Response:
    return Response(record.body, status=record.status_code, headers={"Idempotent-Replayed": "true"})


def _lock_key(user_id: int, path: str, key: str) -> None:
    """Serialise requests with the same key (PostgreSQL advisory lock, released at commit):
    the second waits for the first and then finds its record."""
    if connection.vendor != "postgresql":
        return  # SQLite serialises writers anyway
    digest = hashlib.sha256(f"{user_id}:{path}:{key}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)])


def idempotent(view_method):
    """Decorate a DRF ``create``/``post`` method."""

    @functools.wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        key = request.META.get(HEADER, "").strip()
        if not key or not request.user.is_authenticated:
            return view_method(self, request, *args, **kwargs)
        key = key[:255]
        path = request.path[:255]
        with transaction.atomic():
            _lock_key(request.user.pk, path, key)
            existing = IdempotencyRecord.objects.filter(user=request.user, path=path, key=key).first()
            if existing is not None:
                return _replay(existing)
            response = view_method(self, request, *args, **kwargs)
            if not 200 <= response.status_code < 300:
                return response  # a refused request does not use up the key
            try:
                with transaction.atomic():
                    IdempotencyRecord.objects.create(
                        user=request.user,
                        path=path,
                        key=key,
                        status_code=response.status_code,
                        body=response.data,
                    )
            except IntegrityError:
                # Another process stored this key first (no advisory lock on SQLite): keep theirs,
                # undo ours.
                existing = IdempotencyRecord.objects.get(user=request.user, path=path, key=key)
                transaction.set_rollback(True)
                return _replay(existing)
            return response

    return wrapper
