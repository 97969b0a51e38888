"""Screens: the notification list and the supervisor dashboard (with CSV export)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from housing_aid import exports, roles
from housing_aid.models import in_language
from housing_aid.sla import charts, selectors, services
from housing_aid.sla.deadlines import STATES_WORST_FIRST, DeadlineState, ReferenceDates
from housing_aid.sla.forms import DashboardFilterForm
from housing_aid.sla.models import Notification

PAGE_SIZE = 30


# --- notifications --------------------------------------------------------------------
@require_GET
@login_required
def notifications(request):
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.notifications_for(request.user, unread_only=unread_only)
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(pk__lt=int(before))
    page = list(qs.order_by("-id")[: PAGE_SIZE + 1])
    has_more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    dates = ReferenceDates.on()
    rows = [_row(n, dates) for n in page]
    return render(
        request,
        "sla/notifications.html",
        {
            "rows": rows,
            "unread_only": unread_only,
            "next_before": page[-1].pk if has_more else None,
            "unread_total": selectors.unread_count(request.user),
        },
    )


def _row(notification: Notification, dates: ReferenceDates) -> dict:
    state = dates.state_of(notification.due_date) if notification.kind != "digest" else None
    return {
        "n": notification,
        "stage_display": selectors.stage_label(notification.service, notification.stage),
        "service_display": selectors.service_label(notification.service) if notification.service else "",
        "state": state,
        "state_display": DeadlineState(state).label if state in DeadlineState.values else "",
        "link": selectors.notification_link(notification),
    }


@require_POST
@login_required
def mark_read(request, pk: int):
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(request.user, [notification.pk])
    if request.htmx:
        notification.refresh_from_db()
        return render(request, "sla/_notification_row.html", {"row": _row(notification, ReferenceDates.on())})
    return redirect("sla:notifications")


@require_POST
@login_required
def mark_all_read(request):
    count = services.mark_read(request.user)
    messages.success(request, _("%(count)d notification(s) marked as read.") % {"count": count})
    return redirect("sla:notifications")


@require_GET
@login_required
def open_notification(request, pk: int):
    """Mark the notification read and go to its case (or the dashboard for a digest)."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.mark_read(request.user, [notification.pk])
    if notification.kind == "digest":
        return redirect("sla:dashboard")
    url = selectors.case_url(notification.content_type_id, notification.object_id)
    if url is None:
        messages.info(
            request,
            _("Case %(number)s has no page of its own yet.") % {"number": notification.case_number},
        )
        return redirect("sla:notifications")
    return redirect(url)


# --- supervisor dashboard ----------------------------------------------------------
@require_GET
@login_required
def dashboard(request):
    if not roles.has_role(request.user, *selectors.DASHBOARD_ROLES):
        raise PermissionDenied(_("The deadlines dashboard is for heads, auditors and administrators."))
    dates = ReferenceDates.on()
    form = DashboardFilterForm(request.GET or None, user=request.user, today=dates.today)
    filters = form.filters()
    export = request.GET.get("export")
    if export == "open":
        return _export_open(request.user, filters, dates)
    if export == "compliance":
        return _export_compliance(request.user, filters)

    totals = selectors.open_totals(request.user, filters, dates)
    by_stage = selectors.open_by_stage(request.user, filters, dates)
    by_officer = selectors.open_by_officer(request.user, filters, dates)
    for row in [*by_stage, *by_officer]:
        row["segments"] = charts.segments(row)
    case_series = selectors.compliance_series(
        selectors.case_compliance_by_month(request.user, filters), filters
    )
    stage_series = selectors.compliance_series(
        selectors.stage_compliance_by_month(request.user, filters), filters
    )
    return render(
        request,
        "sla/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "dates": dates,
            "states": STATES_WORST_FIRST,
            "totals": totals,
            "tiles": [(s.value, s.label, totals.get(s.value) or 0) for s in STATES_WORST_FIRST],
            "by_stage": by_stage,
            "by_officer": by_officer,
            "case_series": case_series,
            "case_chart": charts.monthly_chart(case_series, _month_label),
            "case_summary": _summary(case_series),
            "stage_series": stage_series,
            "stage_chart": charts.monthly_chart(stage_series, _month_label),
            "stage_summary": _summary(stage_series),
            "figures": [
                {"month": c["month"], "cases": c, "stages": s}
                for c, s in zip(case_series, stage_series, strict=True)
            ],
            "query": _query_without_export(request),
        },
    )


def _query_without_export(request) -> str:
    query = request.GET.copy()
    query.pop("export", None)
    return query.urlencode()


def _month_label(month) -> str:
    return formats.date_format(month, "M Y")


def _summary(series: list[dict]) -> dict:
    on_time = sum(item["on_time"] for item in series)
    late = sum(item["late"] for item in series)
    total = on_time + late
    return {
        "on_time": on_time,
        "late": late,
        "total": total,
        "percent": round(100 * on_time / total) if total else None,
    }


def _csv_response(filename: str, rows) -> StreamingHttpResponse:
    return exports.csv_response(filename, rows)


def _export_open(user, filters, dates: ReferenceDates) -> HttpResponse:
    labels = dict(DeadlineState.choices)
    header = [
        _("Case number"),
        _("Service"),
        _("Stage"),
        _("Service provider"),
        _("Stage started"),
        _("Due date"),
        _("Deadline state"),
        _("Officer"),
    ]

    def rows():
        yield header
        qs = selectors.open_stage_rows(user, filters, dates)
        language = get_language()  # the reader's: exports.csv_response streams the rows in it
        for row in qs.iterator(chunk_size=2000):
            number, service, stage, name_ru, name_kk, name_en, started, due, state, username, last, first = (
                row
            )
            officer = " ".join(p for p in (last, first) if p) or username or _("Unassigned")
            yield [
                number,
                selectors.service_label(service),
                selectors.stage_label(service, stage),
                in_language(language, name_ru, name_kk, name_en),
                started.isoformat(),
                due.isoformat(),
                str(labels.get(state, state)),
                officer,
            ]

    return _csv_response(f"open-stages-{dates.today.isoformat()}.csv", rows())


def _export_compliance(user, filters) -> HttpResponse:
    cases = selectors.compliance_series(selectors.case_compliance_by_month(user, filters), filters)
    stages = selectors.compliance_series(selectors.stage_compliance_by_month(user, filters), filters)

    def rows():
        yield [
            _("Month"),
            _("Cases closed on time"),
            _("Cases closed late"),
            _("Cases on time, %"),
            _("Stages closed on time"),
            _("Stages closed late"),
            _("Stages on time, %"),
        ]
        for case, stage in zip(cases, stages, strict=True):
            yield [
                case["month"].strftime("%Y-%m"),
                case["on_time"],
                case["late"],
                "" if case["percent"] is None else case["percent"],
                stage["on_time"],
                stage["late"],
                "" if stage["percent"] is None else stage["percent"],
            ]

    name = f"sla-compliance-{filters.month_from:%Y-%m}-{filters.month_to:%Y-%m}.csv"
    return _csv_response(name, rows())
