"""Worklist pages without ``COUNT(*)``: fetch one row more than the page to know whether a
next page exists. Officers work the first pages of a deadline-ordered list; a count over a
large table on every page view is the cost this avoids."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Q, Subquery
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.translation import gettext_lazy as _

MAX_PAGE = 10_000


@dataclass
class WindowPage:
    object_list: list = field(default_factory=list)
    number: int = 1
    has_next: bool = False

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def window_page(queryset, page: str | int | None, per_page: int) -> WindowPage:
    """Page ``page`` (1-based; anything unparseable is page 1) of an ordered queryset."""
    try:
        number = min(max(int(page or 1), 1), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return WindowPage(rows[:per_page], number, len(rows) > per_page)


# -- keyset pages over the open caseload ----------------------------------------------
# Every worklist orders by (due date, id), due dates ascending and cases without one last.
# A page is "the next per_page rows after this row's key", so page 50 costs what page 1
# costs: PostgreSQL walks the partial index (provider, due date, id) of open cases from the
# key (a row comparison, which an index serves), never the rows before it. Rows without a
# due date are a second segment read by id, so no COALESCE expression hides the column
# from the index.

NULL_SEGMENT, DATED_SEGMENT = 1, 0
# The worklists' "cases" filter: open by default, closed ones a filter away.
CASE_STATES = [("open", _("Open")), ("closed", _("Closed")), ("all", _("Open and closed"))]


# Whose cases a worklist shows (API.md "Working the cases").
SCOPES = [("mine", _("My cases")), ("unassigned", _("Unassigned")), ("all", _("All of my providers"))]


class _ShallowCopies(dict):
    """A FilterSet's declared filters, copied for each request shallowly: django-filter
    deep-copies them (their choices, labels and widgets with them) for every filter set, yet a
    filter keeps nothing of a request but its parent, its model and its bound method."""

    def __deepcopy__(self, memo) -> dict:
        copies = {}
        for name, declared in self.items():
            filter_ = copy.copy(declared)
            if filter_.method is not None:
                filter_.method = filter_.method  # its FilterMethod bound to the copy, not the declared
            copies[name] = filter_
        return copies


class CaseWorklistFilterSet(django_filters.FilterSet):
    """A worklist's query parameters: its open cases unless ``state`` (or a ``status``) says
    otherwise, of the ``scope`` asked for. Subclasses name their open statuses in
    ``OPEN_STATUSES``; ``user`` is the reader, ``today`` the day deadlines are read on."""

    OPEN_STATUSES: tuple = ()
    # ``search(queryset, text)``: the service's search by number, IIN or surname (``q``).
    search = None

    scope = django_filters.ChoiceFilter(choices=SCOPES, method="filter_scope")
    state = django_filters.ChoiceFilter(choices=CASE_STATES, method="filter_state")
    q = django_filters.CharFilter(method="filter_q")

    def __init__(self, *args, user=None, today: dt.date | None = None, **kwargs):
        from housing_aid.sla.deadlines import ReferenceDates

        self.base_filters = _ShallowCopies(type(self).base_filters)
        super().__init__(*args, **kwargs)
        self.user = user
        self.dates = ReferenceDates.on(today)

    def get_form_class(self):
        # The filters (their choices, widgets) are the same for every request: their form
        # class is built once per FilterSet class, not on every page view.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_scope(self, queryset, name, value):
        from housing_aid.casework import worklists

        return worklists.scope(queryset, self.user, value, Q(status__in=self.OPEN_STATUSES))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("state") and not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=self.OPEN_STATUSES)
        return queryset

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=self.OPEN_STATUSES)
        if value == "closed":
            return queryset.exclude(status__in=self.OPEN_STATUSES)
        return queryset

    def filter_q(self, queryset, name, value):
        return self.search(queryset, value)


class OneMeansYes(forms.Widget):
    """A checkbox sent as ``1``: yes when present, no filter when absent."""

    def value_from_datadict(self, data, files, name):
        return True if data.get(name) in ("1", "true", "on") else None


class OverdueWorklistFilterSet(CaseWorklistFilterSet):
    """A worklist with the ``overdue`` checkbox: its open cases whose ``DUE_FIELD`` has passed."""

    DUE_FIELD = "due_date"

    overdue = django_filters.BooleanFilter(method="filter_overdue", widget=OneMeansYes)

    def filter_overdue(self, queryset, name, value):
        from housing_aid.sla.deadlines import deadline_state_q

        if not value:
            return queryset
        overdue = deadline_state_q("overdue", self.DUE_FIELD, self.dates)
        return queryset.filter(status__in=self.OPEN_STATUSES).filter(overdue)


def pager_queries(params, page: KeysetPage) -> dict:
    """Query strings of the next, previous and first pages, keeping the filters."""
    base = {k: v for k, v in params.items() if v and k not in ("after", "before", "page")}
    return {
        "next_query": urlencode({**base, "after": page.next_after}) if page.next_after else None,
        "prev_query": urlencode({**base, "before": page.prev_before}) if page.prev_before else None,
        "first_query": urlencode(base),
    }


@dataclass
class KeysetPage:
    rows: list = field(default_factory=list)
    next_after: str | None = None
    prev_before: str | None = None
    is_first: bool = True

    @property
    def object_list(self) -> list:
        return self.rows

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


class Row(SimpleNamespace):
    """A worklist row as its page's query returned it (``queryset.values(*columns)``), its
    columns as attributes (``row.number``, ``row.pk``). No model instance is built for a row
    that only shows a few columns (no state machine set up, no related objects)."""


def _fetch(queryset, columns: tuple | None, limit: int | None = None) -> list:
    """The first ``limit`` rows of ``queryset``: model instances, or ``Row`` objects of ``columns``."""
    if columns is not None:
        queryset = queryset.values(*columns)
    rows = queryset[:limit] if limit is not None else queryset
    return list(rows) if columns is None else [Row(**row) for row in rows]


def keyset_key(row, due_field: str) -> str:
    """The cursor of a row: ``2026-03-02_41`` (due date, id), or ``_41`` without a due date."""
    due = getattr(row, due_field)
    return f"{due.isoformat() if due else ''}_{row.pk}"


def parse_keyset(cursor: str | None) -> tuple[dt.date | None, int] | None:
    """(due date or None, id) of a cursor; None for no cursor or a malformed one."""
    if not cursor or "_" not in cursor:
        return None
    day, _sep, pk = cursor.rpartition("_")
    try:
        return (dt.date.fromisoformat(day) if day else None), int(pk)
    except ValueError:
        return None


def _segment(qs, due_field: str, segment: int, cursor, forward: bool):
    qs = qs.filter(**{f"{due_field}__isnull": segment == NULL_SEGMENT})
    if cursor is not None:
        due, last_id = cursor
        if segment == NULL_SEGMENT:
            qs = qs.filter(pk__gt=last_id) if forward else qs.filter(pk__lt=last_id)
        else:
            # (due, id) > (d, i): a row comparison, which the index serves as one range.
            compare = TupleGreaterThan if forward else TupleLessThan
            qs = qs.filter(compare(Tuple(F(due_field), F("pk")), (due, last_id)))
    if segment == NULL_SEGMENT:
        return qs.order_by("pk" if forward else "-pk")
    return qs.order_by(due_field, "pk") if forward else qs.order_by(f"-{due_field}", "-pk")


def _read(qs, due_field: str, cursor, forward: bool, limit: int, columns: tuple | None) -> list:
    """Up to ``limit`` rows after (or before) ``cursor``, crossing from one segment to the next."""
    start = DATED_SEGMENT if cursor is None else (NULL_SEGMENT if cursor[0] is None else DATED_SEGMENT)
    if cursor is None and not forward:
        start = NULL_SEGMENT
    order = (DATED_SEGMENT, NULL_SEGMENT) if forward else (NULL_SEGMENT, DATED_SEGMENT)
    rows: list = []
    for segment in order[order.index(start) :]:
        part = _segment(qs, due_field, segment, cursor if segment == start else None, forward)
        # The keys first, from the narrow rows the index gives; then only those rows with their
        # joins, found by key (a planner that underestimates the open cases would otherwise
        # join them all before sorting). The outer query repeats only the order, not the
        # cursor's range: with the range, the planner walks the nation's due-date index
        # again and tests each row against the keys.
        keys = part.values("pk")[: limit - len(rows)]
        if columns is None:
            rows += list(qs.filter(pk__in=Subquery(keys)).order_by(*part.query.order_by))
        else:
            rows += _ROWS_BY_KEY.rows(keys, columns, part.query.order_by)
        if len(rows) >= limit:
            break
    return rows


class RowsByKey:
    """A page's rows of ``columns`` read by key from the whole table: ``SELECT columns ... WHERE
    id IN (<the page's keys query>) ORDER BY ...``.

    The filters are compiled and planned once, in the keys query. The outer query (its columns,
    joins and order; the same for every page of a worklist) is compiled by the ORM once per
    process for each model, columns and order, with a marker where the keys query goes: a page
    compiles only its keys query. Rows go through the compiler's converters, as ``values()``
    rows do.
    """

    MARK = "SELECT /* the page keys */ %s"

    def __init__(self):
        self.compiled: dict[tuple, tuple] = {}

    def _compile(self, model, db: str, columns: tuple, order: tuple) -> tuple:
        from django.db.models.expressions import RawSQL

        sentinel = object()
        outer = (
            model._base_manager.db_manager(db)
            .filter(pk__in=RawSQL(self.MARK, [sentinel]))  # noqa: S611 - a constant marker, its value bound
            .order_by(*order)
            .values(*columns)
        )
        compiler = outer.query.get_compiler(db)
        sql, params = compiler.as_sql()
        if sql.count(self.MARK) != 1 or [p is sentinel for p in params].count(True) != 1:
            raise ValueError("the keys' marker must stand once in the rows query")
        at = next(i for i, p in enumerate(params) if p is sentinel)
        before, after = sql.split(self.MARK)
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select])
        return before, after, params[:at], params[at + 1 :], list(converters.items())

    def rows(self, keys, columns: tuple, order: tuple) -> list:
        """The rows whose keys ``keys`` (a ``values("pk")`` queryset) gives, as ``Row``s."""
        model, db = keys.model, keys.db
        signature = (model, db, columns, tuple(str(o) for o in order))
        compiled = self.compiled.get(signature)
        if compiled is None:
            compiled = self.compiled[signature] = self._compile(model, db, columns, order)
        before, after, params_before, params_after, converters = compiled
        try:
            keys_sql, keys_params = keys.query.sql_with_params()
        except EmptyResultSet:  # a filter that matches nothing (``none()``, an empty choice)
            return []
        connection = connections[db]
        with connection.cursor() as cursor:
            cursor.execute(f"{before}{keys_sql}{after}", [*params_before, *keys_params, *params_after])
            found = cursor.fetchall()
        if converters:  # as the compiler applies them, with this thread's connection
            found = [list(row) for row in found]
            for row in found:
                for position, (functions, expression) in converters:
                    for convert in functions:
                        row[position] = convert(row[position], expression, connection)
        return [Row(**dict(zip(columns, row, strict=True))) for row in found]


_ROWS_BY_KEY = RowsByKey()


def keyset_page(
    qs,
    *,
    due_field: str | None,
    after: str | None = None,
    before: str | None = None,
    per_page: int = 50,
    columns: tuple | None = None,
) -> KeysetPage:
    """One page of ``qs`` in (``due_field`` ascending, cases without one last, id) order,
    or newest first (id descending) when ``due_field`` is None.

    ``after`` pages forward from a row's key, ``before`` back from it (the same order read
    backwards, then turned round). Going back past the start gives the first page. A
    malformed cursor is the first page. ``columns``: each row a ``Row`` of these fields
    (``values()`` names, with ``pk``; the model's, not annotations of ``qs``) rather than a
    model instance.
    """
    if due_field is None:
        return _newest_page(qs, after, before, per_page, columns)
    back = parse_keyset(before)
    if back is not None:
        rows = _read(qs, due_field, back, False, per_page + 1, columns)
        if len(rows) > per_page:
            rows = rows[:per_page][::-1]
            return KeysetPage(
                rows, keyset_key(rows[-1], due_field), keyset_key(rows[0], due_field), is_first=False
            )
    cursor = parse_keyset(after) if back is None else None
    rows = _read(qs, due_field, cursor, True, per_page + 1, columns)
    next_after = keyset_key(rows[per_page - 1], due_field) if len(rows) > per_page else None
    rows = rows[:per_page]
    first = cursor is None
    prev_before = keyset_key(rows[0], due_field) if rows and not first else None
    return KeysetPage(rows, next_after, prev_before, is_first=first)


def _newest_page(
    qs, after: str | None, before: str | None, per_page: int, columns: tuple | None
) -> KeysetPage:
    """Newest first: the key is the id alone (the primary key index)."""
    if before and before.isdigit():
        rows = _fetch(qs.filter(pk__gt=int(before)).order_by("pk"), columns, per_page + 1)
        if len(rows) > per_page:
            rows = rows[:per_page][::-1]
            return KeysetPage(rows, str(rows[-1].pk), str(rows[0].pk), is_first=False)
    first = not (after and after.isdigit()) or bool(before)
    if not first:
        qs = qs.filter(pk__lt=int(after))
    rows = _fetch(qs.order_by("-pk"), columns, per_page + 1)
    next_after = str(rows[per_page - 1].pk) if len(rows) > per_page else None
    rows = rows[:per_page]
    return KeysetPage(rows, next_after, str(rows[0].pk) if rows and not first else None, is_first=first)
