"""The calendar page of the admin: a year with every day off and every moved working day,
each with where it comes from and its legal basis (DOMAIN.md, "Working days").

Sources: the ``holidays`` package (country KZ) for public and religious holidays, their
moves and the decree transfers; the administrator's overrides on top (they win)."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt

from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from housing_aid import workdays

HOLIDAYS_LAW = "Закон РК «О праздниках в Республике Казахстан» от 13.12.2001 № 267-II"


def _basis_of(kind: str, year: int) -> str:
    if kind == "holiday":
        return _("%(law)s (list of holidays)") % {"law": HOLIDAYS_LAW}
    if kind == "moved":
        return _(
            "Labour Code of the Republic of Kazakhstan: a holiday falling on a day off moves to the next working day"
        )
    if kind == "decree":
        return _("Government decree on moving days off in %(year)s") % {"year": year}
    return ""


def year_days(year: int):
    """Every day of ``year`` that is not an ordinary Monday-Friday working day or weekend."""
    cal = workdays.get_calendar()
    package = cal._holidays  # noqa: SLF001 - the calendar's own holiday source
    weekend_workdays = cal._weekend_workdays  # noqa: SLF001
    special = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        override = cal.overrides.get(day)
        working = cal.is_working_day(day)
        kind = None
        if override is not None:
            kind = "override"
        elif day in weekend_workdays:
            kind = "decree_working"
        elif package.get(day):
            english = package.get(day)
            if "substituted" in english.lower():
                kind = "decree"
            elif "observed" in english.lower():
                kind = "moved"
            else:
                kind = "holiday"
        if kind is not None:
            special.append(
                {
                    "date": day,
                    "working": working,
                    "kind": kind,
                    "name": cal.day_reason(day) or "",
                    "basis": _override_basis(day)
                    if kind == "override"
                    else _basis_of("decree" if kind == "decree_working" else kind, year),
                }
            )
        day += dt.timedelta(days=1)
    return special


def _override_basis(day: dt.date) -> str:
    from housing_aid.models import CalendarOverride

    row = CalendarOverride.objects.filter(date=day).first()
    return row.legal_basis if row else ""


KIND_LABELS = {
    "holiday": lambda: _("Holiday"),
    "moved": lambda: _("Day off moved from a holiday on a weekend"),
    "decree": lambda: _("Day off moved by decree"),
    "decree_working": lambda: _("Working day moved by decree"),
    "override": lambda: _("Administrator's correction"),
}


def months_of(year: int, special: list[dict]):
    by_date = {s["date"]: s for s in special}
    cal = workdays.get_calendar()
    today = timezone.localdate()
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(None)
                    continue
                info = by_date.get(day)
                cells.append(
                    {
                        "date": day,
                        "working": cal.is_working_day(day),
                        "kind": info["kind"] if info else "",
                        "title": info["name"] if info else "",
                        "today": day == today,
                    }
                )
            weeks.append(cells)
        months.append({"number": month, "name": MONTHS[month], "weeks": weeks})
    return months


class CalendarPageMixin:
    """Adds ``<changelist>/year/`` to the calendar-override admin."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("year/", self.admin_site.admin_view(self.year_view), name="{}_{}_year".format(*info)),
            *super().get_urls(),
        ]

    def year_view(self, request):
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, workdays.FIRST_YEAR), workdays.LAST_YEAR)
        special = year_days(year)
        for row in special:
            row["kind_label"] = KIND_LABELS[row["kind"]]()
        add_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_add")
        weekday_names = [WEEKDAYS_ABBR[i] for i in range(7)]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Working-day calendar %(year)s") % {"year": year},
            "year": year,
            "previous_year": year - 1 if year > workdays.FIRST_YEAR else None,
            "next_year": year + 1 if year < workdays.LAST_YEAR else None,
            "months": months_of(year, special),
            "special": special,
            "weekday_names": weekday_names,
            "add_url": add_url,
            "can_add": self.has_add_permission(request),
            "working_days": sum(
                1
                for m in range(1, 13)
                for d in range(1, pycalendar.monthrange(year, m)[1] + 1)
                if workdays.get_calendar().is_working_day(dt.date(year, m, d))
            ),
            "holidays_law": HOLIDAYS_LAW,
        }
        return TemplateResponse(request, "admin/housing_aid/calendar_year.html", context)
