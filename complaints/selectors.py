"""Reads for the complaint screens and the API: every lookup goes through the user."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from complaints.models import EVENT_LABELS, Complaint, ComplaintStatus
from housing_aid import workdays
from housing_aid.documents import documents_of
from housing_aid.uploads import attachments_of

# "Due soon": the due date is at most this many working days away.
DUE_SOON_WORKING_DAYS = 2
OPEN = (ComplaintStatus.REGISTERED, ComplaintStatus.UNDER_REVIEW)


def with_deadline(queryset: QuerySet[Complaint], today: dt.date | None = None) -> QuerySet[Complaint]:
    """Annotate ``deadline_state`` (the CSS class suffix) and ``deadline_rank`` in the database."""
    today = today or workdays.today()
    soon = workdays.add_working_days(today, DUE_SOON_WORKING_DAYS)
    is_open = Q(status__in=OPEN)
    return queryset.annotate(
        deadline_state=Case(
            When(~is_open, then=Value("closed")),
            When(due_date__lt=today, then=Value("overdue")),
            When(due_date=today, then=Value("due_today")),
            When(due_date__lte=soon, then=Value("due_soon")),
            default=Value("on_track"),
        ),
        deadline_rank=Case(
            When(~is_open, then=Value(4)),
            When(due_date__lt=today, then=Value(0)),
            When(due_date=today, then=Value(1)),
            When(due_date__lte=soon, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
    )


def complaints_for(
    user,
    *,
    status: str = "",
    addressee: str = "",
    overdue: bool = False,
    query: str = "",
    today: dt.date | None = None,
) -> QuerySet[Complaint]:
    """The worklist: the user's visible complaints, overdue first, then by due date."""
    today = today or workdays.today()
    qs = Complaint.objects.visible_to(user).select_related("provider", "assignee", "parent")
    if status:
        qs = qs.filter(status=status)
    if addressee:
        qs = qs.filter(addressee=addressee)
    if overdue:
        qs = qs.filter(status__in=OPEN, due_date__lt=today)
    if query:
        query = query.strip()
        qs = qs.filter(
            Q(number__icontains=query)
            | Q(complainant_last_name__icontains=query)
            | Q(complainant_iin=query)
            | Q(case_number__icontains=query)
        )
    return with_deadline(qs, today).order_by("deadline_rank", "due_date", "id")


def complaint_for_user(user, pk) -> Complaint:
    """``get_*_for_user``: another provider's complaint answers 404 like a missing one."""
    complaint = (
        with_deadline(Complaint.objects.visible_to(user))
        .select_related("provider", "assignee", "answered_by", "respondent", "parent", "created_by")
        .filter(pk=pk)
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def linked_case(complaint: Complaint):
    """The case complained about, from whichever service registered it (None if gone)."""
    if complaint.case_content_type_id is None:
        return None
    model = complaint.case_content_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=complaint.case_object_id).first()


def page_context(complaint: Complaint) -> dict:
    """Everything the complaint page shows next to the complaint itself."""
    return {
        "timeline": [
            (event, EVENT_LABELS.get(event.transition, event.transition)) for event in complaint.events()
        ],
        "documents": list(documents_of(complaint)),
        "attachments": list(attachments_of(complaint)),
        "escalations": list(complaint.escalations.order_by("id")),
        "linked_case": linked_case(complaint),
    }
