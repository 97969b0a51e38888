"""Screens: the worklist, intake, the request page, the program page, the trustee's loans
and the public announcements of termination. Every change goes through services.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Func, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DRFValidationError

from certificates import forms, income, permissions, selectors, services
from certificates.actions import ACTIONS, EVENT_TYPES, LOAN_ACTIONS
from certificates.models import CertificateRequest, DocumentKind, Kind, Status
from certificates.serializers import CertificateCreateSerializer
from housing_aid import casepage, roles, workdays
from housing_aid.action_views import action_screen
from housing_aid.actions import run_action, validation_errors
from housing_aid.casework import worklists
from housing_aid.casework.views import worklist_screen
from housing_aid.documents import documents_of, due_not_issued
from housing_aid.models import ServiceProvider, format_full_name
from housing_aid.persons import open_case_warnings


def _banner(user) -> list:
    return selectors.terminated_announcements_for(user)


BANNER_SECONDS = 60 * 60


def _kept_banner(user, counted: tuple) -> list:
    """The banner as the request page's stamp counted it (the number of announcements and the
    latest publication): nothing read when it counted none, else kept in the cache under that
    count, the reader's providers and the year. An announcement is written once, when its
    program's issuance stops, and never edited, so a new one changes the key."""
    count, latest = counted
    if not count:
        return []
    ids = roles.provider_ids_for(user)
    scope = "all" if ids is None else ",".join(str(pk) for pk in sorted(ids))
    key = f"certificates:banner:{workdays.today().year}:{scope}:{count}:{latest.isoformat()}"
    kept = cache.get(key)
    if kept is None:
        kept = _banner(user)
        cache.set(key, kept, BANNER_SECONDS)
    return kept


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


# One row of the worklist (its table is templates/certificates/worklist.html): filled in
# here, 50 times a page, rather than by the template engine (housing_aid.casework.worklists).
WORKLIST_ROW = """<tr>{select}
    <td><a href="{url}">{number}</a><div class="muted">{registered_on}</div></td>
    <td>{applicant}<div class="muted">{iin}</div></td>
    <td>{kind}</td>
    <td class="num">{amount}</td>
    <td><span class="badge">{status}</span></td>
    <td class="executor">{executor}</td>
    <td>{step_due}</td>
  </tr>"""


def worklist_row(row, *, cells: worklists.RowCells) -> str:
    esc = worklists.esc  # the row's texts (numbers, dates and state codes need none)
    return WORKLIST_ROW.format(
        select=cells.select(row),
        url=cells.url(row.pk),
        number=esc(row.number),
        registered_on=worklists.day(row.registered_on),
        applicant=esc(
            format_full_name(row.applicant__last_name, row.applicant__first_name, row.applicant__patronymic)
        ),
        iin=esc(row.applicant__iin),
        kind=cells.label("kind", row.kind),
        amount=floatformat(row.amount, "2g"),  # safe: a number as the locale writes it
        status=cells.label("status", row.status),
        executor=cells.executor(row),
        step_due=(
            f'<span class="badge deadline-{cells.dates.state_of(row.stage_due_date)}">'
            f"{worklists.day(row.stage_due_date)}</span>"
            if row.stage_due_date
            else '<span class="muted">—</span>'
        ),
    )


@login_required
def worklist(request):
    return worklist_screen(
        request,
        selectors,
        service="certificates",
        template="certificates/worklist.html",
        choices={"status": dict(Status.choices), "kind": dict(Kind.choices)},
        row_html=worklist_row,
        labels=("status", "kind"),
        context={
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "today": workdays.today(),
            "announcements": _banner(request.user),
            "programs": selectors.programs_for(request.user).filter(year=workdays.today().year),
            "may_register": permissions.can_register(request.user),
        },
    )


def _member_count(post) -> int:
    try:
        count = int(post.get("member_count") or forms.MEMBER_ROWS)
    except ValueError:
        count = forms.MEMBER_ROWS
    if post.get("more_rows"):
        count += 2
    return max(forms.MEMBER_ROWS, min(count, forms.MAX_MEMBER_ROWS))


def _grid(post, months) -> tuple[list[dict], dict]:
    """The family table and the income grid as typed, so a page with errors shows them again."""
    members = []
    for i in range(_member_count(post)):
        members.append(
            {
                "i": i,
                "number": i + 1,
                "full_name": post.get(f"member-{i}-full_name", "").strip(),
                "iin": post.get(f"member-{i}-iin", "").strip(),
                "birth_date": post.get(f"member-{i}-birth_date", ""),
                "relationship": post.get(f"member-{i}-relationship", "child"),
                "student": post.get(f"member-{i}-student") == "on",
            }
        )

    def cells(key: str) -> list[dict]:
        return [
            {
                "name": f"income-{key}-{k}",
                "value": post.get(f"income-{key}-{k}", "").strip(),
                "none": post.get(f"income-{key}-{k}-none") == "on",
                "month": month,
            }
            for k, month in enumerate(months)
        ]

    for member in members:
        member["incomes"] = cells(str(member["i"]))
    return members, {"incomes": cells("a")}


def _amount(raw: str) -> str:
    return raw.replace("\u00a0", "").replace(" ", "").replace(",", ".")


def _intake_body(request, form, members: list[dict], applicant_row: dict) -> tuple[dict, list[str]]:
    """The API body from the intake screen, and the cells that are not a sum (named in words)."""
    data = form.cleaned_data
    problems: list[str] = []
    body_members = []
    incomes = []
    applicant_name = " ".join(p for p in (data["last_name"], data["first_name"], data["patronymic"]) if p)
    rows = [(_("the applicant %(name)s") % {"name": applicant_name}, "applicant", applicant_row["incomes"])]
    for member in members:
        typed = any(c["value"] or c["none"] for c in member["incomes"])
        if not member["full_name"]:
            if typed or member["iin"] or member["birth_date"]:
                problems.append(
                    _("Family member %(n)s: enter the full name, or clear the row.") % {"n": member["number"]}
                )
            continue
        index = len(body_members)
        body_members.append(
            {
                "full_name": member["full_name"],
                "iin": member["iin"],
                "birth_date": member["birth_date"] or None,
                "relationship": member["relationship"],
                "full_time_student": member["student"],
            }
        )
        label = _("family member %(n)s, %(name)s") % {"n": index + 1, "name": member["full_name"]}
        rows.append((label, index, member["incomes"]))
    for label, person, cells in rows:
        for cell in cells:
            month = cell["month"].strftime("%Y-%m")
            if cell["none"] and not cell["value"]:
                incomes.append({"person": person, "month": month, "no_income": True})
            elif cell["value"]:
                try:
                    amount = Decimal(_amount(cell["value"]))
                except InvalidOperation:
                    cell["error"] = True
                    problems.append(
                        _('%(person)s, %(month)s: "%(value)s" is not a sum in tenge.')
                        % {
                            "person": label[:1].upper() + label[1:],
                            "month": income.month_label(cell["month"]),
                            "value": cell["value"],
                        }
                    )
                    continue
                incomes.append(
                    {"person": person, "month": month, "amount": str(amount), "no_income": cell["none"]}
                )
            elif person == "applicant":
                cell["error"] = True
    body = {
        "provider": request.POST.get("provider", ""),
        "channel": data["channel"],
        "language": data["language"],
        "applicant": {
            k: data[k] or ("" if k != "birth_date" else None)
            for k in ("last_name", "first_name", "patronymic", "iin", "birth_date", "address", "phone")
        },
        "family_members": body_members,
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
    return body, problems


def _items(value) -> list | None:
    """A list's errors by position: DRF gives a list, or a dict keyed by the index of each row
    with errors (ListField, and ListSerializer since 3.15); None when ``value`` is neither."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and value and all(isinstance(k, int) for k in value):
        return [value.get(i, {}) for i in range(max(value) + 1)]
    return None


def _intake_messages(detail, form, body: dict) -> list[str]:
    """API-shaped errors in the officer's words: the field's label, the person, the month."""
    labels = {name: str(field.label) for name, field in form.fields.items()}
    labels.update({"provider": _("Service provider"), "property": _("Property"), "applicant": _("Applicant")})
    member_labels = {
        "full_name": _("Full name"),
        "iin": _("IIN"),
        "birth_date": _("Date of birth"),
        "relationship": _("Relationship"),
        "full_time_student": _("Full-time student"),
    }
    out: list[str] = []
    for key, value in detail.items() if isinstance(detail, dict) else [("non_field_errors", detail)]:
        if key == "applicant" and isinstance(value, dict):
            for field, errors in value.items():
                out += [
                    f"{_('Applicant')}, {labels.get(field, field).lower()}: {e}" for e in _flatten(errors)
                ]
        elif key == "family_members" and _items(value) is not None:
            for i, item in enumerate(_items(value)):
                if isinstance(item, dict):
                    name = body["family_members"][i]["full_name"] if i < len(body["family_members"]) else ""
                    for field, errors in item.items():
                        who = _("Family member %(n)s, %(name)s") % {"n": i + 1, "name": name}
                        out += [
                            f"{who}, {str(member_labels.get(field, field)).lower()}: {e}"
                            for e in _flatten(errors)
                        ]
                else:
                    out += _flatten(item)
        elif key == "incomes" and _items(value) is not None:
            for i, item in enumerate(_items(value)):
                if isinstance(item, dict) and item and i < len(body["incomes"]):
                    entry = body["incomes"][i]
                    person = entry["person"]
                    who = (
                        _("The applicant")
                        if person == "applicant"
                        else _("Family member %(n)s, %(name)s")
                        % {"n": person + 1, "name": body["family_members"][person]["full_name"]}
                    )
                    month = income.month_label(dt.date.fromisoformat(f"{entry['month']}-01"))
                    out += [f"{who}, {month}: {e}" for e in _flatten(list(item.values()))]
                else:
                    out += _flatten(item)
        elif key == "non_field_errors":
            out += _flatten(value)
        else:
            out += [f"{labels.get(key, key)}: {e}" for e in _flatten(value)]
    return out


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
    members, applicant_row = _grid(request.POST, months)
    more_rows = request.method == "POST" and bool(request.POST.get("more_rows"))
    form = forms.IntakeForm(request.POST or None)
    if request.method == "POST" and not more_rows and form.is_valid():
        body, errors = _intake_body(request, form, members, applicant_row)
        if not errors:
            serializer = CertificateCreateSerializer(data=body)
            try:
                serializer.is_valid(raise_exception=True)
                case = services.register_request(request.user, serializer.validated_data)
            except DRFValidationError as exc:
                errors = _intake_messages(exc.detail, form, body)
            except ValidationError as exc:
                errors = _intake_messages(
                    exc.message_dict if hasattr(exc, "error_dict") else exc.messages, form, body
                )
            except PermissionDenied as exc:
                errors = [str(exc)]
            else:
                messages.success(request, _("Request %(number)s registered.") % {"number": case.number})
                for warning in services.intake_warnings(case) + open_case_warnings(case):
                    messages.warning(request, warning["message"])
                return redirect("certificates:detail", pk=case.pk)
    terminated = [
        p for p in selectors.programs_for(request.user).filter(year=workdays.today().year) if p.terminated
    ]
    return render(
        request,
        "certificates/intake.html",
        {
            "form": form,
            "errors": errors,
            "show_form_errors": request.method == "POST" and not more_rows,
            "providers": providers,
            "months": months,
            "members": members,
            "member_count": len(members),
            "applicant_row": applicant_row,
            "post": request.POST,
            "terminated_programs": terminated,
            "announcements": _banner(request.user),
        },
    )


# The fields each action's form draws; the action's serializer validates them (run_action).
ACTION_FORMS = {
    "refuse": forms.RefuseForm,
    "conclude_agreement": forms.ConcludeAgreementForm,
    "record_transfer": forms.TransferForm,
    "record_bank_documents": forms.BankDocumentsForm,
    "lapse": forms.LapseForm,
}


def _labelled(events) -> list:
    """The history in the reader's words: what was done (its declared event type) and the status."""
    labels = dict(Status.choices)
    out = list(events)
    for event in out:
        event.label = EVENT_TYPES.get(event.transition, event.transition)
        event.to_label = labels.get(event.to_state, event.to_state)
    return out


def _initial(name: str, case, today) -> dict:
    if name == "conclude_agreement":
        return {"visited_on": today, "agreement_on": today}
    if name == "record_transfer":
        return {"transferred_on": today}
    if name == "refuse" and case.program.terminated:
        return {"ground": "funds_exhausted"}
    return {}


def _action_form(name: str, case, today, errors: dict | None, posted):
    """The action's form, drawn with what was typed and the action's errors when it was refused."""
    initial = posted.dict() if errors is not None and posted is not None else _initial(name, case, today)
    return _with_errors(ACTION_FORMS[name](initial=initial, auto_id=f"id_{name}-%s"), errors)


def _with_errors(form, errors: dict | None):
    """``form`` drawn with the action's errors: each beside its field (``field_rows``), the rest
    above the form (``general_errors``)."""
    errors = errors or {}
    for field in errors:
        if field in form.fields:
            form.fields[field].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": form[field].auto_id + "-error"}
            )
    form.field_rows = [(form[field], errors.get(field, [])) for field in form.fields]
    form.general_errors = [m for field, ms in errors.items() if field not in form.fields for m in ms]
    return form


def _detail_page(request, case, action_errors=None, posted=None, values: dict | None = None, counted=None):
    """The request page; ``values``: the CSRF token when it is kept (housing_aid.casepage.page);
    ``counted``: the banner's announcements as the stamp counted them (see ``_kept_banner``)."""
    available = case.available_transitions_for(request.user)
    today = workdays.today()
    action_errors = action_errors or {}
    action_forms = {
        name: _action_form(name, case, today, action_errors.get(name), posted)
        for name in available
        if name in ACTION_FORMS
    }
    # Lazy: read only when the cached panels (income test, documents, history) are drawn
    # again (housing_aid.casepage).
    issued = SimpleLazyObject(lambda: list(documents_of(case)))
    return render(
        request,
        "certificates/detail.html",
        {
            "case": case,
            "applicant": case.applicant,
            "income": SimpleLazyObject(lambda: selectors.income_rows(case)),
            "test": case.income_test(),
            "program": case.program,
            "available": available,
            "action_forms": action_forms,
            "lapse_decision": permissions.can_lapse(case, today),
            "documents": issued,
            # Documents are jobs: what the case calls for and the job has not issued yet.
            "documents_pending": SimpleLazyObject(
                lambda: [
                    DocumentKind(kind).label
                    for kind in due_not_issued(case, services.due_document_kinds(case), issued=issued)
                ]
            ),
            "events": SimpleLazyObject(lambda: _labelled(case.events())),
            "loan": (loan := getattr(case, "loan", None)),
            "loan_readable": loan is not None and selectors.loan_readable(request.user, loan),
            "today": today,
            "announcements": _banner(request.user)
            if counted is None
            else _kept_banner(request.user, counted),
            **(values or {}),
        },
        status=400 if action_errors else 200,
    )


# What the page shows of the program, which other requests' approvals change.
PROGRAM_STAMP = ("program__budget", "program__committed", "program__terminated", "program__updated_at")


def _banner_stamp(user) -> tuple:
    """The banner's announcements (other programs' rows) as the page's key sees them: their
    number and the latest publication, two scalar subqueries of the stamp's one query."""
    announcements = selectors.terminated_announcements(user).order_by()
    return tuple(
        Subquery(announcements.annotate(v=Func(F(field), function=function)).values("v"))
        for field, function in (("pk", "COUNT"), ("published_at", "MAX"))
    )


@login_required
def detail(request, pk: int):
    """Kept per reader (housing_aid.casepage.page); outside the scope 404 before anything kept."""
    scope = CertificateRequest.objects.visible_to(request.user)
    stamp = casepage.stamp(scope, pk, *PROGRAM_STAMP, *_banner_stamp(request.user))
    counted = stamp.row[-2:]

    def draw(values: dict):
        case = selectors.certificate_detail(request.user, pk, page=True)
        return _detail_page(request, case, values=values, counted=counted)

    return casepage.page(request, stamp, draw)


_act = action_screen(
    ACTIONS,
    CertificateRequest,
    case_page=lambda request, case, errors, posted: _detail_page(
        request, selectors.certificate_detail(request.user, case.pk), errors, posted
    ),
    redirect_to=lambda request, case: redirect("certificates:detail", pk=case.pk),
)


@login_required
@require_POST
def act(request, pk: int, name: str):
    """A declared action from the request page, run by the kernel's screen view."""
    if name not in ACTIONS:
        raise Http404
    return _act(request, pk=pk, name=name)


@login_required
def program_detail(request, pk: int):
    program = selectors.program_for_user(request.user, pk)
    requests = (
        CertificateRequest.objects.visible_to(request.user)
        .filter(program=program, committed_amount__gt=0)
        .select_related("applicant")
        .order_by("decided_on", "id")
    )
    awaiting = (
        CertificateRequest.objects.visible_to(request.user)
        .filter(program=program, status=Status.UNDER_CONSIDERATION)
        .select_related("applicant")
        .order_by("due_date", "id")
        if program.terminated
        else CertificateRequest.objects.none()
    )
    return render(
        request,
        "certificates/program.html",
        {
            "program": program,
            "commitments": requests,
            "awaiting": awaiting,
            "announcement": getattr(program, "announcement", None) if program.terminated else None,
            # The page shows this program's announcement in full; the banner keeps the others.
            "announcements": [a for a in _banner(request.user) if a.program_id != program.pk],
        },
    )


@login_required
def loans(request):
    rows = list(selectors.loans_for(request.user).order_by("request__applicant__last_name", "id"))
    for loan in rows:
        loan.arrears = selectors.arrears_of(loan)
    return render(request, "certificates/loans.html", {"loans": rows, "today": workdays.today()})


@login_required
def loan_detail(request, pk: int):
    """The trustee's ledger: a repayment, or the reversal of a wrong one, through the runner."""
    loan = selectors.loan_for(request.user, pk)
    posted = None
    errors = None
    if request.method == "POST":
        name = "reverse_repayment" if request.POST.get("reverse") else "record_repayment"
        action = LOAN_ACTIONS.get(loan.request, name)
        try:
            run_action(LOAN_ACTIONS, loan.request, name, request.user, action.form_body(request.POST))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except serializers.ValidationError as exc:
            if name == "record_repayment":
                posted, errors = request.POST, validation_errors(exc)
            else:
                for line in validation_errors(exc).values():
                    messages.error(request, " ".join(line))
        else:
            if name == "reverse_repayment":
                messages.success(
                    request, _("The repayment is reversed; record the right one if there is one.")
                )
            else:
                messages.success(request, _("Repayment recorded."))
            return redirect("certificates:loan", pk=pk)
    # The form only draws the fields (and keeps what was typed); the action's body validates.
    form = _with_errors(
        forms.RepaymentForm(initial=posted.dict() if posted else {"paid_on": workdays.today()}), errors
    )
    loan = selectors.loan_for(request.user, pk)
    ledger = selectors.loan_ledger(loan)
    repayments = list(loan.repayments.all())
    reversed_ids = {r.reverses_id for r in repayments if r.reverses_id}
    for r in repayments:
        r.reversed = r.pk in reversed_ids
    documents = [d for d in documents_of(loan.request) if d.kind == "repayment_schedule"]
    return render(
        request,
        "certificates/loan.html",
        {
            "loan": loan,
            "arrears": ledger.arrears,
            "days_past_due": ledger.days_past_due,
            "schedule": ledger.rows,
            "repayments": repayments,
            "form": form,
            "may_record": LOAN_ACTIONS.get(loan.request, "record_repayment").allowed_for(
                loan.request, request.user
            ),
            "schedule_document": documents[0] if documents else None,
            "today": workdays.today(),
        },
        status=400 if errors else 200,
    )


def announcements(request):
    """Public page (no login): announcements of the termination of certificate issuance."""
    return render(
        request, "certificates/announcements.html", {"announcements": selectors.public_announcements()}
    )
