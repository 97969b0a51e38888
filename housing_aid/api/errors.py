"""Error shapes of API.md: 400 field -> messages, 401/403/404, 409 with the allowed transitions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from housing_aid.cases import CaseConflict
from housing_aid.middleware import outside_calendar_message
from housing_aid.workdays import OutsideCalendar


def conflict_body(case, detail, code: str, user) -> dict:
    return {
        "detail": str(detail),
        "code": code,
        "status": getattr(case, "status", None),
        # A certificate program has actions but no state machine: no transitions to offer.
        "allowed_transitions": case.available_transitions_for(user)
        if hasattr(case, "available_transitions_for") and user is not None
        else [],
    }


def _django_validation_error_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        )
    return exceptions.ValidationError({"non_field_errors": [str(m) for m in exc.messages]})


def exception_handler(exc, context):
    if isinstance(exc, CaseConflict):
        request = context.get("request")
        user = exc.user or (request.user if request is not None else None)
        return Response(conflict_body(exc.case, exc.detail, exc.code, user), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, OutsideCalendar):
        exc = exceptions.ValidationError({"non_field_errors": [outside_calendar_message()]})
    elif isinstance(exc, DjangoValidationError):
        exc = _django_validation_error_to_drf(exc)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*(exc.args or ()))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.ParseError):
        # A body that is not JSON: the 400 shape of API.md, not DRF's {"detail": ...}.
        exc = exceptions.ValidationError({"non_field_errors": [exc.detail]})
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and isinstance(exc, exceptions.ValidationError)
        and isinstance(response.data, list)
    ):
        response.data = {"non_field_errors": response.data}
    return response


def page_not_found(request, exception):
    """``handler404``: a URL under ``/api/`` that matches no route (a key of the wrong type,
    an unknown service) answers the API's JSON 404 body, not Django's HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """``handler400``: a request Django refuses before any view (too many form fields, a
    suspicious header) answers the API's JSON 400 body under ``/api/``."""
    if request.path.startswith("/api/"):
        return JsonResponse({"non_field_errors": [_("The request is malformed or too large.")]}, status=400)
    return defaults.bad_request(request, exception)
