"""What the three worklists share: the scope ("my cases" includes the colleagues I cover
for), the sorts an index serves, the active filters as removable chips, a result count that
never counts the whole caseload, saved filters, bulk assignment and the CSV export.

Each service's selectors give the filtered queryset (``worklist_queryset(user, params)``);
this module only reads it, so the export lists exactly what the worklist shows.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q, QuerySet
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from housing_aid import people, roles
from housing_aid.casework import services
from housing_aid.casework.models import SavedFilter, Substitution
from housing_aid.paging import SCOPES
from housing_aid.roles import Role
from housing_aid.sla.deadlines import ReferenceDates

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


class CompiledOnce:
    """A query whose SQL depends on its shape only, compiled by the ORM once per process and
    run with each call's values (the ORM's compiling cost more than running the query).

    ``build(**values)`` makes the queryset; it is built once with ``sentinels`` (values no
    real call passes) and each call's values take the sentinels' places in the parameters.
    """

    def __init__(self, build: Callable[..., QuerySet], **sentinels):
        self.build = build
        self.sentinels = sentinels
        self.compiled: tuple[str, str, list] | None = None

    def rows(self, **values) -> list[tuple]:
        if self.compiled is None:
            queryset = self.build(**self.sentinels)
            sql, params = queryset.query.sql_with_params()
            slots = [self._slot(p) for p in params]
            if {slot[0] for slot in slots if slot[0]} != set(self.sentinels):
                raise ValueError("every sentinel must reach the query's parameters")
            self.compiled = (queryset.db, sql, slots)
        db, sql, slots = self.compiled
        with connections[db].cursor() as cursor:
            cursor.execute(sql, [(prep(values[name]) if name else p) for name, prep, p in slots])
            return cursor.fetchall()

    def _slot(self, param) -> tuple:
        """(sentinel name or None, how the value is written as a parameter, the parameter).
        A value reaches the parameters as it is, or as text where the backend writes it so
        (SQLite's dates)."""
        for name, sentinel in self.sentinels.items():
            if type(param) is type(sentinel) and param == sentinel:
                return name, _as_it_is, param
            if isinstance(param, str) and not isinstance(sentinel, str) and param == str(sentinel):
                return name, str, param
        return None, None, param


def _as_it_is(value):
    return value


_COVERING = CompiledOnce(
    lambda substitute_id, on: (
        Substitution.objects.in_force(on)
        .filter(substitute_id=substitute_id)
        .values_list("absent_id", "absent__first_name", "absent__last_name", "absent__username")
    ),
    substitute_id=-987654321,
    on=dt.date(1, 1, 9),
)
_SAVED = CompiledOnce(
    lambda user_id, service: SavedFilter.objects.filter(user_id=user_id, service=service).values_list(
        "pk", "name", "query"
    )[:50],
    user_id=-987654321,
    service="\x00service",
)


def covering(user, on: dt.date | None = None) -> dict[int, str]:
    """The colleagues ``user`` covers for today: id -> name (rows say "covering for ...")."""
    from housing_aid import workdays

    rows = _COVERING.rows(substitute_id=user.pk, on=on or workdays.today())
    # the name as services.display_name gives it
    return {pk: people.given_name_first(first, last, login) for pk, first, last, login in rows}


def saved_filters(user, service: str) -> list[dict]:
    """The user's saved filters of the service's worklist (at most 50), by name."""
    return [
        {"pk": pk, "name": name, "query": query}
        for pk, name, query in _SAVED.rows(user_id=user.pk, service=service)
    ]


def count_capped(queryset: QuerySet, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, more): the number of rows up to ``cap``, and whether there are more.

    ``SELECT COUNT(*) FROM (... LIMIT cap + 1)``: the database stops at cap + 1 ids. The
    count is written around the compiled ids query, not through ``QuerySet.count()`` (whose
    wrapping a sliced query in an aggregation cost more than running it).
    """
    ids = queryset.order_by().values("pk")[: cap + 1]
    try:
        sql, params = ids.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing (``none()``, no providers)
        return 0, False
    with connections[ids.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) subquery", params)  # noqa: S608 - compiled by the ORM
        found = cursor.fetchone()[0]
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


def executors_of(service: str, user) -> list[tuple[str, str]]:
    """Staff who may execute cases of ``service`` at the user's providers (the bulk picker):
    (login, name) pairs, the name "First Last", else the login."""
    executor_roles = services.EXECUTOR_ROLES.get(service, ())
    if service == "complaint":
        executor_roles = (*executor_roles, Role.QUALITY_OFFICER)
    qs = get_user_model().objects.filter(is_active=True, staff__role__in=executor_roles)
    ids = roles.provider_ids_for(user)
    if ids is not None:
        qs = qs.filter(Q(staff__providers__in=ids) | Q(staff__all_providers=True))
    rows = (
        qs.values_list("username", "first_name", "last_name")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    return [(login, people.given_name_first(first, last, login)) for login, first, last in rows]


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
        "saved": saved_filters(user, service),
        "may_export": roles.has_role(user, *services.NOTE_READER_ROLES),
        "bulk": is_head,
        "executors": executors_of(model_service, user) if is_head else [],
        "may_take": roles.role_of(user) in services.EXECUTOR_ROLES.get(model_service, ()),
        "covering": covering(user),
        "next": request.get_full_path(),
    }


# -- the rows of a page ---------------------------------------------------------------
# A page is 50 rows, each a ``housing_aid.paging.Row`` of the columns it shows. A row is
# filled into its service's format string (``WORKLIST_ROW`` beside the worklist view), not
# drawn by the template engine: there every value was several lookups (about 800 a page,
# a third of the page's time). What every row shows alike is computed here once a page (a
# label, a URL pattern, a translated phrase, a badge rendered once per distinct value);
# values are escaped as the template's autoescaping would.


def esc(value) -> str:
    """``value`` as the template's autoescaping writes it (``django.utils.html.escape``
    without its lazy-string wrapper, 50 rows x 8 cells a page)."""
    return html.escape(str(value))


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
            self.take_button = esc(gettext("Assign to me"))

    def __call__(self, row) -> str:
        if self.bulk:
            pk = row.pk
            label = self.select_label % {"number": esc(row.number)}  # as blocktranslate would
            return (
                f'<td class="select"><input type="checkbox" class="row-select" name="ids" value="{pk}" '
                f'id="sel-{pk}" form="bulk-form"><label for="sel-{pk}" class="visually-hidden">{label}</label></td>'
            )
        if not self.may_take:
            return ""
        if row.assignee_id or row.closed_at:
            return "<td></td>"
        label = self.take_label % {"number": esc(row.number)}  # as blocktranslate would
        return (
            f'<td><form method="post" action="{self.assign_url(row.pk)}" class="inline">{self.form_tail}'
            f'<button type="submit" class="btn small take-case" aria-label="{label}">{self.take_button}</button>'
            "</form></td>"
        )


def surname_first(row) -> str:
    """The executor as the applications list names them (``housing_aid.people.full_name``)."""
    return people.surname_first(row.assignee__last_name, row.assignee__first_name, row.assignee__username)


def given_name_first(row) -> str:
    """The executor as the certificates and complaints lists name them (``User.get_full_name``)."""
    return people.given_name_first(row.assignee__first_name, row.assignee__last_name, row.assignee__username)


def day(value: dt.date | None) -> str:
    """``d.m.Y`` as the lists show dates ('' for none)."""
    return value.strftime("%d.%m.%Y") if value else ""


class RowCells:
    """What the rows of one page share, worked out once a page: the case's link (``url``),
    the select cell (``select``), the executor cell (``executor``: a name with "covering
    for ...", or "unassigned"), the choice labels of ``labels`` (``label(field, value)``) and
    the service's own ``phrases`` (name -> text) in the reader's language, all escaped for
    HTML; and the ``dates`` a row's deadline state is read on (``ReferenceDates.state_of``:
    the one rule, applied to the 50 dates in hand rather than compiled into the query)."""

    def __init__(
        self,
        request,
        work: dict,
        *,
        model,
        executor_name: Callable,
        labels: tuple[str, ...] = (),
        phrases: dict | None = None,
    ):
        self.url = url_maker(model.DETAIL_URL_NAME)
        self.select = SelectCells(request, work)
        self.executor_name = executor_name
        self.covered = work["covering"]
        self.covering_badge = rendered_once("casework/_covering.html", "name")
        self.unassigned = f'<span class="muted">{esc(gettext("unassigned"))}</span>'
        self.labels = {
            field: {value: esc(label) for value, label in model._meta.get_field(field).flatchoices}
            for field in labels
        }
        self.phrases = {name: esc(text) for name, text in (phrases or {}).items()}
        self.dates = ReferenceDates.on()

    def executor(self, row) -> str:
        if not row.assignee_id:
            return self.unassigned
        name = self.covered.get(row.assignee_id) if self.covered else None
        return esc(self.executor_name(row)) + (self.covering_badge(name) if name else "")

    def label(self, field: str, value) -> str:
        shown = self.labels[field].get(value)
        return esc(value) if shown is None else shown


def page_ids_html(rows: list) -> SafeString:
    """The bulk form's hidden ``page_ids``: the cases "select all on page" means."""
    inputs = "".join([f'<input type="hidden" name="page_ids" value="{int(row.pk)}">' for row in rows])
    return mark_safe(inputs)  # noqa: S308 - integers only


def rows_html(rows: list, row_html: Callable) -> SafeString:
    """The page's rows: ``row_html(row)`` of each, every value in it escaped."""
    return mark_safe("".join([row_html(row) for row in rows]))  # noqa: S308 - escaped cell by cell


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
