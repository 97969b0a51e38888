"""Kazakhstan's working-day calendar (DOMAIN.md, "Working days").

Days off come from the ``holidays`` package (country KZ: public and religious
holidays, moved days off and weekend working days by decree) plus the
administrator's overrides. Every call answers from a precomputed sorted index of
working days (ordinals), so ``add_working_days`` is a ``bisect`` and an index
lookup: O(log n), no loop over days.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import get_language
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from collections.abc import Iterable

    from housing_aid.models import ServiceProvider

FIRST_YEAR = 2000
LAST_YEAR = 2045


class OutsideCalendar(ValueError):
    """A date the production calendar does not cover: bad input (400), never a 500."""


# How often (seconds) a process asks the shared cache whether an override changed.
VERSION_CHECK_SECONDS = 10
VERSION_CACHE_KEY = "workdays:version"

# ``holidays`` names KZ holidays in kk and en; Russian names are ours.
_RU_NAMES = {
    "New Year's Day": "Новый год",
    "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Victory Day": "День Победы",
    "Eid al-Adha": "Курбан айт",
    "Capital Day": "День Столицы",
    "Constitution Day": "День Конституции",
    "Republic Day": "День Республики",
    "Independence Day": "День Независимости",
}


@dataclass(frozen=True)
class Override:
    date: dt.date
    working: bool
    reason: str


@dataclass
class WorkingCalendar:
    """An immutable index of working days between FIRST_YEAR and LAST_YEAR."""

    overrides: dict[dt.date, Override] = field(default_factory=dict)
    first_year: int = FIRST_YEAR
    last_year: int = LAST_YEAR

    def __post_init__(self) -> None:
        years = range(self.first_year, self.last_year + 1)
        self._holidays = holidays.country_holidays("KZ", years=years, language="en_US")
        weekend_workdays = set(getattr(self._holidays, "weekend_workdays", ()))
        self._weekend_workdays = weekend_workdays
        start = dt.date(self.first_year, 1, 1).toordinal()
        end = dt.date(self.last_year, 12, 31).toordinal()
        self._start, self._end = start, end
        days: list[int] = []
        for ordinal in range(start, end + 1):
            day = dt.date.fromordinal(ordinal)
            override = self.overrides.get(day)
            if override is not None:
                working = override.working
            elif day in weekend_workdays:
                working = True
            else:
                working = day.weekday() < 5 and day not in self._holidays
            if working:
                days.append(ordinal)
        self._days = days

    # --- queries -------------------------------------------------------------
    def _check(self, day: dt.date) -> int:
        ordinal = day.toordinal()
        if not self._start <= ordinal <= self._end:
            raise OutsideCalendar(f"date outside the calendar ({self.first_year}-{self.last_year}): {day}")
        return ordinal

    def is_working_day(self, day: dt.date) -> bool:
        ordinal = self._check(day)
        i = bisect.bisect_left(self._days, ordinal)
        return i < len(self._days) and self._days[i] == ordinal

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The date ``days`` working days after ``start``; ``start`` itself is not counted.

        A term runs from the next day (Civil Code), so ``add_working_days(d, 0)`` is ``d``
        and ``add_working_days(friday, 1)`` is the next working day.
        """
        if days <= 0:
            if days == 0:
                return start
            raise ValueError("days must not be negative")
        ordinal = start.toordinal()
        if not self._start <= ordinal <= self._end:
            self._check(start)
        try:
            return dt.date.fromordinal(self._days[bisect.bisect_right(self._days, ordinal) + days - 1])
        except IndexError:
            raise OutsideCalendar("result outside the calendar") from None

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days pass from start to end.

        Negative when end is before start. ``add_working_days(s, n) == e`` implies
        ``working_days_between(s, e) == n``.
        """
        a, b = self._check(start), self._check(end)
        if b < a:
            return -self.working_days_between(end, start)
        return bisect.bisect_right(self._days, b) - bisect.bisect_right(self._days, a)

    def day_reason(self, day: dt.date) -> str | None:
        """Why ``day`` is a day off, or a working weekend day; None for ordinary working days."""
        override = self.overrides.get(day)
        if override is not None:
            return override.reason
        if day in self._weekend_workdays:
            return _("Working day moved by government decree")
        name = self._holidays.get(day)
        if name:
            return _localise_holiday(day, name)
        if day.weekday() == 5:
            return _("Saturday")
        if day.weekday() == 6:
            return _("Sunday")
        return None

    def days(self, start: dt.date, end: dt.date) -> Iterable[tuple[dt.date, bool, str | None]]:
        ordinal = start.toordinal()
        while ordinal <= end.toordinal():
            day = dt.date.fromordinal(ordinal)
            working = self.is_working_day(day)
            reason = self.day_reason(day)
            yield day, working, reason
            ordinal += 1


def _localise_holiday(day: dt.date, english: str) -> str:
    lang = (get_language() or "ru")[:2]
    parts = [p.strip() for p in english.split(";")]
    if lang == "en":
        return english
    if lang == "kk":
        kk = holidays.country_holidays("KZ", years=day.year, language="kk").get(day)
        return kk or english
    out = []
    for part in parts:
        base = part.replace(" (observed)", "")
        if base.startswith("Day off (substituted from"):
            out.append("Перенесённый выходной день")
            continue
        name = _RU_NAMES.get(base, base)
        out.append(f"{name} (перенос)" if part.endswith("(observed)") else name)
    return "; ".join(out)


# --- the process-wide calendar, rebuilt when an override changes ----------------
_lock = threading.Lock()
_calendar: WorkingCalendar | None = None
_local_version: int | None = None
_checked_at = 0.0


def _shared_version() -> int:
    from django.core.cache import cache

    try:
        return int(cache.get(VERSION_CACHE_KEY) or 0)
    except Exception:  # noqa: BLE001 - a cache outage must not stop deadlines
        return 0


def _load_overrides() -> dict[dt.date, Override]:
    from housing_aid.models import CalendarOverride

    try:
        rows = list(CalendarOverride.objects.all())
    except Exception:  # noqa: BLE001 - table missing before the first migration
        return {}
    return {row.date: Override(row.date, row.is_working_day, row.reason_text()) for row in rows}


def get_calendar() -> WorkingCalendar:
    """The calendar with the current overrides; cheap after the first call."""
    global _calendar, _local_version, _checked_at
    now = time.monotonic()
    if _calendar is not None and now - _checked_at < VERSION_CHECK_SECONDS:
        return _calendar
    with _lock:
        version = _shared_version()
        if _calendar is None or version != _local_version:
            _calendar = WorkingCalendar(_load_overrides())
            _local_version = version
        _checked_at = now
        return _calendar


def invalidate() -> None:
    """Drop the index here and tell other processes (via the cache) to drop theirs."""
    global _calendar, _checked_at
    from django.core.cache import cache

    with _lock:
        _calendar = None
        _checked_at = 0.0
    try:
        try:
            cache.incr(VERSION_CACHE_KEY)
        except ValueError:
            cache.set(VERSION_CACHE_KEY, 1, timeout=None)
    except Exception:  # noqa: BLE001,S110 - other processes re-check within VERSION_CHECK_SECONDS anyway
        pass


def is_working_day(day: dt.date) -> bool:
    return get_calendar().is_working_day(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    calendar = _calendar
    if calendar is None or time.monotonic() - _checked_at >= VERSION_CHECK_SECONDS:
        calendar = get_calendar()
    return calendar.add_working_days(start, days)


def next_working_day(day: dt.date) -> dt.date:
    return get_calendar().next_working_day(day)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return get_calendar().working_days_between(start, end)


DEFAULT_TZ = ZoneInfo("Asia/Almaty")
DEFAULT_CLOSES = dt.time(18, 30)


def registration_date(received_at: dt.datetime, provider: ServiceProvider | None = None) -> dt.date:
    """Para 9.1: received during a working day's hours (or before opening) -> that day;
    after closing time or on a day off -> the next working day. Hours are the provider's."""
    if received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    tz = ZoneInfo(provider.time_zone) if provider is not None else DEFAULT_TZ
    closes = provider.closes_at if provider is not None else DEFAULT_CLOSES
    local = received_at.astimezone(tz)
    day = local.date()
    calendar = get_calendar()
    if calendar.is_working_day(day) and local.time() < closes:
        return day
    return calendar.next_working_day(day)


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
