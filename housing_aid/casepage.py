"""The case page's panels that read the same for every reader of a case (its history, documents,
notes, applicant, family and calculation), kept rendered in the cache under the case's version.

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
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils import translation

PANEL_SECONDS = 60 * 60
VERSION_SECONDS = 30 * 24 * 60 * 60
CSRF_FIELD = 'name="csrfmiddlewaretoken"'


def _version_key(case) -> str:
    return f"casepage:version:{case._meta.label_lower}:{case.pk}"


def _new_version(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, VERSION_SECONDS)


def changed(case) -> None:
    """The case changed (an event row, an issued document): its panels are drawn again.

    At once, so the writer's own connection never reads a panel of before the change, and after
    the commit, so a reader that drew a panel from the rows of before the commit in between
    leaves it under a token no one reads any more."""
    key = _version_key(case)
    _new_version(key)
    transaction.on_commit(lambda: _new_version(key))


def version(case) -> str:
    """The case's current token, read once a request (kept on the case object)."""
    token = getattr(case, "_page_version", None)
    if token is None:
        key = _version_key(case)
        token = cache.get(key)
        if token is None:
            cache.add(key, uuid.uuid4().hex, VERSION_SECONDS)
            token = cache.get(key)
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
