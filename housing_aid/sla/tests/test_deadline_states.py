"""Deadline states are computed by the database, across weekends and holidays."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from housing_aid.models import CaseStage
from housing_aid.sla.deadlines import DeadlineState, ReferenceDates, annotate_deadline_state

from .conftest import at, make_stage

pytestmark = pytest.mark.django_db

# Nauryz 2025: Fri 21, Mon 24 and Tue 25 March are days off; Wed 26 March is the first working day after.
AFTER_NAURYZ = dt.date(2025, 3, 26)


def states_on(moment: dt.datetime) -> dict[int, str]:
    with time_machine.travel(moment, tick=False):
        qs = annotate_deadline_state(CaseStage.objects.all(), field="due_date")
        return dict(qs.values_list("id", "deadline_state"))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2025, 3, 19), DeadlineState.ON_TRACK),  # Wed: two working days left (20th, 26th)
        (dt.date(2025, 3, 20), DeadlineState.DUE_SOON),  # Thu: the next working day is the 26th
        (dt.date(2025, 3, 22), DeadlineState.DUE_SOON),  # Saturday, inside the holidays
        (dt.date(2025, 3, 25), DeadlineState.DUE_SOON),  # the last day of Nauryz
        (AFTER_NAURYZ, DeadlineState.DUE_TODAY),
        (dt.date(2025, 3, 27), DeadlineState.OVERDUE),
    ],
)
def test_stage_due_after_nauryz_changes_state_on_the_right_days(provider, today, expected):
    stage = make_stage(provider, AFTER_NAURYZ)

    states = states_on(at(today))

    assert states[stage.pk] == expected


@pytest.mark.parametrize(
    ("today", "due", "expected"),
    [
        # 2024: Saturday 4 May was worked (decree); 7, 8 and 9 May were days off.
        (dt.date(2024, 5, 3), dt.date(2024, 5, 4), DeadlineState.DUE_SOON),
        (dt.date(2024, 5, 4), dt.date(2024, 5, 4), DeadlineState.DUE_TODAY),
        (dt.date(2024, 5, 5), dt.date(2024, 5, 4), DeadlineState.OVERDUE),
        (dt.date(2024, 5, 3), dt.date(2024, 5, 6), DeadlineState.ON_TRACK),  # Sat 4 May lies between
        (dt.date(2024, 5, 6), dt.date(2024, 5, 10), DeadlineState.DUE_SOON),  # Mon -> Fri over 7-9 May
        (dt.date(2024, 5, 6), dt.date(2024, 5, 13), DeadlineState.ON_TRACK),
    ],
)
def test_working_saturday_and_may_holidays(provider, today, due, expected):
    stage = make_stage(provider, due)

    states = states_on(at(today))

    assert states[stage.pk] == expected


def test_friday_makes_a_monday_deadline_due_soon(provider):
    monday = dt.date(2025, 6, 16)
    stage = make_stage(provider, monday)

    assert states_on(at(dt.date(2025, 6, 12)))[stage.pk] == DeadlineState.ON_TRACK  # Thu
    assert states_on(at(dt.date(2025, 6, 13)))[stage.pk] == DeadlineState.DUE_SOON  # Fri
    assert states_on(at(dt.date(2025, 6, 15)))[stage.pk] == DeadlineState.DUE_SOON  # Sun


def test_the_day_follows_almaty_time_not_utc(provider):
    stage = make_stage(provider, dt.date(2025, 6, 16))

    # 00:30 on Tue 17 June in Almaty is still Monday in UTC
    assert states_on(at(dt.date(2025, 6, 17), hour=0))[stage.pk] == DeadlineState.OVERDUE


def test_an_empty_due_date_is_closed(provider):
    stage = make_stage(provider, dt.date(2025, 6, 16))

    with time_machine.travel(at(dt.date(2025, 6, 16)), tick=False):
        qs = annotate_deadline_state(CaseStage.objects.filter(pk=stage.pk), field="closed_on")
        row = qs.get()

    assert (row.deadline_state, row.deadline_state_rank) == ("closed", 4)


def test_python_rule_agrees_with_the_database(provider):
    days = [dt.date(2025, 3, 17) + dt.timedelta(days=i) for i in range(14)]
    stages = {make_stage(provider, d).pk: d for d in days}
    for today in days:
        dates = ReferenceDates.on(today)
        states = states_on(at(today))
        assert {pk: dates.state_of(d) for pk, d in stages.items()} == states, today
