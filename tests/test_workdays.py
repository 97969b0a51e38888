"""The working-day calendar against DOMAIN.md's hand-checked days and its rules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from housing_aid import workdays
from housing_aid.models import CalendarOverride
from housing_aid.workdays import WorkingCalendar

D = dt.date
ALMATY = ZoneInfo("Asia/Almaty")

# DOMAIN.md: hand-checked days off that fall on a weekday.
WEEKDAY_DAYS_OFF = {
    2024: [D(2024, 1, 1), D(2024, 1, 2), D(2024, 3, 8), D(2024, 3, 21), D(2024, 3, 22), D(2024, 3, 25),
           D(2024, 5, 1), D(2024, 5, 7), D(2024, 5, 8), D(2024, 5, 9), D(2024, 7, 8), D(2024, 8, 30),
           D(2024, 10, 25), D(2024, 12, 16)],
    2025: [D(2025, 1, 1), D(2025, 1, 2), D(2025, 1, 3), D(2025, 1, 7), D(2025, 3, 10), D(2025, 3, 21),
           D(2025, 3, 24), D(2025, 3, 25), D(2025, 5, 1), D(2025, 5, 7), D(2025, 5, 9), D(2025, 6, 6),
           D(2025, 7, 7), D(2025, 9, 1), D(2025, 10, 27), D(2025, 12, 16)],
}  # fmt: skip

calendar = WorkingCalendar()


@pytest.mark.parametrize("year", [2024, 2025])
def test_weekday_days_off_are_exactly_the_hand_checked_ones(year):
    day, found = D(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5 and not calendar.is_working_day(day):
            found.append(day)
        day += dt.timedelta(days=1)

    assert found == WEEKDAY_DAYS_OFF[year]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 5, 4), True),  # Saturday worked by decree
        (D(2025, 1, 5), True),  # Sunday worked by decree
        (D(2024, 6, 16), False),  # Kurban Ait on a Sunday: does not move
        (D(2024, 6, 17), True),
        (D(2025, 1, 4), False),
        (D(2025, 3, 11), True),
    ],
)
def test_weekend_workdays_and_religious_holidays(day, working):
    assert calendar.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days", "result"),
    [
        (D(2025, 3, 20), 1, D(2025, 3, 26)),  # Nauryz 21-25 Mar 2025
        (D(2025, 3, 20), 8, D(2025, 4, 4)),
        (D(2024, 5, 3), 1, D(2024, 5, 4)),  # the working Saturday counts
        (D(2024, 5, 3), 2, D(2024, 5, 6)),
        (D(2024, 12, 31), 1, D(2025, 1, 5)),  # 1-3 Jan off, Sat 4 Jan off, Sun 5 Jan 2025 worked by decree
        (D(2025, 1, 3), 1, D(2025, 1, 5)),
        (D(2025, 11, 21), 2, D(2025, 11, 25)),  # Friday + 2 -> Tuesday
        (D(2025, 11, 21), 0, D(2025, 11, 21)),
    ],
)
def test_add_working_days_does_not_count_the_start(start, days, result):
    assert calendar.add_working_days(start, days) == result


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=D(2001, 1, 1), max_value=D(2043, 12, 31)), st.integers(min_value=0, max_value=400))
def test_add_working_days_matches_a_day_by_day_count(start, n):
    result = calendar.add_working_days(start, n)

    assert result >= start
    assert calendar.working_days_between(start, result) == n
    if n > 0:
        assert calendar.is_working_day(result)
        assert calendar.working_days_between(start, result - dt.timedelta(days=1)) == n - 1


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(2001, 1, 1), max_value=D(2043, 12, 31)), st.integers(0, 60), st.integers(0, 60))
def test_add_working_days_composes(start, a, b):
    assert calendar.add_working_days(calendar.add_working_days(start, a), b) == calendar.add_working_days(
        start, a + b
    )


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=D(2001, 1, 1), max_value=D(2043, 12, 31)))
def test_is_working_day_agrees_with_the_holidays_package(day):
    import holidays

    kz = holidays.country_holidays("KZ", years=day.year)
    expected = day in kz.weekend_workdays or (day.weekday() < 5 and day not in kz)
    assert calendar.is_working_day(day) is expected


@pytest.mark.parametrize(
    ("received", "registered"),
    [
        (dt.datetime(2025, 3, 19, 10, 0, tzinfo=ALMATY), D(2025, 3, 19)),  # working hours
        (dt.datetime(2025, 3, 19, 7, 30, tzinfo=ALMATY), D(2025, 3, 19)),  # before opening: that day
        (dt.datetime(2025, 3, 19, 18, 29, tzinfo=ALMATY), D(2025, 3, 19)),
        (dt.datetime(2025, 3, 19, 18, 30, tzinfo=ALMATY), D(2025, 3, 20)),  # closing time: next working day
        (dt.datetime(2025, 3, 20, 21, 0, tzinfo=ALMATY), D(2025, 3, 26)),  # evening before Nauryz
        (dt.datetime(2025, 3, 22, 12, 0, tzinfo=ALMATY), D(2025, 3, 26)),  # holiday Saturday
        (dt.datetime(2024, 5, 4, 11, 0, tzinfo=ALMATY), D(2024, 5, 4)),  # working Saturday
        (dt.datetime(2025, 3, 19, 13, 0, tzinfo=dt.UTC), D(2025, 3, 19)),  # 18:00 in Almaty (UTC+5)
        (dt.datetime(2025, 3, 19, 13, 45, tzinfo=dt.UTC), D(2025, 3, 20)),  # 18:45 in Almaty
    ],
)
def test_registration_date_follows_para_9_1(received, registered, db):
    assert workdays.registration_date(received) == registered


def test_registration_uses_the_providers_hours(provider):
    provider.closes_at = dt.time(17, 0)
    received = dt.datetime(2025, 3, 19, 17, 30, tzinfo=ALMATY)

    assert workdays.registration_date(received, provider) == D(2025, 3, 20)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        workdays.registration_date(dt.datetime(2025, 3, 19, 10, 0))  # noqa: DTZ001


def test_an_override_changes_the_calendar_at_once(db):
    assert workdays.is_working_day(D(2025, 11, 24))

    CalendarOverride.objects.create(
        date=D(2025, 11, 24), is_working_day=False, legal_basis="Akimat decision No. 1"
    )

    assert not workdays.is_working_day(D(2025, 11, 24))
    assert workdays.add_working_days(D(2025, 11, 21), 1) == D(2025, 11, 25)

    CalendarOverride.objects.filter(date=D(2025, 11, 24)).delete()  # queryset delete bypasses model.delete
    workdays.invalidate()
    assert workdays.is_working_day(D(2025, 11, 24))


def test_an_override_can_make_a_saturday_a_working_day(db):
    CalendarOverride.objects.create(
        date=D(2025, 11, 22), is_working_day=True, legal_basis="Government decree"
    )

    assert workdays.add_working_days(D(2025, 11, 21), 1) == D(2025, 11, 22)


def test_negative_days_and_dates_outside_the_calendar_are_errors():
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2025, 1, 1), -1)
    with pytest.raises(ValueError):
        calendar.is_working_day(D(1999, 12, 31))
