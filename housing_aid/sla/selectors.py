"""Reads for the screens: notifications, the supervisor dashboard, the CSV exports.

Every aggregate is one grouped query; nothing loops over cases in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from housing_aid import registry, roles
from housing_aid.dbrouter import lagging_reads
from housing_aid.models import CaseStage, ServiceProvider
from housing_aid.sla.deadlines import (
    STATES_WORST_FIRST,
    ReferenceDates,
    annotate_deadline_state,
    deadline_state_q,
)
from housing_aid.sla.models import CaseMonthSummary, Notification, OpenStageCount, StageMonthSummary

SERVICES = registry.SERVICE_LABELS

# The kernel's own stage; every service names its stages on its case model (``STAGE_LABELS``),
# so its screens, the dashboards and the notifications call a stage by one name.
STAGE_LABELS = {"overall": _("Overall term")}

DASHBOARD_ROLES = (roles.Role.HEAD, roles.Role.AUDITOR, roles.Role.ADMINISTRATOR)


def service_label(service: str) -> str:
    return str(SERVICES.get(service, service))


def stage_label(service: str, stage: str) -> str:
    model = registry.model_for_service(service) if service else None
    own = getattr(model, "STAGE_LABELS", None) or {}
    label = own.get(stage) or STAGE_LABELS.get(stage)
    return str(label) if label else stage.replace("_", " ").capitalize()


# --- notifications ------------------------------------------------------------------
def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.for_user(user).select_related("provider")
    return qs.unread() if unread_only else qs


def unread_count(user) -> int:
    return Notification.objects.for_user(user).unread().count()


def notification_link(notification: Notification) -> str:
    """Where the notification leads: the case (through the open view, which marks it read)."""
    if notification.kind == "digest":
        return reverse("sla:dashboard")
    return reverse("sla:open_notification", args=[notification.pk])


def case_url(content_type_id: int | None, object_id: int | None) -> str | None:
    """The case's own page, if its model has one; the page itself finds the case through the
    user (another provider's case is 404 there), so nothing is read here."""
    if content_type_id is None or object_id is None:
        return None
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    name = getattr(model, "DETAIL_URL_NAME", "")
    return reverse(name, args=[object_id]) if name else None


# --- dashboard ----------------------------------------------------------------------
@dataclass(frozen=True)
class DashboardFilters:
    service: str = ""
    provider_id: int | None = None
    month_from: dt.date | None = None  # first day of the first month
    month_to: dt.date | None = None  # first day of the last month

    @property
    def period_start(self) -> dt.date:
        return self.month_from

    @property
    def period_end(self) -> dt.date:
        """The first day after the period."""
        return _add_months(self.month_to, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after ``day``'s month."""
    return day.replace(day=1) + relativedelta(months=months)


def default_period(today: dt.date, months: int = 6) -> tuple[dt.date, dt.date]:
    last = today.replace(day=1)
    return _add_months(last, -(months - 1)), last


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], first
    while month <= last:
        out.append(month)
        month = _add_months(month, 1)
    return out


def providers_for(user) -> QuerySet[ServiceProvider]:
    ids = roles.provider_ids_for(user)
    qs = ServiceProvider.objects.filter(is_active=True)
    return qs if ids is None else qs.filter(pk__in=ids)


def _in_scope(qs: QuerySet, user, filters: DashboardFilters) -> QuerySet:
    """The rows of the user's providers, narrowed to the dashboard's provider and service."""
    ids = roles.provider_ids_for(user)
    if ids is not None:
        qs = qs.filter(provider_id__in=ids)
    if filters.provider_id is not None:
        qs = qs.filter(provider_id=filters.provider_id)
    if filters.service:
        qs = qs.filter(service=filters.service)
    return qs


def _scoped_stages(user, filters: DashboardFilters) -> QuerySet[CaseStage]:
    # Dashboards tolerate a few seconds of lag: the replica, when there is one.
    return _in_scope(CaseStage.objects.using(lagging_reads()), user, filters)


def open_stages(user, filters: DashboardFilters) -> QuerySet[CaseStage]:
    return _scoped_stages(user, filters).filter(closed_at__isnull=True)


def _counted_open_work(user, filters: DashboardFilters) -> tuple[QuerySet, str | None]:
    """The rows that count the open stages, and the column to sum (``None``: a row a stage).

    PostgreSQL keeps ``OpenStageCount`` by trigger: a few rows per provider and due date,
    however many stages are open. SQLite (``make run``) counts the open stages."""
    if _summaries_kept():
        return _in_scope(OpenStageCount.objects.using(lagging_reads()), user, filters), "n"
    return open_stages(user, filters), None


def _state_counts(dates: ReferenceDates, summed: str | None) -> dict:
    """The open stages per deadline state, and in all; the states from the due date (the
    kernel's one rule), so counts kept per due date stay right as the days pass."""

    def count(state=None):
        where = deadline_state_q(state, "due_date", dates) if state else None
        if summed:
            return Coalesce(Sum(summed, filter=where), 0)
        # ``provider`` (never null) is a key of the open stages' covering index, so the
        # counts come from an index-only scan; ``id`` is not in that index.
        return Count("provider", filter=where)

    counts = {state.value: count(state) for state in STATES_WORST_FIRST}
    counts["total"] = count()
    return counts


def open_totals(user, filters: DashboardFilters, dates: ReferenceDates) -> dict:
    qs, summed = _counted_open_work(user, filters)
    return qs.aggregate(**_state_counts(dates, summed))


def _grouped_counts(user, filters: DashboardFilters, dates: ReferenceDates, *fields: str) -> QuerySet:
    # A key whose stages have all closed since the sweep last folded the counts sums to 0.
    qs, summed = _counted_open_work(user, filters)
    return qs.values(*fields).annotate(**_state_counts(dates, summed)).filter(total__gt=0)


def open_by_stage(user, filters: DashboardFilters, dates: ReferenceDates) -> list[dict]:
    rows = list(_grouped_counts(user, filters, dates, "service", "stage").order_by("service", "stage"))
    for row in rows:
        row["service_display"] = service_label(row["service"])
        row["stage_display"] = stage_label(row["service"], row["stage"])
    return rows


def open_by_officer(user, filters: DashboardFilters, dates: ReferenceDates) -> list[dict]:
    rows = list(
        _grouped_counts(
            user,
            filters,
            dates,
            "assignee_id",
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
        ).order_by("-overdue", "-due_today", "-total", "assignee__last_name", "assignee__username")
    )
    for row in rows:
        full = " ".join(p for p in (row["assignee__last_name"], row["assignee__first_name"]) if p)
        row["officer"] = full or row["assignee__username"] or _("Unassigned")
        row["unassigned"] = row["assignee_id"] is None
    return rows


def _summary_rows(model, user, filters: DashboardFilters) -> dict[dt.date, dict]:
    """Monthly on-time / late counts from a summary table the database keeps (a few rows
    per month and provider, whatever the history). The triggers append +1/-1 rows and the
    sweep folds them, so the counts are the sums over the rows, never one row's values."""
    qs = _in_scope(
        model.objects.filter(month__gte=filters.month_from, month__lte=filters.month_to), user, filters
    )
    rows = qs.values("month").annotate(on_time=Sum("on_time"), late=Sum("late")).order_by("month")
    return {row["month"]: {"on_time": row["on_time"], "late": row["late"]} for row in rows}


def _summaries_kept() -> bool:
    """PostgreSQL keeps the summaries by triggers; SQLite (``make run``) counts the rows."""
    return connections[router.db_for_read(StageMonthSummary)].vendor == "postgresql"


def _on_time_by_month(qs: QuerySet, closed: str, filters: DashboardFilters) -> QuerySet:
    """Rows closed in the period, counted per month: on time (closed on or before the due
    date) and late."""
    return (
        qs.filter(**{f"{closed}__gte": filters.period_start, f"{closed}__lt": filters.period_end})
        .annotate(month=TruncMonth(closed))
        .values("month")
        .annotate(
            on_time=Count("id", filter=Q(**{f"{closed}__lte": F("due_date")})),
            late=Count("id", filter=Q(**{f"{closed}__gt": F("due_date")})),
        )
    )


def stage_compliance_by_month(user, filters: DashboardFilters) -> dict[dt.date, dict]:
    """Stages closed per month: on time (closed on or before the due date) vs late."""
    if _summaries_kept():
        return _summary_rows(StageMonthSummary, user, filters)
    rows = _on_time_by_month(_scoped_stages(user, filters), "closed_on", filters)
    return {row["month"]: {"on_time": row["on_time"], "late": row["late"]} for row in rows}


def case_compliance_by_month(user, filters: DashboardFilters) -> dict[dt.date, dict]:
    """Cases closed per month (every registered service): closed on or before their due date
    is on time. One grouped query per case model."""
    if _summaries_kept() and roles.role_of(user) in DASHBOARD_ROLES:
        return _summary_rows(CaseMonthSummary, user, filters)
    out: dict[dt.date, dict] = {}
    for model in registry.CASE_MODELS:
        if filters.service and model.SERVICE != filters.service:
            continue
        qs = model.objects.visible_to(user).filter(closed_at__isnull=False, due_date__isnull=False)
        if filters.provider_id is not None:
            qs = qs.filter(provider_id=filters.provider_id)
        rows = _on_time_by_month(qs.annotate(closed_day=TruncDate("closed_at")), "closed_day", filters)
        for row in rows:
            month = row["month"]
            if isinstance(month, dt.datetime):
                month = month.date()
            slot = out.setdefault(month, {"on_time": 0, "late": 0})
            slot["on_time"] += row["on_time"]
            slot["late"] += row["late"]
    return out


def compliance_series(by_month: dict[dt.date, dict], filters: DashboardFilters) -> list[dict]:
    """Every month of the period, empty months included, with the on-time share."""
    series = []
    for month in months_between(filters.month_from, filters.month_to):
        counts = by_month.get(month, {"on_time": 0, "late": 0})
        total = counts["on_time"] + counts["late"]
        series.append(
            {
                "month": month,
                "on_time": counts["on_time"],
                "late": counts["late"],
                "total": total,
                "percent": round(100 * counts["on_time"] / total) if total else None,
            }
        )
    return series


def open_stage_rows(user, filters: DashboardFilters, dates: ReferenceDates):
    """The open stages for the CSV export, worst first, streamed."""
    return (
        annotate_deadline_state(open_stages(user, filters), field="due_date", dates=dates)
        .order_by("deadline_state_rank", "due_date", "id")
        .values_list(
            "case_number",
            "service",
            "stage",
            "provider__name_ru",
            "provider__name_kk",
            "provider__name_en",
            "started_on",
            "due_date",
            "deadline_state",
            "assignee__username",
            "assignee__last_name",
            "assignee__first_name",
        )
    )
