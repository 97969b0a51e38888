"""Reads for the screens and the API: worklist, signing queue, case page, monitoring export."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import django_filters
from django.db import connection
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from applications.models import DRAFT_STATUSES, OPEN_STATUSES, Application, ApplicationStatus, Channel, Stage
from housing_aid import roles, workdays
from housing_aid.casework import worklists
from housing_aid.dbrouter import lagging_reads, list_reads
from housing_aid.models import CaseEvent
from housing_aid.paging import CaseWorklistFilterSet, KeysetPage, keyset_page
from housing_aid.people import ASSIGNEE_COLUMNS
from housing_aid.persons import APPLICANT_COLUMNS
from housing_aid.sla.deadlines import (
    CLOSED,
    DeadlineState,
    ReferenceDates,
    deadline_state_expression,
    deadline_state_q,
)

# The one deadline-state rule (housing_aid.sla.deadlines): the worklist, the case page,
# the dashboard and the sweep all read a stage's state from it.
Deadline = DeadlineState
CLOSED_STATE = CLOSED
SEARCH_MIN_SURNAME = 2


def with_deadline(qs: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Annotate ``deadline`` (on_track | due_soon | due_today | overdue | closed) from the
    stored stage due date, by the one rule of ``housing_aid.sla.deadlines``."""
    return qs.annotate(deadline=deadline_state_expression("stage_due_date", ReferenceDates.on(today)))


def overdue(qs: QuerySet, today: dt.date | None = None) -> QuerySet:
    return qs.filter(status__in=OPEN_STATUSES, stage_due_date__lt=today or workdays.today())


def search(qs: QuerySet, text: str, *, applicant: str = "applicant") -> QuerySet:
    """Search that reads indexes, not the national people table.

    12 digits: the IIN (the person's unique index). Anything with a digit: the case number,
    exactly when it is a whole number (the unique index), else a part of it (the trigram
    index on the number). Otherwise the surname's beginning: on PostgreSQL the applicant's
    surname copied onto the case (a b-tree on provider and surname, migration 0004), so the
    query reads a range of that index inside each of the user's providers.
    """
    on_case = connection.vendor == "postgresql" and applicant == "applicant"
    surname = "applicant_last_name" if on_case else f"{applicant}__last_name"
    return search_cases(qs, text, iin=f"{applicant}__iin", surname=surname)


def search_cases(qs: QuerySet, text: str, *, iin: str, surname: str, number: str = "number") -> QuerySet:
    text = (text or "").strip()
    if not text:
        return qs
    if text.isdigit() and len(text) == 12:
        return qs.filter(**{iin: text})
    if any(ch.isdigit() for ch in text):
        if CASE_NUMBER.fullmatch(text.upper()):
            return qs.filter(**{number: text.upper()})
        return qs.filter(**{f"{number}__icontains": text})
    if len(text) < SEARCH_MIN_SURNAME:
        return qs.none()
    return qs.filter(**{f"{surname}__istartswith": text})


CASE_NUMBER = re.compile(r"[A-Z]{2,4}-[0-9A-Z]+-\d{4}-\d{5,}")

DEADLINE_FILTERS = [
    (DeadlineState.OVERDUE.value, DeadlineState.OVERDUE.label),
    (DeadlineState.DUE_TODAY.value, DeadlineState.DUE_TODAY.label),
    (DeadlineState.DUE_SOON.value, DeadlineState.DUE_SOON.label),
]
ORDERS = [("due", _("By due date")), ("newest", _("Newest first"))]


class WorklistFilterSet(CaseWorklistFilterSet):
    """The worklist's query parameters. Open cases unless ``state`` says otherwise."""

    OPEN_STATUSES = OPEN_STATUSES
    search = staticmethod(search)

    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    stage = django_filters.ChoiceFilter(choices=Stage.choices, method="filter_stage")
    deadline = django_filters.ChoiceFilter(choices=DEADLINE_FILTERS, method="filter_deadline")
    channel = django_filters.ChoiceFilter(choices=Channel.choices)

    class Meta:
        model = Application
        fields: list[str] = []

    def filter_stage(self, queryset, name, value):
        return queryset.in_stage(value)

    def filter_deadline(self, queryset, name, value):
        # A date range on the indexed column, not the CASE: the open-cases index serves it.
        return queryset.filter(status__in=OPEN_STATUSES).filter(
            deadline_state_q(value, "stage_due_date", self.dates)
        )


@dataclass
class WorklistFilters:
    scope: str = "all"  # mine | unassigned | all
    state: str = "open"  # open | closed | all
    status: str = ""
    stage: str = ""
    deadline: str = ""  # due_today | due_soon | overdue
    channel: str = ""
    q: str = ""
    order: str = "due"  # due | newest
    after: str = ""  # keyset cursor: the page after this row
    before: str = ""  # keyset cursor: the page before this row

    @classmethod
    def from_query(cls, params) -> WorklistFilters:
        return cls(
            **{
                name: (params.get(name) or "").strip()
                for name in cls.__dataclass_fields__
                if params.get(name)
            }
        )

    def as_query(self, **changes) -> dict[str, str]:
        values = {**self.__dict__, **changes}
        return {
            k: v
            for k, v in values.items()
            if v
            and not (k == "scope" and v == "all")
            and not (k == "order" and v == "due")
            and not (k == "state" and v == "open")
        }


# What a worklist row shows (applications.views.WORKLIST_ROW), and no other column: a page
# is 51 narrow rows read as values (housing_aid.paging.Row), not the cases' JSON lists and
# texts decoded, nor three model instances a row built, for nothing.
WORKLIST_ROW = (
    "pk",
    "number",
    "status",
    "channel",
    "stage_due_date",
    "due_date",
    "closed_at",
    *APPLICANT_COLUMNS,
    *ASSIGNEE_COLUMNS,
)


def worklist(
    user,
    filters: WorklistFilters,
    page_size: int = 50,
    today: dt.date | None = None,
    queryset: QuerySet | None = None,
) -> KeysetPage:
    """The officer's worklist: open cases by stage due date, keyset pages, one query a page,
    each row a ``Row`` of the columns ``WORKLIST_ROW`` names.

    It costs what the open caseload costs: the partial index of open applications
    (provider, stage due date, id) serves the order, the deadline filters and the key.
    ``queryset``: ``worklist_queryset(user, filters)`` when the caller has it already.
    """
    if queryset is None:
        queryset = worklist_queryset(user, filters.__dict__, today)
    return keyset_page(
        queryset.select_related(None),
        due_field=None if filters.order == "newest" else "stage_due_date",
        after=filters.after,
        before=filters.before,
        per_page=page_size,
        columns=WORKLIST_ROW,
    )


def worklist_queryset(user, params, today: dt.date | None = None) -> QuerySet:
    """The worklist's cases as filtered (any order): the page, the count and the export."""
    filterset = WorklistFilterSet(
        {k: v for k, v in params.items() if v},
        queryset=Application.objects.visible_to(user),
        user=user,
        today=today,
    )
    return filterset.qs.with_list_data().using(list_reads(user, searching=bool(params.get("q"))))


# The filtered worklist as CSV (``housing_aid.casework.worklists``), in the reader's language.
EXPORT_COLUMNS = [
    worklists.Column(_("Number"), lambda a: a.number),
    worklists.Column(_("Applicant"), lambda a: a.applicant.full_name),
    worklists.Column(_("IIN"), lambda a: a.applicant.iin),
    worklists.Column(_("Status"), lambda a: a.get_status_display()),
    worklists.Column(_("Registration date"), lambda a: _day(a.registered_on)),
    worklists.Column(_("Stage due"), lambda a: _day(a.stage_due_date)),
    worklists.Column(_("Term due"), lambda a: _day(a.due_date)),
    worklists.Column(_("Executor"), lambda a: a.assignee.get_full_name() if a.assignee_id else ""),
    worklists.Column(_("Channel"), lambda a: a.get_channel_display()),
]
EXPORT_DUE_FIELD = "stage_due_date"


def _day(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def signing_queue(user) -> QuerySet:
    """Drafts waiting for the head's signature, the most urgent first."""
    return with_deadline(
        Application.objects.visible_to(user).with_list_data().filter(status__in=DRAFT_STATUSES)
    ).order_by("stage_due_date", "id")


def application_for_detail(user, pk: int, *, page: bool = False) -> Application:
    """The case with the executor and their position, the calculation and (unless for the case
    page, ``page``, whose cached panel reads it only when it is drawn again: housing_aid.casepage)
    the family, in one read. get() rather than first(): a lookup by key needs no ORDER BY."""
    qs = Application.objects.visible_to(user).select_related(
        "applicant", "provider", "assignee__staff", "calculation"
    )
    return get_object_or_404(qs if page else qs.prefetch_related("family_members"), pk=pk)


def other_applications_of(application: Application, user) -> QuerySet:
    """History by IIN: the person's other applications the user may see."""
    return (
        Application.objects.visible_to(user)
        .filter(applicant_id=application.applicant_id)
        .exclude(pk=application.pk)
        .only("number", "status", "received_at")  # what the case page lists of each
        .order_by("-received_at")[:20]
    )


def applications_of_iin(user, iin: str) -> QuerySet:
    return (
        Application.objects.visible_to(user)
        .filter(applicant__iin=iin)
        .select_related("provider")
        .order_by("-received_at")[:10]
    )


def stage_events(user, date_from: dt.date, date_to: dt.date) -> QuerySet:
    """Para 11: the stage events of a period for the monitoring information system."""
    # An export tolerates a few seconds of lag: the replica, when there is one.
    qs = (
        CaseEvent.objects.using(lagging_reads())
        .filter(service=Application.SERVICE, at__date__gte=date_from, at__date__lte=date_to)
        .select_related("provider", "actor__staff")
    )
    ids = roles.provider_ids_for(user)
    if ids is not None:
        qs = qs.filter(provider_id__in=ids)
    return qs.order_by("at", "id")
