"""The edge: hostile input answers 400 before a view sees it, sessions time out.

API.md, conventions: "Bad input never answers 500: a NUL byte anywhere, a date outside the
calendar's range, a body nested too deep or too large, a wrong type -> 400 with a message."
PostgreSQL refuses NUL in text, ``json`` recurses once per nesting level and the production
calendar covers FIRST_YEAR..LAST_YEAR; each of those is refused here, with a message.
"""

from __future__ import annotations

import re
import time
from urllib.parse import unquote_to_bytes

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from housing_aid.workdays import OutsideCalendar

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_ESCAPED_NUL = re.compile(rb"\\u0000", re.IGNORECASE)
# Half of a UTF-16 surrogate pair, escaped in JSON (\ud800 without its \udc00, or the reverse):
# json.loads makes a str that no UTF-8 encoder takes (the database, the answer echoing it).
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def json_depth(body: bytes) -> int:
    """The deepest nesting of ``[``/``{`` in a JSON text, strings skipped (no recursion)."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_JSON_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def bad_request(request, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"non_field_errors": [message]}, status=400)
    # A screen's user gets a page in their language that says what was wrong, not a bare line.
    return HttpResponse(render_to_string("400.html", {"message": message}), status=400)


def _nul_message() -> str:
    return _("The request contains a NUL character.")


def _is_nul_error(exc: Exception) -> bool:
    # psycopg: "A string literal cannot contain NUL (0x00) characters."
    return isinstance(exc, ValueError) and "NUL (0x00)" in str(exc)


class HostileInputMiddleware:
    """NUL bytes in the path, the query or a text body, JSON nested deeper than
    ``MAX_JSON_DEPTH`` or larger than ``MAX_JSON_BYTES`` -> 400; dates outside the calendar
    and NUL bytes that reach the database (multipart fields) -> 400 too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = self._refuse(request)
        if refused is not None:
            return refused
        return self.get_response(request)

    def _refuse(self, request) -> HttpResponse | None:
        raw_path = request.META.get("PATH_INFO", "")
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in raw_path or b"\x00" in unquote_to_bytes(query) or "\x00" in request.path:
            return bad_request(request, _nul_message())
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        if content_type.startswith("multipart/"):
            # Files may hold any byte; the text fields may not. DRF reuses the parsed form.
            if request.method != "POST":
                return None
            try:
                fields = request.POST
            except (MultiPartParserError, SuspiciousOperation):
                # Too many fields or parts, too large, or not multipart at all: the stream is
                # spent, so no view could read the body any more (DRF would answer 500).
                return bad_request(request, _("The form in the request is malformed or too large."))
            if any("\x00" in value for values in fields.lists() for value in values[1]):
                return bad_request(request, _nul_message())
            return None
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        is_json = content_type == "application/json" or content_type.endswith("+json")
        if is_json and length > settings.MAX_JSON_BYTES:
            return bad_request(
                request, _("The request body is larger than %(n)s bytes.") % {"n": settings.MAX_JSON_BYTES}
            )
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return None  # Django refuses it with 400 (RequestDataTooBig) when read
        body = request.body
        if b"\x00" in body:
            return bad_request(request, _nul_message())
        if content_type == "application/x-www-form-urlencoded" and b"%00" in body:
            return bad_request(request, _nul_message())
        if is_json:
            if _ESCAPED_NUL.search(body):
                return bad_request(request, _nul_message())
            if _LONE_SURROGATE.search(body):
                return bad_request(request, _("The request contains text that is not valid Unicode."))
            if json_depth(body) > settings.MAX_JSON_DEPTH:
                return bad_request(
                    request,
                    _("The request body is nested deeper than %(n)s levels.")
                    % {"n": settings.MAX_JSON_DEPTH},
                )
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, OutsideCalendar):
            return bad_request(request, outside_calendar_message())
        if _is_nul_error(exception):
            return bad_request(request, _nul_message())
        if isinstance(exception, RecursionError):
            return bad_request(request, _("The request is nested too deeply."))
        return None


def outside_calendar_message() -> str:
    from housing_aid.workdays import FIRST_YEAR, LAST_YEAR

    return _("The date lies outside the production calendar (%(first)s-%(last)s).") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def _mark_sign_in(sender, request, user, **kwargs):
    if hasattr(request, "session"):
        request.session["signed_in_at"] = request.session["seen_at"] = int(time.time())


user_logged_in.connect(_mark_sign_in, dispatch_uid="housing_aid_session_sign_in")


class SessionTimeoutMiddleware:
    """A signed-in session ends after ``SESSION_IDLE_SECONDS`` without a request and, whatever
    the activity, ``SESSION_ABSOLUTE_SECONDS`` after sign-in."""

    # Write the last-seen mark at most this often: not one session write per request.
    TOUCH_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            session = request.session
            signed_in = session.setdefault("signed_in_at", now)
            seen = session.get("seen_at", now)
            if (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - signed_in > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
            elif now - seen >= self.TOUCH_SECONDS or "seen_at" not in session:
                session["seen_at"] = now
        return self.get_response(request)


class HtmlCSPMiddleware(CSPMiddleware):
    """django-csp's Content-Security-Policy on HTML pages (PDFs open in the browser's viewer,
    which a policy meant for pages would block)."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
