"""Screens: the worklist, intake, the request page, the program page, the trustee's loans
and the public announcements of termination. Every change goes through services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError as DRFValidationError

from certificates import forms, income, permissions, selectors, services
from certificates.models import CertificateRequest, Kind, Status
from certificates.serializers import CertificateCreateSerializer
from housing_aid import roles, workdays
from housing_aid.cases import CaseConflict
from housing_aid.documents import documents_of
from housing_aid.models import ServiceProvider
from housing_aid.paging import CASE_STATES, pager_queries

PAGE_SIZE = 50


def _banner(user) -> list:
    return selectors.terminated_announcements_for(user)


def _flatten(errors, prefix: str = "") -> list[str]:
    """API-shaped errors (nested dicts and lists) as lines for a message box."""
    out: list[str] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            label = key if key != "non_field_errors" else ""
            out += _flatten(value, f"{prefix}{label}: " if label else prefix)
    elif isinstance(errors, list):
        for item in errors:
            out += _flatten(item, prefix)
    else:
        out.append(f"{prefix}{errors}")
    return out


@login_required
def worklist(request):
    page = selectors.worklist(request.user, request.GET, per_page=PAGE_SIZE)
    return render(
        request,
        "certificates/worklist.html",
        {
            "page": page,
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "filters": request.GET,
            "case_states": CASE_STATES,
            **pager_queries(request.GET, page),
            "today": workdays.today(),
            "announcements": _banner(request.user),
            "programs": selectors.programs_for(request.user).filter(year=workdays.today().year),
            "may_register": permissions.can_register(request.user),
        },
    )


def _intake_body(request, form) -> dict:
    """The API body from the intake screen's fields."""
    data = form.cleaned_data
    members = []
    for i in range(forms.MEMBER_ROWS):
        name = request.POST.get(f"member-{i}-full_name", "").strip()
        if not name:
            continue
        members.append(
            {
                "full_name": name,
                "iin": request.POST.get(f"member-{i}-iin", "").strip(),
                "birth_date": request.POST.get(f"member-{i}-birth_date", ""),
                "relationship": request.POST.get(f"member-{i}-relationship", "child"),
                "full_time_student": request.POST.get(f"member-{i}-student") == "on",
                "_row": i,
            }
        )
    months = income.tested_months(workdays.today(), 6)
    incomes = []
    persons = [("a", "applicant")] + [(str(m.pop("_row")), index) for index, m in enumerate(members)]
    for key, person in persons:
        for k, month in enumerate(months):
            raw = request.POST.get(f"income-{key}-{k}", "").strip().replace(" ", "").replace(",", ".")
            if raw:
                incomes.append({"person": person, "month": month.strftime("%Y-%m"), "amount": raw})
    body = {
        "provider": request.POST.get("provider", ""),
        "channel": data["channel"],
        "applicant": {
            k: data[k] or ("" if k != "birth_date" else None)
            for k in ("last_name", "first_name", "patronymic", "iin", "birth_date", "address", "phone")
        },
        "family_members": members,
        "incomes": incomes,
        "category": data["category"],
        "mortgage_program": data["mortgage_program"],
        "bank": data["bank"],
        "bank_notified_on": data["bank_notified_on"],
        "loan_amount": str(data["loan_amount"]),
        "down_payment": str(data["down_payment"]),
    }
    if data["property_region"] or data["suburban_of"]:
        body["property"] = {
            "region": data["property_region"],
            "locality": data["property_locality"],
            "suburban_of": data["suburban_of"],
        }
    return body


@login_required
def intake(request):
    decision = permissions.can_register(request.user)
    if not decision:
        raise PermissionDenied(decision.reason)
    ids = roles.provider_ids_for(request.user)
    providers = ServiceProvider.objects.filter(is_active=True)
    if ids is not None:
        providers = providers.filter(pk__in=ids)
    months = income.tested_months(workdays.today(), 6)
    errors: list[str] = []
    form = forms.IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        serializer = CertificateCreateSerializer(data=_intake_body(request, form))
        try:
            serializer.is_valid(raise_exception=True)
            case = services.register_request(request.user, serializer.validated_data)
        except DRFValidationError as exc:
            errors = _flatten(exc.detail)
        except ValidationError as exc:
            errors = _flatten(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        except PermissionDenied as exc:
            errors = [str(exc)]
        else:
            messages.success(request, _("Request %(number)s registered.") % {"number": case.number})
            return redirect("certificates:detail", pk=case.pk)
    return render(
        request,
        "certificates/intake.html",
        {
            "form": form,
            "errors": errors,
            "providers": providers,
            "months": months,
            "member_rows": range(forms.MEMBER_ROWS),
            "post": request.POST,
            "announcements": _banner(request.user),
        },
    )


ACTION_FORMS = {
    "refuse": forms.RefuseForm,
    "conclude_agreement": forms.ConcludeAgreementForm,
    "record_transfer": forms.TransferForm,
    "record_bank_documents": forms.BankDocumentsForm,
    "lapse": forms.LapseForm,
}


def _labelled(events) -> list:
    labels = dict(Status.choices)
    out = list(events)
    for event in out:
        event.to_label = labels.get(event.to_state, event.to_state)
    return out


@login_required
def detail(request, pk: int):
    case = selectors.certificate_detail(request.user, pk)
    available = case.available_transitions_for(request.user)
    today = workdays.today()
    action_forms = {name: ACTION_FORMS[name](prefix=name) for name in available if name in ACTION_FORMS}
    if "conclude_agreement" in action_forms:
        action_forms["conclude_agreement"].initial = {"visited_on": today, "agreement_on": today}
    if "record_transfer" in action_forms:
        action_forms["record_transfer"].initial = {"transferred_on": today}
    program = case.program
    return render(
        request,
        "certificates/detail.html",
        {
            "case": case,
            "applicant": case.applicant,
            "members": list(case.family_members.all()),
            "income": selectors.income_rows(case),
            "test": case.income_test(),
            "program": program,
            "available": available,
            "action_forms": action_forms,
            "lapse_decision": permissions.can_lapse(case, today),
            "documents": documents_of(case),
            "events": _labelled(case.events()),
            "loan": getattr(case, "loan", None),
            "today": today,
            "announcements": _banner(request.user),
        },
    )


@login_required
@require_POST
def act(request, pk: int, name: str):
    case = selectors.certificate_detail(request.user, pk)
    if name not in services.TRANSITIONS:
        raise Http404
    try:
        if name == "approve":
            services.approve(case, request.user)
        else:
            form = ACTION_FORMS[name](request.POST, prefix=name)
            if not form.is_valid():
                raise ValidationError({key: list(errors) for key, errors in form.errors.items()})
            data = form.cleaned_data
            if name == "refuse":
                services.refuse(case, request.user, ground=data["ground"], reason=data["reason"])
            elif name == "conclude_agreement":
                services.conclude_agreement(case, request.user, form.api_body(case.kind == Kind.BUDGET_LOAN))
            elif name == "record_transfer":
                services.record_transfer(case, request.user, **data)
            elif name == "record_bank_documents":
                services.record_bank_documents(case, request.user, data)
            elif name == "lapse":
                services.lapse(case, request.user, reason=data["reason"])
    except CaseConflict as exc:
        messages.error(request, str(exc.detail))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    except (KeyError, ValidationError) as exc:
        detail = exc.message_dict if isinstance(exc, ValidationError) and hasattr(exc, "error_dict") else exc
        lines = (
            _flatten(detail)
            if isinstance(detail, dict)
            else [str(m) for m in getattr(exc, "messages", [exc])]
        )
        for line in lines:
            messages.error(request, line)
    else:
        messages.success(request, _("Done."))
    return redirect("certificates:detail", pk=pk)


@login_required
def program_detail(request, pk: int):
    program = selectors.program_for_user(request.user, pk)
    requests = (
        CertificateRequest.objects.visible_to(request.user)
        .filter(program=program, committed_amount__gt=0)
        .select_related("applicant")
        .order_by("decided_on", "id")
    )
    return render(
        request,
        "certificates/program.html",
        {"program": program, "commitments": requests, "announcements": _banner(request.user)},
    )


@login_required
def loans(request):
    rows = list(selectors.loans_for(request.user).order_by("request__applicant__last_name", "id"))
    for loan in rows:
        loan.arrears = selectors.arrears_of(loan)
    return render(request, "certificates/loans.html", {"loans": rows, "today": workdays.today()})


@login_required
def loan_detail(request, pk: int):
    loan = selectors.loan_for(request.user, pk)
    form = forms.RepaymentForm(request.POST or None, initial={"paid_on": workdays.today()})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_repayment(loan, request.user, **form.cleaned_data)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                for line in _flatten(exc.message_dict if hasattr(exc, "error_dict") else exc.messages):
                    messages.error(request, line)
            else:
                messages.success(request, _("Repayment recorded."))
                return redirect("certificates:loan", pk=pk)
    loan = selectors.loan_for(request.user, pk)
    today = workdays.today()
    schedule = list(loan.instalments.all())
    paid = loan.paid_total
    for row in schedule:
        row.is_due = row.due_on <= today
    documents = [d for d in documents_of(loan.request) if d.kind == "repayment_schedule"]
    return render(
        request,
        "certificates/loan.html",
        {
            "loan": loan,
            "arrears": selectors.arrears_of(loan),
            "schedule": schedule,
            "repayments": list(loan.repayments.all()),
            "paid": paid,
            "form": form,
            "may_record": permissions.can_record_repayment(request.user, loan),
            "schedule_document": documents[0] if documents else None,
            "today": today,
        },
    )


def announcements(request):
    """Public page (no login): announcements of the termination of certificate issuance."""
    return render(
        request, "certificates/announcements.html", {"announcements": selectors.public_announcements()}
    )
