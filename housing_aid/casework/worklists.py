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
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
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


# -- the rows of a page ---------------------------------------------------------------
# A page is 50 rows: what every row shows is computed here once a page (a label, a URL
# pattern, a translated phrase, a badge rendered once per distinct value) and each row
# only fills in its own values, so the template's loop body reads plain attributes.


def url_maker(name: str, *args) -> Callable[[int], str]:
    """``reverse(name, args=(*args, pk))`` for every row of a page at the cost of one reverse."""
    marker = "987654321"
    prefix, _marker, suffix = reverse(name, args=(*args, int(marker))).rpartition(marker)
    return lambda pk: f"{prefix}{pk}{suffix}"


def rendered_once(template_name: str, name: str) -> Callable[[object], SafeString]:
    """A fragment that depends on one value (a deadline badge, a "covering for" mark),
    rendered once for each distinct value on the page."""
    done: dict = {}

    def render(value) -> SafeString:
        if value not in done:
            done[value] = render_to_string(template_name, {name: value})
        return done[value]

    return render


class SelectCells:
    """The first cell of a row: a checkbox for the head's bulk assignment, or "Assign to me"
    on an unassigned open case for a desk that executes the service's cases, else nothing."""

    def __init__(self, request, work: dict):
        self.bulk, self.may_take = work["bulk"], work["may_take"]
        if self.bulk:
            self.select_label = gettext("Select %(number)s")
        elif self.may_take:
            self.assign_url = url_maker("casework:assign", work["service"])
            self.take_label = gettext("Assign %(number)s to me")
            self.form_tail = format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<input type="hidden" name="next" value="{}">',
                get_token(request),
                work["next"],
            )
            self.take_button = gettext("Assign to me")

    def __call__(self, case) -> SafeString:
        number = {"number": escape(case.number)}  # into the phrases, as blocktranslate would
        if self.bulk:
            return format_html(
                '<td class="select"><input type="checkbox" class="row-select" name="ids" value="{0}" '
                'id="sel-{0}" form="bulk-form"><label for="sel-{0}" class="visually-hidden">{1}</label></td>',
                case.pk,
                mark_safe(self.select_label % number),  # noqa: S308 - the number is escaped
            )
        if not self.may_take:
            return SafeString("")
        if case.assignee_id or getattr(case, "closed_at", None):
            return SafeString("<td></td>")
        return format_html(
            '<td><form method="post" action="{}" class="inline">{}<button type="submit" '
            'class="btn small take-case" aria-label="{}">{}</button></form></td>',
            self.assign_url(case.pk),
            self.form_tail,
            mark_safe(self.take_label % number),  # noqa: S308 - the number is escaped
            self.take_button,
        )


def given_name_first(user) -> str:
    """The executor as the certificates and complaints lists name them: "First Last", else the login."""
    return user.get_full_name() or user.username


def day(value: dt.date | None) -> str:
    """``d.m.Y`` as the lists show dates ('' for none)."""
    return value.strftime("%d.%m.%Y") if value else ""


def prepare_rows(
    rows,
    request,
    work: dict,
    *,
    executor_name: Callable,
    labels: tuple[str, ...] = (),
    days: tuple[str, ...] = (),
) -> None:
    """Set on each case of a page what its row shows: ``url``, ``select_cell``, ``executor``
    (a name, or '' when unassigned), ``covering_badge``, ``<field>_label`` for each choice
    field of ``labels`` (what ``get_<field>_display`` says) and ``<field>_day`` for each
    date field of ``days``."""
    if not rows:
        return
    detail = url_maker(rows[0].DETAIL_URL_NAME)
    select_cell = SelectCells(request, work)
    covering_badge = rendered_once("casework/_covering.html", "name")
    covered = work["covering"]
    meta = type(rows[0])._meta
    shown_of = {field: {k: str(v) for k, v in meta.get_field(field).flatchoices} for field in labels}
    for case in rows:
        case.url = detail(case.pk)
        case.select_cell = select_cell(case)
        case.executor = executor_name(case.assignee) if case.assignee_id else ""
        name = covered.get(case.assignee_id) if covered else None
        case.covering_badge = covering_badge(name) if name else ""
        for field, shown in shown_of.items():
            value = getattr(case, field)
            setattr(case, f"{field}_label", shown.get(value, value))
        for field in days:
            setattr(case, f"{field}_day", day(getattr(case, field)))


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
