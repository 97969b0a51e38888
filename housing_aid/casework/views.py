"""Screens of "Working the cases": a person's cases, absences, notes and assignment from the
case page and the worklist (single and bulk). Each POST calls the same services as the API."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework import serializers

from housing_aid import exports, roles, workdays
from housing_aid.actions import run_action, validation_errors
from housing_aid.cases import CaseConflict
from housing_aid.casework import actions as casework_actions
from housing_aid.casework import services, worklists
from housing_aid.casework.models import SavedFilter, Substitution
from housing_aid.identifiers import is_valid_iin, validate_iin
from housing_aid.paging import CASE_STATES, pager_queries
from housing_aid.persons import open_cases_elsewhere
from housing_aid.registry import SERVICE_LABELS
from housing_aid.roles import Role

WORKLIST_PAGE = 50


def worklist_screen(
    request,
    selectors,
    *,
    service: str,
    template: str,
    choices: dict,
    context: dict,
    row_html,
    labels: tuple,
    phrases: dict | None = None,
):
    """A service's worklist screen: a keyset page of ``selectors.worklist`` filtered by the query
    string, the shared worklist tools over ``selectors.worklist_queryset`` (``choices``: the
    labels of the service's own filters, for the chips), the pager's links and ``context``.
    ``row_html(row, cells=...)``: a row's HTML (``worklists.RowCells`` the page's shared
    cells, with the choice labels of the fields ``labels`` and ``phrases`` translated), as
    ``rows`` in the template."""
    queryset = selectors.worklist_queryset(request.user, request.GET)
    page = selectors.worklist(request.user, request.GET, per_page=WORKLIST_PAGE, queryset=queryset)
    work = worklists.tools(
        request,
        service=service,
        queryset=queryset,
        choices={"state": dict(CASE_STATES), **choices},
        order=request.GET.get("order", ""),
    )
    if work["bulk"]:
        work["page_ids"] = worklists.page_ids_html(page.rows)
    cells = worklists.RowCells(
        request,
        work,
        model=services.model_for_url(service),
        executor_name=worklists.given_name_first,
        labels=labels,
        phrases=phrases,
    )
    return render(
        request,
        template,
        {
            "page": page,
            "rows": worklists.rows_html(page.rows, partial(row_html, cells=cells)),
            "work": work,
            "filters": request.GET,
            "case_states": CASE_STATES,
            **pager_queries(request.GET, page),
            **context,
        },
    )


def _back(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return HttpResponseRedirect(target)


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _case(request, service: str, pk: int):
    try:
        model = services.model_for_url(service)
    except LookupError as exc:
        raise Http404 from exc
    return get_object_or_404(model.objects.visible_to(request.user), pk=pk)


def executors_for(case, user) -> list:
    """Staff who may be the case's executor, at its provider (for the pickers)."""
    User = get_user_model()
    qs = User.objects.filter(is_active=True, staff__role__in=services.executor_roles(case)).filter(
        Q(staff__providers=case.provider_id) | Q(staff__all_providers=True)
    )
    return list(qs.select_related("staff").distinct().order_by("last_name", "first_name", "username"))


@login_required
@require_POST
def assign(request, service: str, pk: int):
    case = _case(request, service, pk)
    body = {
        "executor": request.POST.get("executor") or request.user.get_username(),
        "reason": request.POST.get("reason", ""),
    }
    if _run(request, case, "assign", body):
        messages.success(request, _("Case %(number)s assigned.") % {"number": case.number})
    return _back(request, case.get_absolute_url())


def _run(request, case, name: str, body: dict) -> bool:
    """Run a casework action from a screen; a refusal becomes the page's error message."""
    try:
        run_action(casework_actions.ACTIONS, case, name, request.user, body)
    except serializers.ValidationError as exc:
        messages.error(request, " ".join(m for msgs in validation_errors(exc).values() for m in msgs))
    except CaseConflict as exc:
        messages.error(request, str(exc.detail))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    else:
        return True
    return False


def _safe_next(request, fallback: str = "/") -> str:
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return fallback
    return target


@login_required
@require_http_methods(["GET", "POST"])
def bulk_assign(request, service: str):
    """POST assigns the selected cases and redirects here; GET shows the per-case outcome
    (kept in the session, so a reload or a language switch does not assign again)."""
    try:
        model = services.model_for_url(service)
    except LookupError as exc:
        raise Http404 from exc
    if not roles.has_role(request.user, Role.HEAD, Role.ADMINISTRATOR):
        raise PermissionDenied
    if request.method == "GET":
        outcome = request.session.get("bulk_result")
        if not outcome or outcome.get("service") != service:
            return HttpResponseRedirect(reverse(WORKLIST_URLS[service]))
        return render(request, "casework/bulk_result.html", outcome)
    # Case ids as the worklist posts them; anything else (or a number no id can be) is dropped.
    # "Select all on page" sends the page's ids (it works without JavaScript).
    posted = request.POST.getlist("ids")
    if request.POST.get("all_on_page"):
        posted += request.POST.getlist("page_ids")
    ids = list(dict.fromkeys(int(v) for v in posted if v.isascii() and v.isdigit() and len(v) <= 18))
    if not ids:
        messages.error(request, _("Select the cases to assign."))
        return _back(request, reverse(WORKLIST_URLS[service]))
    result = casework_actions.bulk_assign(
        model, ids, request.POST.get("executor", ""), request.user, reason=request.POST.get("reason", "")
    )
    numbers = dict(model.objects.visible_to(request.user).filter(pk__in=ids).values_list("pk", "number"))
    request.session["bulk_result"] = {
        "service": service,
        "assigned": [numbers.get(pk, str(pk)) for pk in result.assigned],
        "errors": [(numbers.get(int(pk), pk), msgs) for pk, msgs in result.errors.items()],
        "back": _safe_next(request, reverse(WORKLIST_URLS[service])),
    }
    return HttpResponseRedirect(reverse("casework:bulk_assign", args=[service]))


@login_required
@require_POST
def add_note(request, service: str, pk: int):
    case = _case(request, service, pk)
    if _run(request, case, "add_note", {"text": request.POST.get("text", "")}):
        request.session.pop("note_draft", None)
        messages.success(request, _("Note saved."))
    else:
        request.session["note_draft"] = request.POST.get("text", "")[:5000]
    return HttpResponseRedirect(case.get_absolute_url() + "#notes")


@login_required
def person(request, iin: str | None = None):
    iin = (iin or request.GET.get("iin") or "").strip()
    if not roles.has_role(request.user, *services.PERSON_READER_ROLES):
        raise PermissionDenied
    error = ""
    rows = []
    if iin:
        try:
            validate_iin(iin)
        except ValidationError as exc:
            error = _messages(exc)
        else:
            rows = services.person_cases(iin, request.user)
    groups = {}
    for row in rows:
        groups.setdefault(row["service"], []).append(row["case"])
    return render(
        request,
        "casework/person.html",
        {
            "iin": iin,
            "error": error,
            "groups": [(SERVICE_LABELS.get(s, s), cases) for s, cases in groups.items()],
            "searched": bool(iin) and not error,
        },
    )


def _typed_date(value: str) -> dt.date:
    """A date as the screens type it (dd.mm.yyyy, the desk's mask) or as ISO."""
    value = value.strip()
    if "." in value:
        return dt.datetime.strptime(value, "%d.%m.%Y").date()  # noqa: DTZ007 - a date, no time
    return dt.date.fromisoformat(value)


@login_required
def absences(request):
    if not roles.has_role(request.user, Role.HEAD, Role.ADMINISTRATOR):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    posted = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            date_from = _typed_date(request.POST.get("from", ""))
            date_to = _typed_date(request.POST.get("to", ""))
        except ValueError:
            errors["from"] = [_("Enter the dates of the absence.")]
        else:
            try:
                services.set_substitute(
                    request.user,
                    request.POST.get("absent", ""),
                    request.POST.get("substitute", ""),
                    date_from,
                    date_to,
                    request.POST.get("reason", ""),
                )
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                messages.success(request, _("The substitute is set."))
                return HttpResponseRedirect(reverse("casework:absences"))
    ids = roles.provider_ids_for(request.user)
    rows = Substitution.objects.select_related("absent", "substitute", "created_by").order_by("-date_from")
    if ids is not None:
        rows = rows.filter(provider_id__in=ids)
    User = get_user_model()
    colleagues = User.objects.filter(is_active=True, staff__isnull=False).exclude(staff__role=Role.PORTAL)
    if ids is not None:
        colleagues = colleagues.filter(staff__providers__in=ids)
    return render(
        request,
        "casework/absences.html",
        {
            "rows": rows[:100],
            "colleagues": colleagues.distinct().select_related("staff").order_by("last_name", "username"),
            "errors": errors,
            "posted": posted,
        },
    )


def _substituting(user, case) -> bool:
    """Whether the user stands in today for the case's executor: no query when the case has
    no executor or the user is the executor."""
    if case.assignee_id is None or case.assignee_id == user.pk:
        return False
    return case.assignee_id in services.absent_colleagues(user)


def work_panel(request, case) -> dict:
    """The context of ``casework/_work_panel.html`` for a case page."""
    user = request.user
    service = next(k for k, v in services.URL_SERVICES.items() if v == case.SERVICE)
    open_case = case.closed_at is None
    is_head = roles.has_role(user, Role.HEAD, Role.ADMINISTRATOR)
    may_execute = roles.role_of(user) in services.executor_roles(case) and roles.works_for(
        user, case.provider_id
    )
    notes_visible = roles.has_role(user, *services.NOTE_READER_ROLES)
    return {
        "case": case,
        "service": service,
        "can_take": open_case and may_execute and case.assignee_id is None,
        "can_assign": open_case and is_head,
        "executors": executors_for(case, user) if open_case and is_head else [],
        "substituting": _substituting(user, case),
        "notes_visible": notes_visible,
        "can_write_notes": roles.has_role(user, *services.NOTE_WRITER_ROLES),
        # Unevaluated: the notes' list is a cached panel of the case (housing_aid.casepage).
        "notes": services.notes_of(case, user)[:100] if notes_visible else [],
        "note_draft": request.session.pop("note_draft", "") if notes_visible else "",
        "duplicates": services.open_duplicates(case) if notes_visible and open_case else [],
    }


@login_required
@require_POST
def resolve_duplicate(request, service: str, pk: int):
    case = _case(request, service, pk)
    body = {key: request.POST.get(key, "") for key in ("number", "decision", "explanation")}
    if _run(request, case, "explain_duplicate", body):
        messages.success(request, _("The decision on the duplicate is recorded."))
    return HttpResponseRedirect(case.get_absolute_url() + "#work")


# -- worklists: saved filters and the export ------------------------------------------

WORKLIST_URLS = {
    "applications": "applications:worklist",
    "certificates": "certificates:worklist",
    "complaints": "complaints:worklist",
}


def _worklist_url(service: str, query: str = "") -> str:
    return reverse(WORKLIST_URLS[service]) + (f"?{query}" if query else "")


@login_required
@require_POST
def save_filter(request, service: str):
    """Save the worklist's current filters under a name (the same name replaces them)."""
    if roles.role_of(request.user) is None:
        raise PermissionDenied
    name = request.POST.get("name", "").strip()
    query = worklists.clean_query(request.POST.get("query", "")[:1000])
    if not name or len(name) > 80 or "\x00" in name:
        messages.error(request, _("Name the filter (at most 80 characters)."))
        return HttpResponseRedirect(_worklist_url(service, query))
    SavedFilter.objects.update_or_create(
        user=request.user, service=service, name=name, defaults={"query": query}
    )
    messages.success(request, _("Filter %(name)s saved.") % {"name": name})
    return HttpResponseRedirect(_worklist_url(service, query))


@login_required
@require_POST
def delete_filter(request, pk: int):
    row = get_object_or_404(SavedFilter, pk=pk, user=request.user)
    row.delete()
    messages.success(request, _("Filter %(name)s deleted.") % {"name": row.name})
    return HttpResponseRedirect(_worklist_url(row.service))


@login_required
def export(request, service: str):
    """The filtered worklist as CSV in the reader's language, scoped and capped."""
    if not roles.has_role(request.user, *services.NOTE_READER_ROLES):
        raise PermissionDenied
    selectors = worklists.selectors_of(service)
    rows = worklists.export_rows(
        selectors.worklist_queryset(request.user, request.GET),
        selectors.EXPORT_COLUMNS,
        selectors.EXPORT_DUE_FIELD,
    )
    return exports.csv_response(f"{service}-{workdays.today().isoformat()}.csv", rows)


# The staff roles that register each service's cases at a desk (the portal registers by API).
INTAKE_ROLES = {
    "applications": (Role.INTAKE_CLERK,),
    "certificates": (Role.CASE_OFFICER, Role.INTAKE_CLERK),
    "complaints": (Role.COMPLAINTS_OFFICER, Role.QUALITY_OFFICER),
}


@login_required
def open_elsewhere(request, service: str):
    """The intake desk's check before submitting (API.md ``open_case_elsewhere``): the open
    cases of this service for the IIN at any provider, so only their number and provider."""
    model = services.model_for_url(service)
    # Only the desks that register this service's cases ask: a person's open cases at other
    # providers are not for every role to look up.
    if not roles.has_role(request.user, *INTAKE_ROLES[service]):
        raise PermissionDenied
    iin = (request.GET.get("iin") or "").strip()
    if not is_valid_iin(iin):
        return JsonResponse({"cases": []})
    return JsonResponse(
        {
            "cases": [
                {
                    "number": case.number,
                    "provider": case.provider.name,
                    "message": _(
                        "This IIN already has an open case of this service, %(number)s, at %(provider)s."
                    )
                    % {"number": case.number, "provider": case.provider.name},
                }
                for case in open_cases_elsewhere(model, iin)[:10]
            ]
        }
    )
