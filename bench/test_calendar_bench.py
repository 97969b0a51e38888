"""``make bench``: add_working_days from the precomputed index vs a day-by-day loop over ``holidays``.

Targets (issue 2): under 5 microseconds a call, and at least 10x faster than the loop.
"""

from __future__ import annotations

import datetime as dt
import random
import time

import holidays
import pytest

from housing_aid import workdays

STARTS = [dt.date(2024, 1, 1) + dt.timedelta(days=random.Random(i).randrange(0, 1000)) for i in range(1000)]  # noqa: S311
TERMS = [1, 2, 3, 5, 8, 15]
_KZ = holidays.country_holidays("KZ", years=range(2023, 2029))
_WEEKEND_WORKDAYS = set(_KZ.weekend_workdays)


def naive_add_working_days(start: dt.date, days: int) -> dt.date:
    """What the index replaces: walk day by day asking ``holidays``."""
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if day in _WEEKEND_WORKDAYS or (day.weekday() < 5 and day not in _KZ):
            left -= 1
    return day


def _run(fn):
    for start in STARTS:
        for n in TERMS:
            fn(start, n)


@pytest.fixture
def calendar(db):
    workdays.invalidate()
    workdays.get_calendar()
    return workdays


def test_add_working_days_index(benchmark, calendar):
    benchmark(_run, calendar.add_working_days)
    per_call_us = benchmark.stats.stats.mean / (len(STARTS) * len(TERMS)) * 1e6
    benchmark.extra_info["per_call_us"] = round(per_call_us, 3)
    print(f"\nadd_working_days (index): {per_call_us:.3f} us per call")  # noqa: T201
    assert per_call_us < 5


def test_add_working_days_naive_loop(benchmark, calendar):
    benchmark(_run, naive_add_working_days)
    per_call_us = benchmark.stats.stats.mean / (len(STARTS) * len(TERMS)) * 1e6
    benchmark.extra_info["per_call_us"] = round(per_call_us, 3)
    print(f"\nadd_working_days (day-by-day loop over holidays): {per_call_us:.3f} us per call")  # noqa: T201


def test_index_is_at_least_ten_times_faster_than_the_loop(calendar, benchmark):
    for start in STARTS:
        for n in TERMS:
            assert calendar.add_working_days(start, n) == naive_add_working_days(start, n)

    def timed(fn):
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            _run(fn)
            best = min(best, time.perf_counter() - t0)
        return best

    fast, slow = timed(calendar.add_working_days), timed(naive_add_working_days)
    print(f"\nspeed-up: {slow / fast:.1f}x")  # noqa: T201
    benchmark.extra_info["speedup"] = round(slow / fast, 1)
    benchmark.pedantic(lambda: None, rounds=1)
    assert slow / fast >= 10


def test_index_build(benchmark, db):
    benchmark.pedantic(lambda: workdays.WorkingCalendar(), rounds=3)
