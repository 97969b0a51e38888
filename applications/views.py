"""Screens: the intake desk, the worklist, the case page, the signing queue, the export."""

from __future__ import annotations

import datetime as dt
from functools import partial
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rest_framework import serializers

from applications import documents, handout, permissions, selectors, services
from applications.actions import ACTIONS, EVENT_TYPES, TRANSITIONS
from applications.forms import FamilyFormSet, IntakeForm, family_error_summary, family_from
from applications.models import (
    FROM_REGISTRIES_ALLOWED,
    Application,
    ApplicationStatus,
    Calculation,
    Channel,
    DocumentCode,
    RefusalGround,
    Stage,
    Tenure,
)
from housing_aid import casepage, exports, people, roles, workdays
from housing_aid.action_views import action_screen
from housing_aid.actions import actions_for, run_action, validation_errors
from housing_aid.casework import worklists
from housing_aid.documents import documents_of, due_not_issued, enqueue_documents
from housing_aid.eds import views as eds_views
from housing_aid.identifiers import iin_birth_date, is_valid_iin
from housing_aid.models import format_full_name
from housing_aid.paging import CASE_STATES
from housing_aid.persons import open_cases_elsewhere
from housing_aid.sla.deadlines import ReferenceDates
from housing_aid.uploads import attachments_of

TRANSITION_NAMES = tuple(name for name, _label in TRANSITIONS)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# -- intake desk ----------------------------------------------------------------


DESK_PROVIDER = "desk_provider"


@login_required
def intake(request):
    """The desk (para 6-7): IIN first, dates as dd.mm.yyyy, and no refusal receipt by accident.

    An incomplete package is not refused on the first submit: the desk lists the missing
    documents with the form intact, and only a second, explicit confirmation of that same list
    issues the Appendix 3 receipt.
    """
    _require(permissions.may_intake(request.user))
    confirm_missing: list[str] = []
    remembered = request.session.get(DESK_PROVIDER)
    if request.method == "POST":
        form = IntakeForm(request.POST, user=request.user, remembered_provider=remembered)
        family = FamilyFormSet(request.POST, prefix="family")
        if form.is_valid() and family.is_valid():
            # A clerk with several providers keeps the one used last.
            request.session[DESK_PROVIDER] = form.cleaned_data["provider"].pk
            data = form.to_intake(family_from(family))
            missing = services.find_missing_documents(
                data.documents,
                data.documents_from_registries,
                data.channel,
                data.tenure,
                data.is_reapplication,
            )
            if missing and request.POST.get("confirm_refusal") != ",".join(missing):
                confirm_missing = missing
            else:
                try:
                    application = services.submit_application(data, request.user)
                except ValidationError as exc:
                    _merge_errors(form, exc)
                else:
                    return _registered(request, application)
    else:
        form = IntakeForm(user=request.user, remembered_provider=remembered)
        family = FamilyFormSet(prefix="family")
    labels = dict(DocumentCode.choices)
    return render(
        request,
        "applications/intake.html",
        {
            "form": form,
            "family": family,
            "error_summary": form.error_summary() + family_error_summary(family) if form.is_bound else [],
            "confirm_missing": [{"code": c, "label": labels[c]} for c in confirm_missing],
            "confirm_value": ",".join(confirm_missing),
            "reapplication_codes": services.required_documents(Channel.STATE_CORPORATION, Tenure.OWNER, True),
            "registry_codes": [str(c) for c in FROM_REGISTRIES_ALLOWED],
        },
        status=400 if request.method == "POST" and not confirm_missing else 200,
    )


def _registered(request, application):
    enqueue_documents(application, request.user)
    if application.status == ApplicationStatus.REJECTED_AT_INTAKE:
        messages.warning(request, _("The package is incomplete: print the refusal receipt in two copies."))
    else:
        messages.success(request, _("Application %(number)s registered.") % {"number": application.number})
    return redirect("applications:case", pk=application.pk)


def _merge_errors(form, exc: ValidationError) -> None:
    mapping = {"bank_account": "iban", "applicant": None, "received_at": None, "channel": None}
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        target = mapping.get(field, field)
        if target not in form.fields:
            target = None
        for message in errors:
            form.add_error(target, message)


@login_required
@require_GET
def iin_lookup(request):
    """The desk's IIN check: validity, the birth date it suggests, the person's history."""
    _require(permissions.may_intake(request.user) or roles.role_of(request.user) is not None)
    iin = (request.GET.get("iin") or "").strip()
    if not is_valid_iin(iin):
        message = (
            _("An IIN is 12 digits.")
            if len(iin) != 12 or not iin.isdigit()
            else _("This IIN has a wrong check digit.")
        )
        return JsonResponse({"valid": False, "message": message})
    suggestion = iin_birth_date(iin)
    rows = selectors.applications_of_iin(request.user, iin)
    elsewhere = open_cases_elsewhere(Application, iin)
    person = rows[0].applicant if rows else None
    return JsonResponse(
        {
            "valid": True,
            "birth_date": suggestion.strftime("%d.%m.%Y") if suggestion else None,
            "person": {
                "last_name": person.last_name,
                "first_name": person.first_name,
                "patronymic": person.patronymic,
                "address": person.address,
                "phone": person.phone,
            }
            if person
            else None,
            "applications": [
                {
                    "number": a.number,
                    "status": a.get_status_display(),
                    "received": a.received_at.date().isoformat(),
                }
                for a in rows
            ],
            # API.md "open_case_elsewhere": at any provider, so only the number and the provider.
            "open_elsewhere": [
                {"number": a.number, "provider": a.provider.name, "status": a.get_status_display()}
                for a in elsewhere
            ],
        }
    )


# -- worklist -------------------------------------------------------------------


# One row of the worklist (its table is templates/applications/worklist.html): filled in
# here, 50 times a page, rather than by the template engine (housing_aid.casework.worklists).
WORKLIST_ROW = """
  <tr class="row-{deadline}">{select}
    <td><a href="{url}">{number}</a></td>
    <td>{applicant}<div class="muted small">{iin}</div></td>
    <td>{status}</td>
    <td>{stage_due} {deadline_badge}</td>
    <td>{due}</td>
    <td>{executor}</td>
    <td>{channel}</td>
  </tr>
  """


def worklist_row(row, *, cells: worklists.RowCells, deadline_badge) -> str:
    esc = worklists.esc  # the row's texts (numbers, dates and state codes need none)
    deadline = str(cells.dates.state_of(row.stage_due_date))
    return WORKLIST_ROW.format(
        deadline=deadline,
        select=cells.select(row),
        url=cells.url(row.pk),
        number=esc(row.number),
        applicant=esc(
            format_full_name(row.applicant__last_name, row.applicant__first_name, row.applicant__patronymic)
        ),
        iin=esc(row.applicant__iin),
        status=cells.label("status", row.status),
        stage_due=worklists.day(row.stage_due_date) or "—",
        deadline_badge=deadline_badge(deadline),
        due=worklists.day(row.due_date) or "—",
        executor=cells.executor(row),
        channel=cells.label("channel", row.channel),
    )


@login_required
def worklist(request):
    _require(roles.role_of(request.user) is not None)
    filters = selectors.WorklistFilters.from_query(request.GET)
    queryset = selectors.worklist_queryset(request.user, filters.__dict__)
    page = selectors.worklist(request.user, filters, queryset=queryset)
    work = worklists.tools(
        request,
        service="applications",
        queryset=queryset,
        choices={
            "state": dict(CASE_STATES),
            "status": dict(ApplicationStatus.choices),
            "stage": dict(Stage.choices),
            "deadline": dict(selectors.DEADLINE_FILTERS),
            "channel": dict(Channel.choices),
        },
        order=filters.order,
    )
    if work["bulk"]:
        work["page_ids"] = worklists.page_ids_html(page.rows)
    cells = worklists.RowCells(
        request, work, model=Application, executor_name=worklists.surname_first, labels=("status", "channel")
    )
    deadline_badge = worklists.rendered_once("applications/_deadline.html", "deadline")
    return render(
        request,
        "applications/worklist.html",
        {
            "page": page,
            "rows": worklists.rows_html(
                page.rows, partial(worklist_row, cells=cells, deadline_badge=deadline_badge)
            ),
            "filters": filters,
            "statuses": ApplicationStatus.choices,
            "stages": Stage.choices,
            "channels": Channel.choices,
            "case_states": CASE_STATES,
            "next_query": urlencode(filters.as_query(after=page.next_after, before=""))
            if page.next_after
            else None,
            "prev_query": urlencode(filters.as_query(after="", before=page.prev_before))
            if page.prev_before
            else None,
            "first_query": urlencode(filters.as_query(after="", before="")),
            "may_export": permissions.may_export(request.user),
            "today": workdays.today(),
            "work": work,
        },
    )


# -- case page --------------------------------------------------------------------


def _case_context(request, application, action_errors=None, posted=None):
    """The case page. What the cached panels show (``{% case_panel %}``: history, documents,
    applicant, family, checklist, calculation) is lazy here: read only when a panel is drawn."""
    user = request.user
    officers = []
    actions = actions_for(ACTIONS, application, user, only=TRANSITION_NAMES)
    if any(a.name == "start_review" and a.allowed for a in actions):
        officers = (
            get_user_model()
            .objects.filter(
                staff__role=roles.Role.CASE_OFFICER, staff__providers=application.provider, is_active=True
            )
            .order_by("last_name", "username")
        )
    # What the page shows of the documents' context: not the whole of pdf_context (its
    # working-day arithmetic and labels are for the PDFs).
    calculation = SimpleLazyObject(lambda: documents.calculation_lines(application))
    issued = SimpleLazyObject(lambda: _with_hand_outs(application))
    events = SimpleLazyObject(lambda: _timeline(application))
    sent_back, prefill_action, prefill = casepage.cached_value(
        application, "sent_back", lambda: _sent_back(events)
    )
    if posted is None and prefill:
        posted = prefill
    return {
        "sent_back": sent_back,
        "prefill_action": prefill_action if action_errors is None else "",
        "app": application,
        "family": application.family_members.all(),
        "actions": actions,
        "closed_reason": permissions.closed_reason(application),
        "error_action": next(iter(action_errors), "") if action_errors else "",
        "errors": next(iter(action_errors.values()), {}) if action_errors else {},
        "posted": posted or {},
        "posted_missing": (
            posted.getlist("missing_documents")
            if hasattr(posted, "getlist")
            else posted.get("missing_documents", [])
        )
        if posted is not None
        else [],
        "officers": officers,
        "events": events,
        "documents": issued,
        # Documents are jobs: what the state calls for and the job has not issued yet.
        "documents_pending": SimpleLazyObject(
            lambda: [
                documents.title(kind)
                for kind in due_not_issued(
                    application, documents.due_document_kinds(application), issued=issued
                )
            ]
        ),
        "attachments": attachments_of(application).select_related("uploaded_by"),
        "calculation": SimpleLazyObject(lambda: calculation[0]),
        "payment_lines": SimpleLazyObject(lambda: calculation[1]),
        "other_applications": selectors.other_applications_of(application, user),
        "checklist": SimpleLazyObject(lambda: _checklist(application)),
        "document_codes": DocumentCode.choices,
        "grounds": RefusalGround.choices,
        "may_attach": permissions.may_attach(user) and not application.is_closed,
        "may_hand_out": handout.may_hand_out(user),
        "hand_out_kinds": [str(k) for k in handout.HANDED_OUT_KINDS],
        "eds": _eds_panel(request, application, reverse("applications:case", args=[application.pk])),
        # The one deadline rule (housing_aid.sla.deadlines), on the stored due date.
        "deadline": ReferenceDates.on().state_of(application.stage_due_date),
    }


def _with_hand_outs(application) -> list:
    """The issued documents, each with its hand-out (or None), in one query."""
    issued = list(documents_of(application).select_related("application_hand_out__handed_out_by"))
    for d in issued:
        d.hand_out = getattr(d, "application_hand_out", None)
    return issued


def _sent_back(events) -> tuple:
    """After the head's ``send_back``: the head's reason for the top of the case (reason, name,
    time), and the officer's last draft (figures, ground, reason) to pre-fill the form it came
    back to. Plain values: the case page keeps them under the case's version."""
    if not events or events[-1].transition != "send_back":
        return None, "", {}
    last = events[-1]
    head = {"reason": last.reason, "actor_name": last.actor_name, "at": last.at}
    draft = next((e for e in reversed(events) if e.transition.startswith("draft_")), None)
    if draft is None:
        return head, "", {}
    body = (draft.data or {}).get("body") or {}
    prefill: dict = {"reason": draft.reason}
    if draft.transition == "draft_assignment":
        prefill["quarter_income"] = body.get("quarter_income", "")
        for line in (body.get("breakdown") or {}).get("payments", []):
            prefill[line.get("payment")] = line.get("claimed", "")
    elif draft.transition == "draft_refusal":
        prefill["ground"] = body.get("ground", "")
    elif draft.transition == "draft_return":
        prefill["missing_documents"] = body.get("missing_documents", [])
    return head, draft.transition, prefill


def _timeline(application) -> list:
    transitions = dict(EVENT_TYPES)
    statuses = dict(ApplicationStatus.choices)
    events = list(application.events())
    for e in events:
        e.label = transitions.get(e.transition, e.transition)
        e.from_label = statuses.get(e.from_state, e.from_state)
        e.to_label = statuses.get(e.to_state, e.to_state)
    return events


def _checklist(application) -> list[dict]:
    required = services.required_documents(
        application.channel, application.tenure, application.is_reapplication
    )
    labels = dict(DocumentCode.choices)
    rows = []
    for code in required:
        if code in application.documents_presented:
            state = "presented"
        elif code in application.documents_from_registries:
            state = "registries"
        else:
            state = "missing"
        rows.append({"code": code, "label": labels[code], "state": state})
    return rows


@login_required
def case_detail(request, pk: int):
    """Kept per reader (housing_aid.casepage.page); outside the scope 404 before anything kept."""
    stamp = casepage.stamp(Application.objects.visible_to(request.user), pk)

    def draw(values: dict):
        application = selectors.application_for_detail(request.user, pk, page=True)
        context = _case_context(request, application)
        return render(request, "applications/case_detail.html", {**context, **values})

    return casepage.page(request, stamp, draw)


def _case_page(request, application, action_errors=None, posted=None):
    context = _case_context(request, application, action_errors, posted)
    return render(request, "applications/case_detail.html", context, status=400 if action_errors else 200)


def _after_action(request, application):
    if request.POST.get("next") == "signing_queue":
        return redirect("applications:signing_queue")
    return redirect("applications:case", pk=application.pk)


case_transition = action_screen(
    ACTIONS,
    Application,
    case_page=_case_page,
    redirect_to=_after_action,
    queryset=lambda: Application.objects.select_related("applicant", "provider", "assignee").prefetch_related(
        "family_members"
    ),
)


@login_required
@require_POST
def case_attach(request, pk: int):
    # Outside the scope: 404 before anything else, as for a missing case.
    application = selectors.application_for_detail(request.user, pk, page=True)
    _require(permissions.may_attach(request.user))
    if request.FILES.get("file") is None:
        return _case_page(request, application, {"attach": {"file": [_("Choose a file.")]}}, request.POST)
    return case_transition(request, pk=pk, name="attach")


@login_required
@require_POST
def hand_out(request, pk: int, number: str):
    """Para 10: the hand-out form of one ready document, run as the declared ``hand_out`` action."""
    application = selectors.application_for_detail(request.user, pk, page=True)
    if not documents_of(application).filter(number=number).exists():
        raise Http404
    body = {**ACTIONS.get(application, "hand_out").form_body(request.POST), "document": number}
    try:
        run_action(ACTIONS, application, "hand_out", request.user, body)
    except serializers.ValidationError as exc:
        errors = validation_errors(exc)
    else:
        messages.success(request, _("Handing out recorded."))
        return redirect(reverse("applications:case", args=[pk]) + "#documents")
    fields = set(handout.HandOutBody().fields) - {"document"}
    context = _case_context(request, application)
    context.update(
        {
            "hand_out_document": number,
            "hand_out_errors": {k: v for k, v in errors.items() if k in fields},
            "hand_out_general_errors": [m for k, v in errors.items() if k not in fields for m in v],
            "hand_out_posted": request.POST,
        }
    )
    return render(request, "applications/case_detail.html", context, status=400)


# -- head --------------------------------------------------------------------------


@login_required
def signing_queue(request):
    _require(roles.has_role(request.user, roles.Role.HEAD, roles.Role.AUDITOR, roles.Role.ADMINISTRATOR))
    rows = list(selectors.signing_queue(request.user)[:200])
    calculations = {c.application_id: c for c in Calculation.objects.filter(application__in=rows)}
    for row in rows:
        row.calc = calculations.get(row.pk)
    # The head reads the draft before signing: the chosen row (the most urgent by default).
    chosen = next((r for r in rows if str(r.pk) == request.GET.get("case")), rows[0] if rows else None)
    return render(
        request,
        "applications/signing_queue.html",
        {
            "rows": rows,
            "chosen": chosen,
            "eds": _eds_panel(request, chosen, reverse("applications:signing_queue")) if chosen else None,
            "grounds": dict(RefusalGround.choices),
        },
    )


def _eds_panel(request, application, next_url: str) -> dict | None:
    """The signing panel (housing_aid/eds): draft preview, NCALayer, the demo signer in DEBUG."""
    if not eds_views.may_sign_now(application, request.user):
        return None
    return eds_views.panel_context(
        request,
        application,
        draft_url=reverse("applications:draft_pdf", args=[application.pk]),
        sign_url=reverse("api_application_transition", args=[application.pk, "sign"]),
        session_url=reverse("api_application_signing_sessions", args=[application.pk]),
        demo_url=reverse("applications:demo_sign", args=[application.pk]),
        next_url=next_url,
    )


# -- monitoring export (para 11) ---------------------------------------------------


@login_required
def events_export(request):
    """CSV of the stage events of a period, for the monitoring information system."""
    _require(permissions.may_export(request.user))
    typed = {"date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", "")}
    error = None
    try:
        date_from = dt.date.fromisoformat(typed["date_from"])
        date_to = dt.date.fromisoformat(typed["date_to"])
    except ValueError:
        error = _("Enter the period as YYYY-MM-DD.")
    else:
        if date_to < date_from:
            error = _("The end of the period is before its start.")
        elif (date_to - date_from).days > 366:
            error = _("At most 366 days at a time.")
    if error:
        # The period again, with what was typed and why it was refused (not a bare line).
        return render(
            request, "applications/events_export.html", {**typed, "export_error": error}, status=400
        )
    transitions = dict(EVENT_TYPES)
    transitions.update({"register": _("Registered"), "reject_at_intake": _("Refused at intake")})
    statuses = dict(ApplicationStatus.choices)

    def rows():
        yield [
            _("Date and time"),
            _("Case number"),
            _("Service provider"),
            _("Step"),
            _("From status"),
            _("To status"),
            _("Done by"),
            _("Reason"),
        ]
        for e in selectors.stage_events(request.user, date_from, date_to).iterator(chunk_size=2000):
            yield [
                timezone.localtime(e.at).strftime("%d.%m.%Y %H:%M"),
                e.case_number,
                e.provider.code,
                transitions.get(e.transition, e.transition),
                statuses.get(e.from_state, e.from_state),
                statuses.get(e.to_state, e.to_state),
                people.event_actor(e),
                e.reason,
            ]

    return exports.csv_response(f"housing-assistance-events-{date_from}-{date_to}.csv", rows())
