"""Reads for the screens and the API: worklist, signing queue, case page, monitoring export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, DateField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from applications.models import DRAFT_STATUSES, OPEN_STATUSES, Application
from housing_aid import roles, workdays
from housing_aid.models import CaseEvent

FAR_FUTURE = dt.date(9999, 12, 31)


class Deadline:
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    CLOSED = "closed"


def with_deadline(qs: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Annotate ``deadline`` from the stored stage due date, in the database.

    due_soon: one working day left (the due date is the next working day).
    """
    today = today or workdays.today()
    soon = workdays.next_working_day(today)
    return qs.annotate(
        deadline=Case(
            When(stage_due_date__isnull=True, then=Value(Deadline.CLOSED)),
            When(stage_due_date__lt=today, then=Value(Deadline.OVERDUE)),
            When(stage_due_date=today, then=Value(Deadline.DUE_TODAY)),
            When(stage_due_date__lte=soon, then=Value(Deadline.DUE_SOON)),
            default=Value(Deadline.ON_TRACK),
            output_field=CharField(),
        )
    )


def overdue(qs: QuerySet, today: dt.date | None = None) -> QuerySet:
    return qs.filter(status__in=OPEN_STATUSES, stage_due_date__lt=today or workdays.today())


def search(qs: QuerySet, text: str) -> QuerySet:
    text = text.strip()
    if not text:
        return qs
    if text.isdigit() and len(text) == 12:
        return qs.filter(applicant__iin=text)
    return qs.filter(Q(number__icontains=text) | Q(applicant__last_name__istartswith=text))


@dataclass
class WorklistFilters:
    scope: str = "all"  # mine | unassigned | all
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
            if v and not (k == "scope" and v == "all") and not (k == "order" and v == "due")
        }


@dataclass
class Page:
    rows: list[Any]
    next_after: str | None
    is_first: bool
    prev_before: str | None = None


def worklist(user, filters: WorklistFilters, page_size: int = 50, today: dt.date | None = None) -> Page:
    """The officer's worklist: keyset pages (no COUNT(*)), one query per page.

    ``after`` pages forward from a row's key, ``before`` back from it: the same order read backwards,
    then turned round. A page that reaches the start is the first page.
    """
    today = today or workdays.today()
    qs = with_deadline(Application.objects.visible_to(user).with_list_data(), today)
    if filters.scope == "mine":
        qs = qs.filter(assignee=user)
    elif filters.scope == "unassigned":
        qs = qs.filter(assignee__isnull=True, status__in=OPEN_STATUSES)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.stage:
        qs = qs.in_stage(filters.stage)
    if filters.deadline in (Deadline.OVERDUE, Deadline.DUE_TODAY, Deadline.DUE_SOON):
        qs = qs.filter(deadline=filters.deadline)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.q:
        qs = search(qs, filters.q)
    newest = filters.order == "newest"
    if not newest:
        qs = qs.annotate(sort_due=Coalesce("stage_due_date", Value(FAR_FUTURE), output_field=DateField()))
    keys = ("-id",) if newest else ("sort_due", "id")
    backwards = _key_filter(filters.before, newest, backwards=True)
    if filters.before and backwards is not None:
        rows = list(qs.filter(backwards).order_by(*_reversed(keys))[: page_size + 1])
        if len(rows) > page_size:
            rows = rows[:page_size][::-1]
            return Page(rows, _key(rows[-1], newest), is_first=False, prev_before=_key(rows[0], newest))
        if len(rows) == page_size:  # exactly back at the start
            rows.reverse()
            return Page(rows, _key(rows[-1], newest), is_first=True)
        # Rows came or went since: the first page, filled up.
        forwards = None
    else:
        forwards = _key_filter(filters.after, newest, backwards=False)
    if forwards is not None:
        qs = qs.filter(forwards)
    rows = list(qs.order_by(*keys)[: page_size + 1])
    next_after = _key(rows[page_size - 1], newest) if len(rows) > page_size else None
    rows = rows[:page_size]
    first = forwards is None
    prev_before = _key(rows[0], newest) if rows and not first else None
    return Page(rows=rows, next_after=next_after, is_first=first, prev_before=prev_before)


def _key(row: Application, newest: bool) -> str:
    """The keyset cursor of a row: its id (newest first) or its stage due date and id."""
    if newest:
        return str(row.pk)
    return f"{(row.stage_due_date or FAR_FUTURE).isoformat()}_{row.pk}"


def _reversed(keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(k[1:] if k.startswith("-") else f"-{k}" for k in keys)


def _key_filter(cursor: str, newest: bool, *, backwards: bool) -> Q | None:
    """Rows after (or before) the cursor in the list's order; None for no or a malformed cursor."""
    if newest:
        if not cursor.isdigit():
            return None
        return Q(id__gt=int(cursor)) if backwards else Q(id__lt=int(cursor))
    parsed = _parse_due_cursor(cursor)
    if parsed is None:
        return None
    due, last_id = parsed
    if backwards:
        return Q(sort_due__lt=due) | Q(sort_due=due, id__lt=last_id)
    return Q(sort_due__gt=due) | Q(sort_due=due, id__gt=last_id)


def _parse_due_cursor(value: str) -> tuple[dt.date, int] | None:
    try:
        day, last_id = value.split("_", 1)
        return dt.date.fromisoformat(day), int(last_id)
    except ValueError:
        return None


def signing_queue(user) -> QuerySet:
    """Drafts waiting for the head's signature, the most urgent first."""
    return with_deadline(
        Application.objects.visible_to(user).with_list_data().filter(status__in=DRAFT_STATUSES)
    ).order_by("stage_due_date", "id")


def application_for_detail(user, pk: int) -> Application:
    application = (
        Application.objects.visible_to(user)
        .select_related("applicant", "provider", "assignee", "signed_by", "created_by")
        .prefetch_related("family_members")
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


def other_applications_of(application: Application, user) -> QuerySet:
    """History by IIN: the person's other applications the user may see."""
    return (
        Application.objects.visible_to(user)
        .filter(applicant_id=application.applicant_id)
        .exclude(pk=application.pk)
        .select_related("provider")
        .order_by("-received_at")[:20]
    )


def applications_of_iin(user, iin: str) -> QuerySet:
    return (
        Application.objects.visible_to(user)
        .filter(applicant__iin=iin)
        .select_related("provider")
        .order_by("-received_at")[:10]
    )


EXPORT_ROLES = (roles.Role.CASE_OFFICER, roles.Role.HEAD, roles.Role.AUDITOR, roles.Role.ADMINISTRATOR)


def stage_events(user, date_from: dt.date, date_to: dt.date) -> QuerySet:
    """Para 11: the stage events of a period for the monitoring information system."""
    qs = CaseEvent.objects.filter(
        service=Application.SERVICE, at__date__gte=date_from, at__date__lte=date_to
    ).select_related("provider", "actor__staff")
    ids = roles.provider_ids_for(user)
    if ids is not None:
        qs = qs.filter(provider_id__in=ids)
    return qs.order_by("at", "id")
