"""Complaint screens: the worklist, the registration form, the complaint page and its actions
(every action is a declaration of ``complaints.actions``, run by the kernel's action screen)."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import selectors, services
from complaints.actions import ACTIONS, TRANSITIONS
from complaints.forms import (
    AnswerForm,
    AttachmentsForm,
    CourtAppealForm,
    DeliveryForm,
    EscalateForm,
    RefuseForm,
    RegisterComplaintForm,
)
from complaints.models import Addressee, Complaint, ComplaintStatus, DeliveryMethod, DocumentKind
from complaints.permissions import REGISTERING_ROLES, may_handle
from housing_aid import casepage, roles
from housing_aid.action_views import action_screen
from housing_aid.actions import actions_for
from housing_aid.casework import worklists
from housing_aid.casework.views import worklist_screen
from housing_aid.documents import due_not_issued, enqueue_documents
from housing_aid.models import format_full_name
from housing_aid.persons import open_case_warnings

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


# One row of the worklist (its table is templates/complaints/worklist.html): filled in here,
# 50 times a page, rather than by the template engine (housing_aid.casework.worklists).
WORKLIST_ROW = """
    <tr class="row-{deadline}">{select}
      <td><a href="{url}">{number}</a>{parent}</td>
      <td>{complainant}<div class="muted small">{channel}</div></td>
      <td>{addressee}</td>
      <td>{case_number}</td>
      <td><span class="badge status-{status}">{status_label}</span></td>
      <td>{registered_on}</td>
      <td><span class="badge deadline-{deadline}" title="{answer_term}: {answer_term_days}">{due}</span>
        {deadline_text}</td>
      <td class="executor">{executor}</td>
    </tr>
  """
# What a row says in the reader's language (translated once a page: RowCells.phrases).
ROW_PHRASES = {
    "answer_term": gettext_lazy("Answer term"),
    # under an overdue or due-today date
    "overdue": gettext_lazy("overdue"),
    "due_today": gettext_lazy("due today"),
}


def worklist_row(row, *, cells: worklists.RowCells) -> str:
    esc = worklists.esc  # the row's texts (numbers, dates and state codes need none)
    phrases = cells.phrases
    deadline = selectors.deadline_state_of(row.status, row.due_date, cells.dates)
    text = phrases.get(deadline) if deadline in ("overdue", "due_today") else None
    return WORKLIST_ROW.format(
        deadline=deadline,
        select=cells.select(row),
        url=cells.url(row.pk),
        number=esc(row.number),
        parent=f'<div class="muted small">↳ {esc(row.parent__number)}</div>' if row.parent_id else "",
        complainant=esc(
            format_full_name(
                row.complainant_last_name, row.complainant_first_name, row.complainant_patronymic
            )
        ),
        channel=cells.label("channel", row.channel),
        addressee=cells.label("addressee", row.addressee),
        case_number=esc(row.case_number or "—"),
        status=row.status,
        status_label=cells.label("status", row.status),
        registered_on=worklists.day(row.registered_on),
        answer_term=phrases["answer_term"],
        answer_term_days=esc(row.answer_term_days),
        due=worklists.day(row.due_date),
        deadline_text=f'<div class="small deadline-text">{text}</div>' if text else "",
        executor=cells.executor(row),
    )


@login_required
def worklist(request):
    _reader_or_404(request)
    return worklist_screen(
        request,
        selectors,
        service="complaints",
        template="complaints/worklist.html",
        choices={"status": dict(ComplaintStatus.choices), "addressee": dict(Addressee.choices)},
        row_html=worklist_row,
        labels=("status", "addressee", "channel"),
        phrases=ROW_PHRASES,
        context={
            "statuses": ComplaintStatus.choices,
            "addressees": Addressee.choices,
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


def _offered(user, complaint) -> tuple[list, object]:
    """The page's actions (``actions_for``) and the attachment action, which sits by the files.

    A transition the state offers but this user may not take says why in may_handle's words
    (the official complained about, another body's complaint), not only "your role"."""
    handle = may_handle(user, complaint)
    offered = [
        replace(a, reason=str(handle.reason)) if not a.allowed and a.name in TRANSITIONS and not handle else a
        for a in actions_for(ACTIONS, complaint, user)
    ]
    attach = next((a for a in offered if a.name == "add_attachments"), None)
    return [a for a in offered if a.name != "add_attachments"], attach


def _letter_defaults(complaint) -> dict:
    default_delivery = DeliveryMethod.PORTAL if complaint.channel == "portal" else DeliveryMethod.MAIL
    return {"language": complaint.language, "delivery_method": default_delivery}


def _field_errors(form, errors: dict) -> list[str]:
    """The action's errors, each naming its field as the form labels it."""
    lines = []
    for field, messages_ in errors.items():
        label = form.fields[field].label if field in form.fields else ""
        lines += [f"{label}: {m}" if label else str(m) for m in messages_]
    return lines


FORMS = {
    "refuse_to_consider": RefuseForm,
    "record_delivery": DeliveryForm,
    "escalate": EscalateForm,
    "record_court_appeal": CourtAppealForm,
    "add_attachments": AttachmentsForm,
}


def _detail_context(request, complaint, errors: dict | None = None, posted=None) -> dict:
    actions, attach = _offered(request.user, complaint)
    error_action = next(iter(errors), None) if errors else None
    forms = {}
    for name, form_class in FORMS.items():
        initial = _letter_defaults(complaint) if name == "refuse_to_consider" else {}
        if name == error_action and posted is not None:
            initial = {**initial, **posted.dict()}
        # Distinct ids: the delivery and the court-appeal forms both have a note.
        forms[name] = form_class(initial=initial, auto_id=f"{name}_%s" if name != "escalate" else "id_%s")
    page = selectors.page_context(complaint)
    return {
        "complaint": complaint,
        **page,
        "documents_pending": SimpleLazyObject(
            lambda: [
                str(dict(DocumentKind.choices)[kind])
                for kind in due_not_issued(
                    complaint, services.due_document_kinds(complaint), issued=page["documents"]
                )
            ]
        ),
        "actions": actions,
        "attach": attach,
        "forms": forms,
        "error_action": error_action,
        "errors": _field_errors(forms[error_action], errors[error_action]) if error_action in forms else [],
    }


def _linked_state(content_type_id, object_id) -> tuple:
    """The status the page shows of the case complained about (another service's row)."""
    cases = selectors.linked_cases(content_type_id, object_id)
    return () if cases is None else tuple(cases.values_list("status", "updated_at"))


@login_required
def detail(request, pk: int):
    """Kept per reader (housing_aid.casepage.page); outside the scope 404 before anything kept.
    Its key holds what the page shows of other rows: the escalated complaints and the case
    complained about."""
    _reader_or_404(request)
    scope = Complaint.objects.visible_to(request.user).annotate(
        escalated=Count("escalations"), escalation_changed=Max("escalations__updated_at")
    )
    stamp = casepage.stamp(
        scope, pk, "escalated", "escalation_changed", "case_content_type_id", "case_object_id"
    )

    def draw(values: dict):
        complaint = selectors.complaint_for_user(request.user, pk)
        return render(request, "complaints/detail.html", {**_detail_context(request, complaint), **values})

    return casepage.page(request, stamp, draw, vary=_linked_state(*stamp.row[-2:]))


def _answer_page(request, complaint, errors: dict | None = None, posted=None):
    initial = _letter_defaults(complaint) | (posted.dict() if posted is not None else {})
    form = AnswerForm(initial=initial)
    offered = next((a for a in _offered(request.user, complaint)[0] if a.name == "answer"), None)
    return render(
        request,
        "complaints/answer.html",
        {
            "complaint": complaint,
            "form": form,
            "action": offered,
            "errors": _field_errors(form, errors or {}),
        },
        status=400 if errors else 200,
    )


@login_required
def answer(request, pk: int):
    """The reasoned response is long: its own page, posting to the ``answer`` action."""
    _reader_or_404(request)
    return _answer_page(request, selectors.complaint_for_user(request.user, pk))


def _case_page(request, complaint, errors: dict, posted):
    """A refused body: its form again, with the errors and what was typed (400)."""
    complaint = selectors.complaint_for_user(request.user, complaint.pk)
    if "answer" in errors:
        return _answer_page(request, complaint, errors["answer"], posted)
    return render(
        request, "complaints/detail.html", _detail_context(request, complaint, errors, posted), status=400
    )


def _back_to_case(request, complaint):
    return redirect("complaints:detail", complaint.pk)


def _done(request, complaint, name: str, outcome):
    """An escalation opens the new complaint for the complaints officer who passed it on."""
    if name != "escalate":
        return _back_to_case(request, complaint)
    child = outcome.result
    enqueue_documents(child, request.user)
    messages.info(
        request,
        _("Complaint %(number)s to the quality-control body registered; due by %(due)s.")
        % {"number": child.number, "due": child.due_date.strftime("%d.%m.%Y")},
    )
    if roles.has_role(request.user, roles.Role.COMPLAINTS_OFFICER):
        return redirect("complaints:detail", child.pk)
    return _back_to_case(request, complaint)


_run_action = action_screen(
    ACTIONS,
    Complaint,
    case_page=_case_page,
    redirect_to=_back_to_case,
    done_to=_done,
)


@login_required
def act(request, pk: int, name: str):
    """``POST <pk>/actions/<name>/``: the declared action, for the readers of the screens only."""
    _reader_or_404(request)
    return _run_action(request, pk=pk, name=name)
