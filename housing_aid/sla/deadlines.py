"""THE deadline-state rule (on track / due soon / due today / overdue), computed in the
database from stored due dates. Every worklist, case page, dashboard and the sweep use it.

Today and the next working day are computed once with the working-day calendar;
everything else is a ``CASE WHEN`` over the due-date column, so a worklist or the
sweep can filter, count and order by state without loading a case into Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from housing_aid import workdays


class DeadlineState(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    DUE_SOON = "due_soon", _("Due soon")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")


CLOSED = "closed"
# Worst first: the order a head reads the dashboard in.
STATES_WORST_FIRST = [
    DeadlineState.OVERDUE,
    DeadlineState.DUE_TODAY,
    DeadlineState.DUE_SOON,
    DeadlineState.ON_TRACK,
]


@dataclass(frozen=True)
class ReferenceDates:
    """``today`` and the last day that still counts as "due soon" (the next working day)."""

    today: dt.date
    due_soon_until: dt.date

    @classmethod
    def on(cls, today: dt.date | None = None) -> ReferenceDates:
        today = today or workdays.today()
        return cls(today=today, due_soon_until=workdays.next_working_day(today))

    def state_of(self, due_date: dt.date | None) -> str:
        """The same rule in Python, for one date already in hand (a detail page, an e-mail)."""
        if due_date is None:
            return CLOSED
        if due_date < self.today:
            return DeadlineState.OVERDUE
        if due_date == self.today:
            return DeadlineState.DUE_TODAY
        if due_date <= self.due_soon_until:
            return DeadlineState.DUE_SOON
        return DeadlineState.ON_TRACK


def deadline_state_expression(field: str = "due_date", dates: ReferenceDates | None = None) -> Case:
    """``CASE WHEN`` giving the state of ``field``; ``closed`` when the date is empty.

    Due soon means one working day left: the due date is after today and no later than the
    next working day (a Friday's "due soon" covers a stage due on Monday, or on the day after
    a holiday).
    """
    dates = dates or ReferenceDates.on()
    return Case(
        When(**{f"{field}__isnull": True}, then=Value(CLOSED)),
        When(**{f"{field}__lt": dates.today}, then=Value(DeadlineState.OVERDUE.value)),
        When(**{field: dates.today}, then=Value(DeadlineState.DUE_TODAY.value)),
        When(**{f"{field}__lte": dates.due_soon_until}, then=Value(DeadlineState.DUE_SOON.value)),
        default=Value(DeadlineState.ON_TRACK.value),
        output_field=models.CharField(),
    )


def deadline_state_q(state: str, field: str = "due_date", dates: ReferenceDates | None = None) -> Q:
    """A filter for one state that can use an index on ``field`` (a range, not the CASE)."""
    dates = dates or ReferenceDates.on()
    if state == DeadlineState.OVERDUE:
        return Q(**{f"{field}__lt": dates.today})
    if state == DeadlineState.DUE_TODAY:
        return Q(**{field: dates.today})
    if state == DeadlineState.DUE_SOON:
        return Q(**{f"{field}__gt": dates.today, f"{field}__lte": dates.due_soon_until})
    if state == DeadlineState.ON_TRACK:
        return Q(**{f"{field}__gt": dates.due_soon_until})
    if state == CLOSED:
        return Q(**{f"{field}__isnull": True})
    raise ValueError(f"unknown deadline state {state!r}")


def annotate_deadline_state(
    qs: QuerySet,
    field: str = "stage_due_date",
    name: str = "deadline_state",
    dates: ReferenceDates | None = None,
) -> QuerySet:
    """Add ``name`` (on_track | due_soon | due_today | overdue | closed) to every row of ``qs``.

    For case worklists: ``annotate_deadline_state(Application.objects.visible_to(user))``;
    for stages: ``annotate_deadline_state(CaseStage.objects.all(), field="due_date")``.
    Also adds ``<name>_rank`` (0 = overdue ... 3 = on track, 4 = closed) to order by urgency.
    """
    dates = dates or ReferenceDates.on()
    return qs.annotate(
        **{
            name: deadline_state_expression(field, dates),
            f"{name}_rank": deadline_rank_expression(field, dates),
        }
    )


def deadline_rank_expression(field: str = "due_date", dates: ReferenceDates | None = None) -> Case:
    """0 = overdue, 1 = due today, 2 = due soon, 3 = on track, 4 = closed (no date)."""
    dates = dates or ReferenceDates.on()
    return Case(
        When(**{f"{field}__isnull": True}, then=Value(4)),
        When(**{f"{field}__lt": dates.today}, then=Value(0)),
        When(**{field: dates.today}, then=Value(1)),
        When(**{f"{field}__lte": dates.due_soon_until}, then=Value(2)),
        default=Value(3),
        output_field=models.IntegerField(),
    )


__all__ = [
    "CLOSED",
    "STATES_WORST_FIRST",
    "DeadlineState",
    "ReferenceDates",
    "annotate_deadline_state",
    "deadline_rank_expression",
    "deadline_state_expression",
    "deadline_state_q",
]
