"""What the three worklists share: the scope ("my cases" includes the colleagues I cover
for), the sorts an index serves, the active filters as removable chips, a result count that
never counts the whole caseload, saved filters, bulk assignment and the CSV export.

Each service's selectors give the filtered queryset (``worklist_queryset(user, params)``);
this module only reads it, so the export lists exactly what the worklist shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from housing_aid import roles
from housing_aid.casework import services
from housing_aid.casework.models import SavedFilter, Substitution
from housing_aid.paging import SCOPES
from housing_aid.roles import Role

# Only the orders an index serves, so keyset paging stays one index range a page:
# the due date (the partial index of open cases: provider, due date, id) and the
# registration order (the primary key: newest first).
SORTS = ("due", "newest")
# The count shown above a list: exact up to this, "more than" beyond (a LIMIT, not a COUNT(*)).
COUNT_CAP = 500
EXPORT_CAP = 5000
# Query parameters that are paging or sorting, not filters.
NOT_FILTERS = frozenset({"after", "before", "page", "order"})
FILTER_LABELS = {
    "scope": _("Scope"),
    "state": _("Cases"),
    "status": _("Status"),
    "stage": _("Stage"),
    "deadline": _("Deadline"),
    "channel": _("Channel"),
    "kind": _("Kind of support"),
    "addressee": _("Addressee"),
    "overdue": _("Overdue only"),
    "q": _("Search"),
}


def scope(queryset: QuerySet, user, value: str, open_q: Q) -> QuerySet:
    """``mine``: assigned to me or to a colleague I substitute for today; ``unassigned``:
    open cases without an executor."""
    if value == "mine":
        return queryset.filter(services.executor_filter(user))
    if value == "unassigned":
        return queryset.filter(open_q, assignee__isnull=True)
    return queryset


def covering(user, on: dt.date | None = None) -> dict[int, str]:
    """The colleagues ``user`` covers for today: id -> name (rows say "covering for ...")."""
    from housing_aid import workdays

    rows = (
        Substitution.objects.in_force(on or workdays.today()).filter(substitute=user).select_related("absent")
    )
    return {row.absent_id: services.display_name(row.absent) for row in rows}


def count_capped(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, more): the number of rows up to ``cap``, and whether there are more.

    ``SELECT COUNT(*) FROM (... LIMIT cap + 1)``: the database stops at cap + 1 ids.
    """
    found = queryset.order_by().values("pk")[: cap + 1].count()
    return min(found, cap), found > cap


@dataclass(frozen=True)
class Chip:
    label: str
    value: str
    remove_query: str


def chips(params, choices: dict[str, dict]) -> list[Chip]:
    """The active filters, each with the query string that removes it (and the cursor)."""
    active = {k: v for k, v in params.items() if v and k not in NOT_FILTERS and k in FILTER_LABELS}
    out = []
    for name, value in active.items():
        if name == "scope" and value == "all":
            continue
        shown = dict(SCOPES).get(value, value) if name == "scope" else choices.get(name, {}).get(value, value)
        if name == "overdue":
            shown = _("yes")
        rest = {k: v for k, v in params.items() if v and k not in ("after", "before", "page", name)}
        out.append(Chip(str(FILTER_LABELS[name]), str(shown), urlencode(rest)))
    return out


def sort_links(params, current: str) -> dict[str, dict]:
    """For each sortable column: the query that sorts by it and its ``aria-sort``."""
    base = {k: v for k, v in params.items() if v and k not in ("after", "before", "page", "order")}
    aria = {"due": "ascending", "newest": "descending"}
    return {
        name: {
            "query": urlencode({**base, "order": name} if name != "due" else base),
            "aria": aria[name] if name == current else "none",
        }
        for name in SORTS
    }


def executors_of(service: str, user) -> list:
    """Staff who may execute cases of ``service`` at the user's providers (the bulk picker)."""
    executor_roles = services.EXECUTOR_ROLES.get(service, ())
    if service == "complaint":
        executor_roles = (*executor_roles, Role.QUALITY_OFFICER)
    qs = get_user_model().objects.filter(is_active=True, staff__role__in=executor_roles)
    ids = roles.provider_ids_for(user)
    if ids is not None:
        qs = qs.filter(Q(staff__providers__in=ids) | Q(staff__all_providers=True))
    return list(qs.select_related("staff").distinct().order_by("last_name", "first_name", "username"))


def tools(
    request,
    *,
    service: str,
    queryset: QuerySet,
    choices: dict[str, dict],
    order: str,
) -> dict:
    """The context of the shared worklist parts (``casework/_worklist_*.html``)."""
    user = request.user
    params = request.GET
    count, more = count_capped(queryset)
    model_service = services.URL_SERVICES[service]
    is_head = roles.has_role(user, Role.HEAD, Role.ADMINISTRATOR)
    query = urlencode([(k, v) for k, v in params.items() if v and k not in ("after", "before", "page")])
    return {
        "service": service,
        "scope": params.get("scope") if params.get("scope") in ("mine", "unassigned") else "all",
        "count": count,
        "more": more,
        "cap": COUNT_CAP,
        "chips": chips(params, choices),
        "sorts": sort_links(params, order if order in SORTS else "due"),
        "query": query,
        "saved": list(SavedFilter.objects.filter(user=user, service=service)[:50]),
        "may_export": roles.has_role(user, *services.NOTE_READER_ROLES),
        "bulk": is_head,
        "executors": executors_of(model_service, user) if is_head else [],
        "may_take": roles.role_of(user) in services.EXECUTOR_ROLES.get(model_service, ()),
        "covering": covering(user),
        "next": request.get_full_path(),
    }


def clean_query(query: str) -> str:
    """A saved query keeps only the worklist's filters and its order (no cursor)."""
    from urllib.parse import parse_qsl

    keep = set(FILTER_LABELS) | {"order"}
    return urlencode([(k, v) for k, v in parse_qsl(query) if k in keep and v][:20])


# -- export -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable


def selectors_of(service: str):
    """The service's selectors module: ``worklist_queryset`` and ``EXPORT_COLUMNS``."""
    from importlib import import_module

    return import_module(f"{service}.selectors")


def export_rows(queryset: QuerySet, columns: list[Column], due_field: str):
    """The header, then the filtered cases by due date, at most ``EXPORT_CAP`` of them."""
    yield [str(c.label) for c in columns]
    for case in queryset.order_by(f"{due_field}", "pk")[:EXPORT_CAP].iterator(chunk_size=500):
        yield [c.value(case) for c in columns]
