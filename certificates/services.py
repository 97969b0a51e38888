"""The certificate use cases: everything that changes state goes through here.

Budget rule (seed 004): certificates are issued only within the year's budget. The
commitment is one conditional UPDATE (``committed + amount <= budget``) on the
program row: PostgreSQL re-checks the condition on the latest row version after
waiting for a concurrent updater, so two approvals can never both take the last
money. The CHECK constraint ``certificate_program_within_budget`` is the backstop.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certificates import income, loans
from certificates import parameters as cp
from certificates.models import (
    ZERO,
    Announcement,
    CertificateProgram,
    CertificateRequest,
    Channel,
    DocumentKind,
    FamilyMember,
    IncomeEntry,
    Instalment,
    Kind,
    Loan,
    Stage,
    Status,
)
from housing_aid import parameters, roles, workdays
from housing_aid.actions import run_action
from housing_aid.cases import (
    next_number,
    open_stage,
    record_event,
)
from housing_aid.documents import enqueue_documents, issue_document
from housing_aid.models import Person, ServiceProvider

SUBURBAN_REGIONS = {"astana": "Астана", "almaty": "Алматы"}


# -- programs ----------------------------------------------------------------------
def _require_administrator(user) -> None:
    if not roles.has_role(user, roles.Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only an administrator manages certificate programs."))


def create_program(user, *, provider: ServiceProvider, year: int, **fields: Any) -> CertificateProgram:
    """A maslikhat's decision for a provider and financial year; one per provider and year."""
    _require_administrator(user)
    taken = ValidationError(
        {"year": [_("This provider already has a program for %(year)s.") % {"year": year}]}
    )
    if CertificateProgram.objects.filter(provider=provider, year=year).exists():
        raise taken
    try:
        with transaction.atomic():
            return CertificateProgram.objects.create(provider=provider, year=year, **fields)
    except IntegrityError:  # another administrator created it a moment ago
        raise taken from None


def program_for(provider: ServiceProvider, on: dt.date) -> CertificateProgram | None:
    """The program a certificate draws on: its provider's, for the financial year of ``on``."""
    return CertificateProgram.objects.filter(provider=provider, year=on.year).first()


def _announcement_texts(program: CertificateProgram) -> dict[str, str]:
    texts = {}
    for lang in ("ru", "kk", "en"):
        with translation.override(lang):
            texts[f"text_{lang}"] = _(
                "%(provider)s announces the termination of the issuance of housing certificates for "
                "%(year)s: the funds provided in the local budget for the financial year have been used up."
            ) % {"provider": program.provider.localized_name(lang), "year": program.year}
    return texts


def terminate_program(program_id: int) -> CertificateProgram:
    """Seed 004: when the funds run out, issuance stops and an announcement is published (once)."""
    with transaction.atomic():
        return _terminate(program_id)


def _terminate(program_id: int) -> CertificateProgram:
    program = CertificateProgram.objects.select_for_update().select_related("provider").get(pk=program_id)
    if not program.terminated:
        program.terminated = True
        program.terminated_at = timezone.now()
        program.save(update_fields=["terminated", "terminated_at", "updated_at"])
    Announcement.objects.get_or_create(program=program, defaults=_announcement_texts(program))
    return program


# -- registration checks: every message names the person and the month ---------------------
def _person_label(data: dict, members: list[dict], person) -> str:
    if person == "applicant":
        a = data["applicant"]
        name = " ".join(p for p in (a.get("last_name"), a.get("first_name"), a.get("patronymic")) if p)
        return _("the applicant %(name)s") % {"name": name}
    return _("family member %(n)s, %(name)s") % {"n": person + 1, "name": members[person]["full_name"]}


def _check_amounts(data: dict, on: dt.date, provider, errors: dict) -> None:
    """Plausibility of the sums typed in (effective-dated limit)."""
    limit = parameters.value_on(cp.AMOUNT_MAX, on, provider)
    labels = {"loan_amount": _("The mortgage loan"), "down_payment": _("The down payment")}
    for field, label in labels.items():
        value = data[field]
        if value < 0:
            errors[field] = [_("%(what)s cannot be negative.") % {"what": label}]
        elif value > limit:
            errors[field] = [
                _("%(what)s of %(sum)s KZT is above the plausible %(limit)s KZT: check the figure.")
                % {"what": label, "sum": _money(value), "limit": _money(limit)}
            ]


def _check_birth_dates(data: dict, members: list[dict], received_on: dt.date, errors: dict) -> None:
    """Nobody is born after the request was received, so nobody unborn is counted in the family."""
    born = data["applicant"].get("birth_date")
    if born and born > received_on:
        errors.setdefault("applicant", []).append(
            _("The applicant's date of birth %(date)s is after the request was received.")
            % {"date": born.strftime("%d.%m.%Y")}
        )
    for i, member in enumerate(members):
        if member["birth_date"] > received_on:
            errors.setdefault("family_members", []).append(
                _("%(person)s: the date of birth %(date)s is after the request was received.")
                % {
                    "person": _upper_first(_person_label(data, members, i)),
                    "date": member["birth_date"].strftime("%d.%m.%Y"),
                }
            )


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _money(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", "\u00a0")


def _income_errors(data, members, counted, months, on: dt.date, provider) -> list[str]:
    """Every counted person's income for every tested month, given explicitly.

    A month left out is an error, never a zero: "no income" is said with ``"no_income": true``
    (or an amount of 0.00). Seed 004: the average is over all the tested months.
    """
    limit = parameters.value_on(cp.INCOME_MAX_MONTHLY, on, provider)
    out: list[str] = []
    seen = set()

    def line(person, month, problem) -> str:
        who = (
            _person_label(data, members, person)
            if person == "applicant" or (isinstance(person, int) and 0 <= person < len(members))
            else str(person)
        )
        return _("%(person)s, %(month)s: %(problem)s.") % {
            "person": _upper_first(who),
            "month": income.month_label(month),
            "problem": problem,
        }

    for entry in data.get("incomes", []):
        person, month = entry["person"], entry["month"]
        amount = entry.get("amount")
        problem = None
        if person != "applicant" and not (isinstance(person, int) and 0 <= person < len(members)):
            problem = _("there is no such person in the family table")
        elif person != "applicant" and not counted[person]:
            if amount:  # "no income" of someone not counted is harmless; an income would be counted
                problem = _("this family member is not counted in the family on the registration date")
        elif month not in months:
            problem = _("only the months from %(first)s to %(last)s are tested") % {
                "first": income.month_label(months[0]),
                "last": income.month_label(months[-1]),
            }
        elif (person, month) in seen:
            problem = _("the month is given twice")
        elif entry.get("no_income") and amount:
            problem = _('both an income and "no income" are given')
        elif amount is None and not entry.get("no_income"):
            problem = _('enter the income or mark "no income"')
        elif amount is not None and amount < 0:
            problem = _("the income cannot be negative")
        elif amount is not None and amount > limit:
            problem = _("%(sum)s KZT is above the plausible %(limit)s KZT a month: check the figure") % {
                "sum": _money(amount),
                "limit": _money(limit),
            }
        seen.add((person, month))
        if problem:
            out.append(line(person, month, problem))
    for person in ["applicant"] + [i for i, c in enumerate(counted) if c]:
        for month in months:
            if (person, month) not in seen:
                out.append(line(person, month, _('no income is given; enter it or mark "no income"')))
    return out


# -- registration ---------------------------------------------------------------------
def intake_warnings(case: CertificateRequest) -> list[dict]:
    """API.md create ``warnings``: the program's issuance is terminated (the request is then
    decided by a refusal on the ``funds_exhausted`` ground)."""
    program = case.program
    if not (program.terminated or program.exhausted):
        return []
    return [
        {
            "code": "funds_exhausted",
            "message": _(
                "Issuance of certificates for %(year)s is terminated: the program's funds are exhausted. "
                "The request is decided by a refusal on this ground."
            )
            % {"year": program.year},
        }
    ]


def _may_register(user, provider: ServiceProvider, channel: str) -> bool:
    if not roles.works_for(user, provider.pk):
        return False
    if roles.has_role(user, roles.Role.CASE_OFFICER):
        return True
    return roles.has_role(user, roles.Role.INTAKE_CLERK) and channel == Channel.STATE_CORPORATION


def _officers_of(provider_id: int):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, staff__role=roles.Role.CASE_OFFICER)
        .filter(Q(staff__all_providers=True) | Q(staff__providers=provider_id))
    )


def _executor_on_registration(user, provider: ServiceProvider):
    """The officer who registers executes the request; one the State Corporation forwards goes
    to the provider's officer with the fewest open requests (the head may reassign it)."""
    if roles.has_role(user, roles.Role.CASE_OFFICER):
        return user
    from certificates.selectors import OPEN_STATUSES

    officers = list(_officers_of(provider.pk).distinct().order_by("id"))
    if not officers:
        return None
    load = dict(
        CertificateRequest.objects.filter(provider=provider, status__in=OPEN_STATUSES, assignee__in=officers)
        .values_list("assignee")
        .annotate(n=Count("id"))
    )
    return min(officers, key=lambda officer: (load.get(officer.pk, 0), officer.pk))


def register_request(user, data: dict) -> CertificateRequest:
    """Register a request: program of the financial year, the income test, the amount, the decision term.

    ``data`` is the API's validated body (the web form builds the same). Raises
    ValidationError (400) with field keys; nothing is saved then.
    """
    provider: ServiceProvider = data["provider"]
    channel = data["channel"]
    if not _may_register(user, provider, channel):
        raise PermissionDenied(
            _("You may not register certificate requests for this provider on this channel.")
        )
    received_at = data.get("received_at") or timezone.now()
    registered_on = workdays.registration_date(received_at, provider)
    received_on = timezone.localtime(received_at).date()

    program = program_for(provider, registered_on)
    if program is None:
        raise ValidationError(
            {
                "provider": [
                    _("There is no certificate program of this provider for %(year)s.")
                    % {"year": registered_on.year}
                ]
            }
        )
    errors: dict[str, list[str]] = {}
    category = data.get("category", "")
    if category and program.categories and category not in program.categories:
        errors["category"] = [_("Not a category of recipients of this program.")]
    mortgage_program = data.get("mortgage_program", "")
    if mortgage_program and program.mortgage_programs and mortgage_program not in program.mortgage_programs:
        errors["mortgage_program"] = [_("This mortgage programme is not eligible under the program.")]
    if data["bank_notified_on"] > received_on:
        errors["bank_notified_on"] = [_("The bank must be notified before applying.")]
    prop = data.get("property") or {}
    if prop:
        suburban = prop.get("suburban_of", "")
        if suburban and SUBURBAN_REGIONS.get(suburban) is None:
            errors["property"] = [_("Unknown suburban area.")]
        elif not suburban and prop.get("region") != provider.region:
            errors["property"] = [
                _("The certificate is valid within %(region)s, or the suburban areas of Astana and Almaty.")
                % {"region": provider.region}
            ]

    members = data.get("family_members", [])
    _check_amounts(data, registered_on, provider, errors)
    _check_birth_dates(data, members, received_on, errors)
    counted = [
        m["birth_date"] <= received_on  # nobody unborn is counted (the date is an error above)
        and income.is_counted(
            m["relationship"], m["birth_date"], m.get("full_time_student", False), registered_on, provider
        )
        for m in members
    ]
    months = income.tested_months(
        received_on, parameters.int_value_on(cp.INCOME_MONTHS, registered_on, provider)
    )
    income_errors = _income_errors(data, members, counted, months, registered_on, provider)
    if income_errors:
        errors["incomes"] = income_errors
    if errors:
        raise ValidationError(errors)

    family_size = 1 + sum(counted)
    test = income.run_income_test(
        registered_on, family_size, [e.get("amount") or ZERO for e in data.get("incomes", [])], provider
    )
    amount = program.amount_for(data["loan_amount"], data["down_payment"])
    if amount <= 0:
        raise ValidationError(
            {"non_field_errors": [_("The certificate amount under the program's rule is zero.")]}
        )

    applicant_data = data["applicant"]
    with transaction.atomic():
        person, _created = Person.objects.update_or_create(
            iin=applicant_data["iin"],
            defaults={
                k: applicant_data[k]
                for k in ("last_name", "first_name", "patronymic", "birth_date", "address", "phone")
                if k in applicant_data
            },
        )
        request = CertificateRequest.objects.create(
            number=next_number(provider, CertificateRequest.NUMBER_SERIES, registered_on.year),
            provider=provider,
            received_at=received_at,
            registered_on=registered_on,
            due_date=workdays.add_working_days(
                registered_on, parameters.int_value_on(cp.DECISION_DAYS, registered_on, provider)
            ),
            language=data.get("language") or "ru",
            created_by=user,
            assignee=_executor_on_registration(user, provider),
            channel=channel,
            # Seed 004: the State Corporation forwards the package on the day it takes it.
            forwarded_at=received_at if channel == Channel.STATE_CORPORATION else None,
            program=program,
            applicant=person,
            category=category,
            mortgage_program=mortgage_program,
            bank=data["bank"],
            bank_notified_on=data["bank_notified_on"],
            loan_amount=data["loan_amount"],
            down_payment=data["down_payment"],
            property_region=prop.get("region", ""),
            property_locality=prop.get("locality", ""),
            suburban_of=prop.get("suburban_of", ""),
            amount=amount,
            **test.columns(),
        )
        rows = FamilyMember.objects.bulk_create(
            [
                FamilyMember(
                    request=request,
                    position=i,
                    full_name=m["full_name"],
                    iin=m.get("iin", ""),
                    birth_date=m["birth_date"],
                    relationship=m["relationship"],
                    full_time_student=m.get("full_time_student", False),
                    counted=counted[i],
                )
                for i, m in enumerate(members)
            ]
        )
        IncomeEntry.objects.bulk_create(
            [
                IncomeEntry(
                    request=request,
                    member=None if e["person"] == "applicant" else rows[e["person"]],
                    month=e["month"],
                    amount=e.get("amount") or ZERO,
                )
                for e in data.get("incomes", [])
            ]
        )
        record_event(
            request,
            "register",
            "",
            request.status,
            user,
            data={"channel": channel, "amount": str(amount), "kind": test.kind},
        )
        open_stage(request, Stage.DECISION, registered_on, request.due_date)
    return request


# -- actions (declared in certificates.actions) -----------------------------------------
def act(case: CertificateRequest, name: str, user, data: dict) -> CertificateRequest:
    """Run the declared action, then hand its documents to the document job (after commit)."""
    from certificates.actions import ACTIONS

    outcome = run_action(ACTIONS, case, name, user, data)
    if ACTIONS.get(case, name).documents:
        enqueue_documents(outcome.case, user)
    return outcome.case


def approve(case: CertificateRequest, user) -> CertificateRequest:
    """Approve and commit the amount; too little money left -> 409 ``funds_exhausted`` and the
    program is terminated with a published announcement."""
    return act(case, "approve", user, {})


def refuse(case: CertificateRequest, user, *, ground: str, reason: str) -> CertificateRequest:
    """A reasoned refusal within the decision term."""
    return act(case, "refuse", user, {"ground": ground, "reason": reason})


def conclude_agreement(case: CertificateRequest, user, data: dict) -> CertificateRequest:
    """Social assistance: the bilateral agreement. Budget loan: the tripartite agreement with the
    loan agreement and its security, and the repayment schedule."""
    return act(case, "conclude_agreement", user, data)


def record_transfer(
    case: CertificateRequest, user, *, transferred_on: dt.date, reference: str = ""
) -> CertificateRequest:
    """The sum reaches the applicant's escrow / savings account (1 wd after the agreement)."""
    return act(case, "record_transfer", user, {"transferred_on": transferred_on, "reference": reference})


def record_bank_documents(case: CertificateRequest, user, data: dict) -> CertificateRequest:
    """Copies of the bank loan agreement and the mortgage agreement (5 wd after the mortgage application)."""
    return act(case, "record_bank_documents", user, data)


def lapse(case: CertificateRequest, user, *, reason: str, withdrawn: bool = False) -> CertificateRequest:
    """A missed step, or the applicant's written refusal (``withdrawn``, at any time): the
    certificate lapses and its money goes back to the budget."""
    return act(case, "lapse", user, {"reason": reason, "withdrawn": withdrawn})


# -- documents (the document job issues them after commit) ---------------------------------
def _signer(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


# The step whose actor signs each document: the officer who decided, the party who concluded
# the agreement (the trustee for a budget loan).
SIGNING_STEPS = {
    DocumentKind.DECISION_NOTICE: "approve",
    DocumentKind.REFUSAL_NOTICE: "refuse",
    DocumentKind.AGREEMENT: "conclude_agreement",
    DocumentKind.TRIPARTITE_AGREEMENT: "conclude_agreement",
    DocumentKind.REPAYMENT_SCHEDULE: "conclude_agreement",
}


def _signed_by(case: CertificateRequest, kind: str, user):
    """Who took the step the document records; the job's user only when the history names
    nobody (a document issued by a later job, a retry, is still signed by its decider)."""
    event = case.events().filter(transition=SIGNING_STEPS[kind]).order_by("-id").first()
    return event.actor if event is not None and event.actor is not None else user


def _issue(case: CertificateRequest, kind: str, template: str, user, title: str, extra: dict | None = None):
    context = {"request_obj": case, "test": case.income_test(), **(extra or {})}
    return issue_document(
        case,
        kind,
        f"certificates/pdf/{template}.html",
        context,
        user=user,
        title=title,
        signed_by_name=_signer(_signed_by(case, kind, user)),
    )


def due_document_kinds(case: CertificateRequest) -> list[str]:
    """The documents the case's decision and agreement call for, in the order they are issued."""
    kinds = []
    if case.status == Status.REFUSED:
        kinds.append(DocumentKind.REFUSAL_NOTICE)
    elif case.decided_on is not None:
        kinds.append(DocumentKind.DECISION_NOTICE)
    if case.agreement_on is not None and case.kind == Kind.BUDGET_LOAN:
        kinds.append(DocumentKind.TRIPARTITE_AGREEMENT)
        if Loan.objects.filter(request=case).exists():
            kinds.append(DocumentKind.REPAYMENT_SCHEDULE)
    elif case.agreement_on is not None:
        kinds.append(DocumentKind.AGREEMENT)
    return [str(kind) for kind in kinds]


def issue_due_documents(case: CertificateRequest, user=None) -> list:
    """Issue what the case's decision and agreement call for and is not issued yet; safe to
    run twice (``housing_aid.tasks.issue_case_documents``)."""
    case = CertificateRequest.objects.select_related("provider", "applicant", "program").get(pk=case.pk)
    out = []
    for kind in due_document_kinds(case):
        extra = None
        if kind == DocumentKind.REPAYMENT_SCHEDULE:
            loan = Loan.objects.get(request=case)
            extra = {"loan": loan, "instalments": list(loan.instalments.all())}
        out.append(_issue(case, kind, kind, user, str(DocumentKind(kind).label), extra))
    return out


def create_loan(case: CertificateRequest, user, data: dict, signed_on: dt.date) -> Loan:
    rate = parameters.value_on(cp.LOAN_RATE, case.registered_on, case.provider)
    first_due = loans.add_months(signed_on, 1)
    rows = loans.schedule(case.amount, rate, data["term_months"], first_due)
    loan = Loan.objects.create(
        request=case,
        provider_id=case.provider_id,
        number=data.get("number") or f"{case.number}-L",
        concluded_on=signed_on,
        principal=case.amount,
        annual_rate=rate,
        term_months=data["term_months"],
        first_due_on=first_due,
        security_kind=data["security_kind"],
        security_details=data.get("security_details", ""),
        trustee=user if roles.has_role(user, roles.Role.TRUSTEE) else None,
        total_repayable=sum((r.amount for r in rows), ZERO),
    )
    Instalment.objects.bulk_create(
        [
            Instalment(
                loan=loan,
                number=r.number,
                due_on=r.due_on,
                amount=r.amount,
                principal=r.principal,
                interest=r.interest,
                balance_after=r.balance_after,
            )
            for r in rows
        ]
    )
    return loan
