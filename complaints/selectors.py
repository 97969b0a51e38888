"""Reads for the complaint screens and the API: every lookup goes through the user."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from complaints.models import Addressee, Complaint, ComplaintStatus
from housing_aid import workdays
from housing_aid.casework import worklists
from housing_aid.dbrouter import list_reads
from housing_aid.documents import documents_of
from housing_aid.paging import KeysetPage, OverdueWorklistFilterSet, keyset_page
from housing_aid.people import ASSIGNEE_COLUMNS
from housing_aid.sla.deadlines import (
    CLOSED,
    ReferenceDates,
    deadline_rank_expression,
    deadline_state_expression,
)
from housing_aid.uploads import attachments_of

OPEN = (ComplaintStatus.REGISTERED, ComplaintStatus.UNDER_REVIEW)


def with_deadline(queryset: QuerySet[Complaint], today: dt.date | None = None) -> QuerySet[Complaint]:
    """Annotate ``deadline_state`` (the CSS class suffix) and ``deadline_rank`` in the database,
    by the one rule of ``housing_aid.sla.deadlines`` (due soon: one working day left); an
    answered or refused complaint is closed whatever its due date."""
    dates = ReferenceDates.on(today)
    is_open = Q(status__in=OPEN)
    return queryset.annotate(
        deadline_state=Case(
            When(~is_open, then=Value(CLOSED)),
            default=deadline_state_expression("due_date", dates),
            output_field=CharField(),
        ),
        deadline_rank=Case(
            When(~is_open, then=Value(4)),
            default=deadline_rank_expression("due_date", dates),
            output_field=IntegerField(),
        ),
    )


def deadline_state_of(status: str, due_date: dt.date | None, dates: ReferenceDates) -> str:
    """``with_deadline``'s ``deadline_state`` in Python, for a row already read (a worklist row)."""
    return CLOSED if status not in OPEN else str(dates.state_of(due_date))


def search(qs: QuerySet[Complaint], text: str) -> QuerySet[Complaint]:
    """IIN, number (whole or part) or surname, through indexes (see applications.selectors)."""
    from applications.selectors import search_cases

    text = (text or "").strip()
    if text and any(ch.isdigit() for ch in text) and not (text.isdigit() and len(text) == 12):
        return qs.filter(Q(number__icontains=text) | Q(case_number__icontains=text))
    return search_cases(qs, text, iin="complainant_iin", surname="complainant_last_name")


def complaints_for(
    user,
    *,
    status: str = "",
    addressee: str = "",
    overdue: bool = False,
    query: str = "",
    today: dt.date | None = None,
) -> QuerySet[Complaint]:
    """The API's list: the user's visible complaints, overdue first, then by due date."""
    today = today or workdays.today()
    qs = Complaint.objects.visible_to(user).select_related("provider", "assignee", "parent")
    if status:
        qs = qs.filter(status=status)
    if addressee:
        qs = qs.filter(addressee=addressee)
    if overdue:
        qs = qs.filter(status__in=OPEN, due_date__lt=today)
    if query:
        qs = search(qs, query)
    return with_deadline(qs, today).order_by("deadline_rank", "due_date", "id")


class ComplaintWorklistFilterSet(OverdueWorklistFilterSet):
    """The worklist's query parameters; open complaints unless ``state`` says otherwise."""

    OPEN_STATUSES = OPEN
    search = staticmethod(search)

    status = django_filters.ChoiceFilter(choices=ComplaintStatus.choices)
    addressee = django_filters.ChoiceFilter(choices=Addressee.choices)

    class Meta:
        model = Complaint
        fields: list[str] = []


# What a worklist row shows (templates/complaints/worklist.html), and no other column: a page is
# 51 narrow rows, not the cases' texts and lists decoded for nothing.
WORKLIST_ROW = (
    "pk",
    "number",
    "parent_id",
    "parent__number",
    "complainant_last_name",
    "complainant_first_name",
    "complainant_patronymic",
    "channel",
    "addressee",
    "case_number",
    "status",
    "registered_on",
    "answer_term_days",
    "due_date",
    "closed_at",
    *ASSIGNEE_COLUMNS,
)


def worklist(
    user, params, *, per_page: int = 50, today: dt.date | None = None, queryset: QuerySet | None = None
) -> KeysetPage:
    """The complaints worklist: open complaints by due date (or newest first), keyset pages."""
    return keyset_page(
        (worklist_queryset(user, params, today) if queryset is None else queryset).select_related(None),
        due_field=None if params.get("order") == "newest" else "due_date",
        after=params.get("after"),
        before=params.get("before"),
        per_page=per_page,
        columns=WORKLIST_ROW,
    )


def worklist_queryset(user, params, today: dt.date | None = None) -> QuerySet[Complaint]:
    """The worklist's complaints as filtered (any order): the page, the count and the export."""
    filterset = ComplaintWorklistFilterSet(
        params,
        queryset=Complaint.objects.visible_to(user).select_related("provider", "assignee", "parent"),
        user=user,
        today=today,
    )
    return filterset.qs.using(list_reads(user, searching=bool(params.get("q"))))


def _day(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


# The filtered worklist as CSV (``housing_aid.casework.worklists``), in the reader's language.
EXPORT_COLUMNS = [
    worklists.Column(_("Number"), lambda c: c.number),
    worklists.Column(_("Complainant"), lambda c: c.complainant_full_name),
    worklists.Column(_("Addressee"), lambda c: c.get_addressee_display()),
    worklists.Column(_("Status"), lambda c: c.get_status_display()),
    worklists.Column(_("Registration date"), lambda c: _day(c.registered_on)),
    worklists.Column(_("Due date"), lambda c: _day(c.due_date)),
    worklists.Column(_("Executor"), lambda c: c.assignee.get_full_name() if c.assignee_id else ""),
]
EXPORT_DUE_FIELD = "due_date"


def complaint_for_user(user, pk) -> Complaint:
    """``get_*_for_user``: another provider's complaint answers 404 like a missing one."""
    # get() rather than first(): a lookup by key needs no ORDER BY to compile and run.
    return get_object_or_404(
        with_deadline(Complaint.objects.visible_to(user)).select_related(
            "provider", "assignee", "answered_by", "respondent", "parent", "created_by"
        ),
        pk=pk,
    )


def linked_cases(content_type_id: int | None, object_id: int | None) -> QuerySet | None:
    """The case complained about as a query of its service's table (None without one, or when
    that service's model is gone)."""
    if content_type_id is None:
        return None
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=object_id)


def linked_case(complaint: Complaint):
    """The case complained about, from whichever service registered it (None if gone)."""
    cases = linked_cases(complaint.case_content_type_id, complaint.case_object_id)
    return None if cases is None else cases.first()


def page_context(complaint: Complaint) -> dict:
    """Everything the complaint page shows next to the complaint itself; the timeline reads the
    declared event types' labels (``complaints.actions.EVENT_TYPES``). The timeline, documents
    and attachments are lazy: read only when the page's cached panels are drawn again
    (housing_aid.casepage)."""
    from complaints.actions import EVENT_TYPES

    return {
        "timeline": SimpleLazyObject(
            lambda: [
                (event, EVENT_TYPES.get(event.transition, event.transition)) for event in complaint.events()
            ]
        ),
        "documents": SimpleLazyObject(lambda: list(documents_of(complaint))),
        "attachments": SimpleLazyObject(lambda: list(attachments_of(complaint))),
        "escalations": list(complaint.escalations.order_by("id")),
        "linked_case": linked_case(complaint),
    }
