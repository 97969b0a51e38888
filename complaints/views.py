"""Complaint screens: the worklist, the registration form, the complaint page and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints import selectors, services
from complaints.forms import (
    AnswerForm,
    AttachmentsForm,
    CourtAppealForm,
    DeliveryForm,
    EscalateForm,
    RefuseForm,
    RegisterComplaintForm,
)
from complaints.models import Addressee, ComplaintStatus, DeliveryMethod
from complaints.permissions import (
    REGISTERING_ROLES,
    may_escalate,
    may_handle,
    may_record_court_appeal,
)
from housing_aid import roles
from housing_aid.cases import CaseConflict
from housing_aid.casework import worklists
from housing_aid.paging import CASE_STATES, pager_queries
from housing_aid.persons import open_case_warnings

PAGE_SIZE = 50
READING_ROLES = {
    roles.Role.COMPLAINTS_OFFICER,
    roles.Role.QUALITY_OFFICER,
    roles.Role.HEAD,
    roles.Role.AUDITOR,
    roles.Role.ADMINISTRATOR,
}


def _reader_or_404(request) -> None:
    if roles.role_of(request.user) not in READING_ROLES:
        raise Http404


def _may_register_any(user) -> bool:
    role = roles.role_of(user)
    return role != roles.Role.PORTAL and any(role in allowed for allowed in REGISTERING_ROLES.values())


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def worklist(request):
    _reader_or_404(request)
    page = selectors.worklist(request.user, request.GET, per_page=PAGE_SIZE)
    work = worklists.tools(
        request,
        service="complaints",
        queryset=selectors.worklist_queryset(request.user, request.GET),
        choices={
            "state": dict(CASE_STATES),
            "status": dict(ComplaintStatus.choices),
            "addressee": dict(Addressee.choices),
        },
        order=request.GET.get("order", ""),
    )
    return render(
        request,
        "complaints/worklist.html",
        {
            "page": page,
            "work": work,
            "statuses": ComplaintStatus.choices,
            "addressees": Addressee.choices,
            "filters": request.GET,
            "case_states": CASE_STATES,
            **pager_queries(request.GET, page),
            "may_register": _may_register_any(request.user),
        },
    )


@login_required
def register(request):
    if not _may_register_any(request.user):
        raise Http404
    form = RegisterComplaintForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.register_complaint(
                user=request.user,
                provider=data["provider"],
                addressee=data["addressee"],
                channel=data["channel"],
                received_at=data["received_at"],
                complainant=services.Complainant(
                    last_name=data["complainant_last_name"],
                    first_name=data["complainant_first_name"],
                    patronymic=data["complainant_patronymic"],
                    postal_address=data["complainant_postal_address"],
                    iin=data["complainant_iin"],
                ),
                case_number=data["case_number"].strip(),
                subject=data["subject"],
                respondent=data["respondent"],
                language=data["language"],
                text=data["text"],
                attachments=data["attachments"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Complaint %(number)s registered; the answer is due by %(due)s.")
                % {"number": complaint.number, "due": complaint.due_date.strftime("%d.%m.%Y")},
            )
            for warning in open_case_warnings(complaint):
                messages.warning(request, warning["message"])
            return redirect("complaints:detail", complaint.pk)
    return render(request, "complaints/register.html", {"form": form})


def _actions(user, complaint) -> dict:
    """What the user may do on the page, with the reason when not."""
    handle = may_handle(user, complaint)
    escalate = may_escalate(user, complaint)
    closed = complaint.status in services.CLOSED
    return {
        "handle": handle,
        "transitions": complaint.available_transitions_for(user),
        "escalate": escalate,
        "can_escalate": bool(escalate)
        and complaint.status == ComplaintStatus.ANSWERED
        and complaint.addressee != Addressee.QUALITY_CONTROL_BODY,
        "can_record_delivery": bool(handle) and closed and complaint.delivered_on is None,
        "can_record_court_appeal": bool(may_record_court_appeal(user, complaint))
        and closed
        and complaint.court_appeal_on is None,
        "can_attach": bool(handle) and not closed,
    }


@login_required
def detail(request, pk: int):
    _reader_or_404(request)
    complaint = selectors.complaint_for_user(request.user, pk)
    default_delivery = DeliveryMethod.PORTAL if complaint.channel == "portal" else DeliveryMethod.MAIL
    initial = {"language": complaint.language, "delivery_method": default_delivery}
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            **selectors.page_context(complaint),
            "actions": _actions(request.user, complaint),
            "refuse_form": RefuseForm(initial=initial),
            "delivery_form": DeliveryForm(),
            "court_form": CourtAppealForm(),
            "escalate_form": EscalateForm(),
            "attachments_form": AttachmentsForm(),
        },
    )


def _run(request, action) -> bool:
    """Run a service call; a refusal becomes a message in the user's language."""
    try:
        action()
    except CaseConflict as exc:
        messages.error(request, str(exc.detail))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Your role may not do this."))
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        return True
    return False


@login_required
@require_POST
def start_review(request, pk: int):
    _reader_or_404(request)
    complaint = selectors.complaint_for_user(request.user, pk)
    if _run(request, lambda: services.start_review(complaint, request.user)):
        messages.success(request, _("The complaint is in execution."))
    return redirect("complaints:detail", pk)


@login_required
def answer(request, pk: int):
    _reader_or_404(request)
    complaint = selectors.complaint_for_user(request.user, pk)
    default_delivery = DeliveryMethod.PORTAL if complaint.channel == "portal" else DeliveryMethod.MAIL
    form = AnswerForm(
        request.POST or None, initial={"language": complaint.language, "delivery_method": default_delivery}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.answer(
                complaint, request.user, data["response"], data["language"], data["delivery_method"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except (CaseConflict, PermissionDenied) as exc:
            form.add_error(None, str(getattr(exc, "detail", exc)))
        else:
            messages.success(request, _("The response has been recorded and the letter issued."))
            return redirect("complaints:detail", pk)
    return render(
        request,
        "complaints/answer.html",
        {"complaint": complaint, "form": form, "handle": may_handle(request.user, complaint)},
    )


@login_required
@require_POST
def refuse(request, pk: int):
    _reader_or_404(request)
    complaint = selectors.complaint_for_user(request.user, pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("complaints:detail", pk)
    data = form.cleaned_data
    if _run(
        request,
        lambda: services.refuse_to_consider(
            complaint, request.user, data["reason"], data["language"], data["delivery_method"]
        ),
    ):
        messages.success(
            request, _("The complaint has been refused for consideration; the letter is issued.")
        )
    return redirect("complaints:detail", pk)


@login_required
@require_POST
def escalate(request, pk: int):
    _reader_or_404(request)
    complaint = selectors.complaint_for_user(request.user, pk)
    form = EscalateForm(request.POST)
    form.is_valid()
    result = {}

    def action():
        result["child"] = services.escalate(complaint, request.user, text=form.cleaned_data.get("text", ""))

    if _run(request, action):
        child = result["child"]
        messages.success(
            request,
            _("Complaint %(number)s to the quality-control body registered; due by %(due)s.")
            % {"number": child.number, "due": child.due_date.strftime("%d.%m.%Y")},
        )
        if roles.has_role(request.user, roles.Role.COMPLAINTS_OFFICER):
            return redirect("complaints:detail", child.pk)
    return redirect("complaints:detail", pk)


def _dated_action(request, pk: int, form_class, service, success: str):
    _reader_or_404(request)
    complaint = selectors.complaint_for_user(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    elif _run(request, lambda: service(complaint, request.user, *form.cleaned_data.values())):
        messages.success(request, success)
    return redirect(reverse("complaints:detail", args=[pk]))


@login_required
@require_POST
def record_delivery(request, pk: int):
    return _dated_action(request, pk, DeliveryForm, services.record_delivery, _("Delivery recorded."))


@login_required
@require_POST
def record_court_appeal(request, pk: int):
    return _dated_action(
        request, pk, CourtAppealForm, services.record_court_appeal, _("Appeal to court recorded.")
    )


@login_required
@require_POST
def add_attachments(request, pk: int):
    _reader_or_404(request)
    complaint = selectors.complaint_for_user(request.user, pk)
    form = AttachmentsForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    elif _run(
        request, lambda: services.add_attachments(complaint, request.user, form.cleaned_data["attachments"])
    ):
        messages.success(request, _("Files attached."))
    return redirect("complaints:detail", pk)
