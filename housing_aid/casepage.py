"""The case page kept rendered in the cache: the panels that read the same for every reader of a
case (its history, documents, notes, applicant, family and calculation) under the case's version,
and the whole page of one reader (:func:`page`) under the case's version and everything else it
varies on.

A case's version is a random token in the cache. Every change to a case writes an event row
(:func:`housing_aid.cases.record_event`: every action of the runner, registration) or issues a
document (:func:`housing_aid.documents.issue_document`); both call :func:`changed`, which gives
the case a new token at once and again after the commit. A reader takes the token before it
reads any row, so a panel drawn from rows of before a commit is kept only under a token that the
commit has replaced: no reader is ever served it. A token the cache has lost is replaced by a
new one (every panel is drawn again), never guessed.

A panel's key holds the case, its token, the language and what the panel varies on (the
reader's permission to hand out documents, say). The page reads a panel only after the case was
looked up through the reader's scope (another provider's case answers 404 before any panel), and
a panel that came out holding a form with the reader's CSRF token is never kept. Panels expire
after ``PANEL_SECONDS``, which also bounds how long a renamed colleague's old name can show.

The whole page (:func:`page`) is kept per reader. Before anything kept is read, one small query
through the reader's scope (:func:`stamp`) answers 404 outside it and gives what the key takes
from the rows: the case's ``updated_at`` (a save without an event row), its executor, and what a
page names of other rows (a certificate's program budget, say). The key also holds the case's
version, its person's version (:func:`changed` gives a new one when any case of the same person
and service changes: the page lists the person's other cases and open duplicates), everything the
header and the permissions read of the reader (role, scope, names, staff profile, the bell's
count, whether the reader substitutes today for the case's executor), the language, today's date
(deadline badges) and the path. The reader's CSRF token is never kept: the page is kept with a
random mark where the token goes, replaced by ``get_token(request)`` (which also sets the CSRF
cookie) on each request. A request with flash messages, a form draft in its session or a query
string is drawn afresh and not kept. The colleague lists a page offers (executors to assign) and
the names in other rows (providers, colleagues) can lag by ``PAGE_SECONDS``.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation

from housing_aid import roles, workdays

PANEL_SECONDS = 60 * 60
PAGE_SECONDS = 5 * 60
VERSION_SECONDS = 30 * 24 * 60 * 60
CSRF_FIELD = 'name="csrfmiddlewaretoken"'


def _version_key(case) -> str:
    return _version_key_of(case._meta.label_lower, case.pk)


def _version_key_of(label: str, pk) -> str:
    return f"casepage:version:{label}:{pk}"


def _person_field(model) -> str | None:
    """The column naming the case's person: the applicant (one row per IIN) or the IIN itself."""
    if not model.STATUS_IIN_LOOKUP:
        return None
    return model._meta.get_field(model.STATUS_IIN_LOOKUP.split("__")[0]).attname


def _person_key(label: str, person) -> str:
    # No IIN, no other case listed as the same person's: one token that nothing changes.
    return f"casepage:person:{label}:{person}" if person else "casepage:person:none"


def _new_versions(keys: list[str]) -> None:
    cache.set_many({key: uuid.uuid4().hex for key in keys}, VERSION_SECONDS)


def changed(case) -> None:
    """The case changed (an event row, an issued document): its panels and pages are drawn
    again, and so are the pages of the same person's other cases of the service (they list it).

    At once, so the writer's own connection never reads a panel of before the change, and after
    the commit, so a reader that drew a panel from the rows of before the commit in between
    leaves it under a token no one reads any more."""
    field = _person_field(type(case))
    person = getattr(case, field) if field else None
    keys = [_version_key(case)] + ([_person_key(case._meta.label_lower, person)] if person else [])
    _new_versions(keys)
    transaction.on_commit(lambda: _new_versions(keys))


def _tokens(keys: list[str]) -> list[str]:
    """The current tokens under ``keys`` in one read; a lost one is replaced, never guessed."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, VERSION_SECONDS)
            found[key] = cache.get(key)
    return [found[key] for key in keys]


def version(case) -> str:
    """The case's current token, read once a request (kept on the case object)."""
    token = getattr(case, "_page_version", None)
    if token is None:
        (token,) = _tokens([_version_key(case)])
        case._page_version = token
    return token


def _panels(case) -> dict:
    """The case's kept panels in the reader's language: one read a request (kept on the case)."""
    panels = getattr(case, "_page_panels", None)
    if panels is None:
        panels = cache.get(_panels_key(case)) or {}
        case._page_panels = panels
    return panels


def _panels_key(case) -> str:
    label = case._meta.label_lower
    return f"casepage:panels:{label}:{case.pk}:{version(case)}:{translation.get_language()}"


def _kept(case, name: str, make, keep=lambda value: True):
    panels = _panels(case)
    if name in panels:
        return panels[name]
    value = make()
    if keep(value):
        panels[name] = value
        cache.set(_panels_key(case), panels, PANEL_SECONDS)
    return value


def panel(case, name: str, vary: tuple, render) -> str:
    """The panel ``name`` of the case (for a reader who varies as ``vary``), or ``render()``
    kept unless it holds the reader's CSRF token."""
    name = ":".join(["panel", name, *(str(v) for v in vary)])
    return _kept(case, name, render, keep=lambda html: CSRF_FIELD not in html)


def cached_value(case, name: str, compute):
    """What ``compute()`` reads of the case's rows (plain, picklable values), kept with the
    case's panels."""
    return _kept(case, "value:" + name, compute)


# -- the whole page of one reader ---------------------------------------------------------

# What a page takes from the session once (casework's note draft after a refused note).
SESSION_PARTS = ("note_draft",)
# What no page shows of the user row (a new sign-in changes no page).
HIDDEN_USER_FIELDS = ("password", "last_login")


@dataclass(frozen=True)
class Stamp:
    """What the page's key takes from the case's rows, read through the reader's scope."""

    label: str
    pk: int
    assignee_id: int | None
    person: object
    row: tuple


def stamp(queryset, pk: int, *extra) -> Stamp:
    """The case ``pk`` among the reader's ``queryset`` (``visible_to``), or 404: one small query,
    made before anything kept is read. ``extra``: what else the page shows of other rows
    (``values_list`` names or expressions), so that their change draws the page again."""
    model = queryset.model
    person = _person_field(model) or "pk"
    rows = list(queryset.filter(pk=pk).values_list("assignee_id", person, "updated_at", *extra)[:1])
    if not rows:
        raise Http404
    assignee_id, person_value, *row = rows[0]
    return Stamp(model._meta.label_lower, pk, assignee_id, person_value, tuple(row))


def _reader(request, case: Stamp) -> tuple:
    """What the header, the menus and the permissions read of the reader: the session's user
    row, its staff profile and providers (housing_aid.backends), the bell's count."""
    from housing_aid.casework.services import absent_colleagues
    from housing_aid.sla.templatetags.sla import unread_notifications

    user = request.user
    profile = getattr(user, "staff", None)
    staff = tuple(getattr(profile, f.attname) for f in profile._meta.concrete_fields) if profile else None
    substitutes = case.assignee_id not in (None, user.pk) and case.assignee_id in absent_colleagues(user)
    return (
        tuple(
            getattr(user, f.attname)
            for f in user._meta.concrete_fields
            if f.attname not in HIDDEN_USER_FIELDS
        ),
        staff,
        tuple((p.pk, p.name) for p in roles.providers_of(user)),
        unread_notifications({"request": request, "user": user}),
        substitutes,
    )


def _drawn_afresh(request) -> bool:
    """Flash messages (shown once) and a session's form draft belong to this request only; a
    query string (the case page reads none) would only fill the cache with copies."""
    if request.META.get("QUERY_STRING"):
        return True
    storage = getattr(request, "_messages", None)
    if storage is not None and len(messages.get_messages(request)):
        return True
    session = getattr(request, "session", None)
    return session is not None and any(name in session for name in SESSION_PARTS)


def _page_key(request, case: Stamp, vary: tuple) -> str:
    version, person = _tokens([_version_key_of(case.label, case.pk), _person_key(case.label, case.person)])
    parts = (
        case.row,
        vary,
        _reader(request, case),
        translation.get_language(),
        workdays.today().isoformat(),
        request.path,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"casepage:page:{case.label}:{case.pk}:{version}:{person}:{digest}"


def page(request, case: Stamp, render: Callable[[dict], HttpResponse], vary: tuple = ()) -> HttpResponse:
    """The case page for this reader: kept, or ``render(values)`` kept for the next request.

    ``render`` draws the page with ``values`` in its context (``csrf_token``). A page to be
    kept is drawn with a random mark for the token; each request puts its own token where the
    mark is. ``vary``: what else the key holds (rows the stamp cannot join, read by the view)."""
    if _drawn_afresh(request):
        return render({"csrf_token": get_token(request)})
    key = _page_key(request, case, vary)
    kept = cache.get(key)
    if kept is None:
        mark = f"casepage{secrets.token_hex(16)}"
        response = render({"csrf_token": mark})
        if response.status_code != 200 or response.streaming:
            return response
        kept = (mark, response["Content-Type"], response.content.decode(response.charset))
        cache.set(key, kept, PAGE_SECONDS)
    mark, content_type, html = kept
    return HttpResponse(html.replace(mark, get_token(request)), content_type=content_type)
