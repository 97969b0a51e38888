"""``Idempotency-Key`` for create requests: the same key from the same caller returns
the first response again and creates nothing new."""

from __future__ import annotations

import functools

from django.db import IntegrityError, transaction
from rest_framework.response import Response

from housing_aid.models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"


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
            # Lock on the key: a retry racing the first request waits for it.
            existing = (
                IdempotencyRecord.objects.select_for_update()
                .filter(user=request.user, path=path, key=key)
                .first()
            )
            if existing is not None:
                return Response(
                    existing.body, status=existing.status_code, headers={"Idempotent-Replayed": "true"}
                )
            response = view_method(self, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
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
                    transaction.set_rollback(True)
                    existing = IdempotencyRecord.objects.get(user=request.user, path=path, key=key)
                    return Response(
                        existing.body, status=existing.status_code, headers={"Idempotent-Replayed": "true"}
                    )
            return response

    return wrapper
