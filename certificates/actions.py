"""Every action on a certificate request, declared once (seed 004, API.md's transition table).

Adding an action is one :class:`CaseAction` here and its form on the case page.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from certificates import parameters as cp
from certificates import serializers as bodies
from certificates.models import (
    ZERO,
    CertificateProgram,
    CertificateRequest,
    Kind,
    Loan,
    RefusalGround,
    Repayment,
    Stage,
)
from housing_aid import parameters, roles, workdays
from housing_aid.actions import Actions, CaseAction, Decision
from housing_aid.cases import CaseConflict, close_stages, open_stage
from housing_aid.casework.services import EVENT_LABELS as CASEWORK_EVENT_LABELS
from housing_aid.identifiers import normalise_iban, validate_iban


class FundsExhausted(Exception):
    """The program cannot take this amount: the approval is rolled back and issuance ends."""


def _steps_due(case: CertificateRequest, start, *keys: str):
    days = sum(parameters.int_value_on(k, case.registered_on, case.provider) for k in keys)
    return workdays.add_working_days(start, days)


def _agreement_days_key(case: CertificateRequest) -> str:
    return cp.AGREEMENT_DAYS_LOAN if case.kind == Kind.BUDGET_LOAN else cp.AGREEMENT_DAYS_SOCIAL


def not_future(value, field: str, errors: dict) -> None:
    if value is not None and value > workdays.today():
        errors.setdefault(field, []).append(_("The date cannot be in the future."))


# -- bodies: the API serializers plus the checks against the case --------------------------


class CheckedBody:
    """A body checked against its case (``context["case"]``): ``check(case, attrs, errors)``
    collects the errors by field, and the 400 names all of them at once."""

    def validate(self, attrs):
        errors: dict = {}
        self.check(self.context.get("case"), attrs, errors)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class RefuseBody(CheckedBody, bodies.RefuseSerializer):
    def check(self, case, attrs, errors: dict) -> None:
        if attrs.get("ground") not in RefusalGround.values:
            errors["ground"] = [_("Choose a ground for the refusal.")]
        if not (attrs.get("reason") or "").strip():
            errors["reason"] = [_("Give the reason for the refusal.")]
        if case is not None and attrs.get("ground") == RefusalGround.FUNDS_EXHAUSTED:
            program = CertificateProgram.objects.get(pk=case.program_id)
            if not program.terminated and program.remaining >= case.amount:
                errors["ground"] = [
                    _("The program still has %(sum)s KZT: the funds are not exhausted for this request.")
                    % {"sum": program.remaining}
                ]
        if "reason" not in errors:
            attrs["reason"] = attrs["reason"].strip()


class ConcludeAgreementBody(CheckedBody, bodies.ConcludeAgreementSerializer):
    def check(self, case, attrs, errors: dict) -> None:
        visited_on, agreement_on = attrs["visited_on"], attrs["agreement_on"]
        if case.decided_on and visited_on < case.decided_on:
            errors["visited_on"] = [_("The visit cannot be before the decision.")]
        if agreement_on < visited_on:
            errors["agreement_on"] = [_("The agreement cannot be before the visit.")]
        not_future(visited_on, "visited_on", errors)
        not_future(agreement_on, "agreement_on", errors)
        attrs["account_iban"] = normalise_iban(attrs.get("account_iban", ""))
        try:
            validate_iban(attrs["account_iban"])
        except Exception as exc:  # noqa: BLE001 - Django's ValidationError: its messages
            errors["account_iban"] = list(getattr(exc, "messages", [str(exc)]))
        loan = attrs.get("loan") or {}
        if case.kind == Kind.BUDGET_LOAN:
            if not loan:
                errors["loan"] = [_("A budget loan needs the loan agreement and its security.")]
            else:
                max_months = parameters.int_value_on(cp.LOAN_MAX_MONTHS, case.registered_on, case.provider)
                if not 1 <= loan["term_months"] <= max_months:
                    errors["term_months"] = [
                        _("The loan term is from 1 to %(max)s months.") % {"max": max_months}
                    ]


class TransferBody(CheckedBody, bodies.TransferSerializer):
    def check(self, case, attrs, errors: dict) -> None:
        not_future(attrs["transferred_on"], "transferred_on", errors)
        start = _transfer_start(case)
        if start and attrs["transferred_on"] < start:
            errors.setdefault("transferred_on", []).append(_("The transfer cannot be before the agreement."))


class BankDocumentsBody(CheckedBody, bodies.BankDocumentsSerializer):
    def check(self, case, attrs, errors: dict) -> None:
        applied, received = attrs["mortgage_applied_on"], attrs["received_on"]
        not_future(received, "received_on", errors)
        if case.transferred_on and applied < case.transferred_on:
            errors["mortgage_applied_on"] = [_("The mortgage application cannot be before the transfer.")]
        if received < applied:
            errors.setdefault("received_on", []).append(
                _("The copies cannot arrive before the mortgage application.")
            )


class LapseBody(bodies.LapseSerializer):
    def validate(self, attrs):
        if not (attrs.get("reason") or "").strip():
            raise serializers.ValidationError({"reason": [_("Give the reason for the lapse.")]})
        attrs["reason"] = attrs["reason"].strip()
        return attrs


class RepaymentBody(CheckedBody, bodies.RepaymentSerializer):
    def check(self, case, attrs, errors: dict) -> None:
        not_future(attrs["paid_on"], "paid_on", errors)
        if attrs["amount"] <= 0:
            errors["amount"] = [_("Enter a positive amount.")]


class ReversalBody(bodies.ReversalSerializer):
    """The reason, and the entry to reverse (the API takes it from the URL, the screen from its form)."""

    repayment = serializers.IntegerField()

    def validate_reason(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Give the reason for the correction."))
        return value.strip()


# -- what each action does to the locked case ---------------------------------------------


def _transfer_start(case: CertificateRequest):
    loan = Loan.objects.filter(request=case).first() if case.kind == Kind.BUDGET_LOAN else None
    return loan.concluded_on if loan is not None else case.agreement_on


def _approve(case, user, data, from_state) -> None:
    """Commit the amount: one conditional UPDATE, re-checked by PostgreSQL on the latest row."""
    taken = CertificateProgram.objects.filter(
        pk=case.program_id, terminated=False, committed__lte=F("budget") - case.amount
    ).update(committed=F("committed") + case.amount, updated_at=timezone.now())
    if not taken:
        raise FundsExhausted
    case.committed_amount = case.amount
    CertificateRequest.objects.filter(pk=case.pk).update(committed_amount=case.amount)
    # API.md: terminated, with its announcement, at the approval that leaves less than one more
    # certificate; in this transaction, so the commitment and the announcement go together.
    if CertificateProgram.objects.get(pk=case.program_id).exhausted:
        from certificates.services import _terminate

        _terminate(case.program_id)
    today = workdays.today()
    open_stage(
        case, Stage.AGREEMENT, today, _steps_due(case, today, cp.VISIT_DAYS, _agreement_days_key(case))
    )


def _funds_exhausted(case, user, exc) -> None:
    if isinstance(exc, FundsExhausted):
        from certificates.services import terminate_program

        terminate_program(case.program_id)
        raise CaseConflict(
            CertificateRequest.objects.get(pk=case.pk),
            _("The program's funds are exhausted: the certificate cannot be issued. Issuance is terminated."),
            code="funds_exhausted",
            user=user,
        ) from None


def _conclude_agreement(case, user, data, from_state) -> None:
    from certificates.services import create_loan

    CertificateRequest.objects.filter(pk=case.pk).update(
        visited_on=data["visited_on"],
        agreement_on=data["agreement_on"],
        agreement_number=data.get("agreement_number") or case.number,
        account_iban=data["account_iban"],
        account_bank=data.get("account_bank", ""),
    )
    case.refresh_from_db()
    signed_on = data["agreement_on"]
    if case.kind == Kind.BUDGET_LOAN:
        loan = data.get("loan") or {}
        signed_on = loan.get("concluded_on") or data["agreement_on"]
        create_loan(case, user, loan, signed_on)
    open_stage(case, Stage.TRANSFER, signed_on, _steps_due(case, signed_on, cp.TRANSFER_DAYS))


def _record_transfer(case, user, data, from_state) -> None:
    # The bank then concludes the loan and mortgage agreements; copies are due 5 wd after.
    on = data["transferred_on"]
    open_stage(case, Stage.BANK_DOCUMENTS, on, _steps_due(case, on, cp.BANK_DOCUMENTS_DAYS))


def _record_bank_documents(case, user, data, from_state) -> None:
    CertificateRequest.objects.filter(pk=case.pk).update(
        mortgage_applied_on=data["mortgage_applied_on"],
        bank_documents_received_on=data["received_on"],
        bank_loan_agreement=data["bank_loan_agreement"],
        mortgage_agreement=data["mortgage_agreement"],
    )
    case.refresh_from_db()
    close_stages(case, closed_on=data["received_on"], final=True)


def _overdue(case) -> Decision:
    if case.stage_due_date is None or case.stage_due_date >= workdays.today():
        return Decision(
            False,
            str(
                _("The current step is due on %(date)s: it can lapse only after that.")
                % {"date": case.stage_due_date}
            ),
        )
    return Decision(True)


def _lapse(case, user, data, from_state) -> None:
    """The certificate lapses and its money goes back to the budget; ``withdrawn``: the
    applicant declines in writing, at any time (API.md)."""
    if not data.get("withdrawn") and not _overdue(case):
        raise serializers.ValidationError({"non_field_errors": [_overdue(case).reason]})
    data["released"] = str(case.committed_amount)
    released = CertificateProgram.objects.filter(
        pk=case.program_id, committed__gte=case.committed_amount
    ).update(committed=F("committed") - case.committed_amount, updated_at=timezone.now())
    if not released:  # the CHECK constraint would refuse it anyway
        raise serializers.ValidationError(
            {"non_field_errors": [_("The commitment does not match the program.")]}
        )
    Loan.objects.filter(request=case, cancelled_on__isnull=True).update(cancelled_on=workdays.today())
    case.committed_amount = ZERO
    CertificateRequest.objects.filter(pk=case.pk).update(committed_amount=ZERO)
    close_stages(case, final=True)


def _trustee_of(case, user) -> Decision:
    if roles.works_for(user, case.provider_id):
        return Decision(True)
    return Decision(False, str(_("Only the trustee of the provider services its loans.")))


def _paid_out_loan(case) -> Loan:
    """The case's loan, locked: the ledger moves under the case's and the loan's row locks."""
    loan = Loan.objects.select_for_update().get(request=case)
    if loan.cancelled_on or case.transferred_on is None:
        raise serializers.ValidationError({"non_field_errors": [_("The loan has not been paid out.")]})
    return loan


def _record_repayment(case, user, data, from_state) -> Repayment:
    """The trustee keeps the repayment records of the budget loan."""
    loan = _paid_out_loan(case)
    paid_on, amount = data["paid_on"], data["amount"]
    if paid_on < case.transferred_on:
        raise serializers.ValidationError(
            {
                "paid_on": [
                    _("The repayment cannot be before the loan was transferred on %(date)s.")
                    % {"date": case.transferred_on.strftime("%d.%m.%Y")}
                ]
            }
        )
    if amount > loan.outstanding:
        raise serializers.ValidationError(
            {"amount": [_("More than the outstanding %(sum)s.") % {"sum": loan.outstanding}]}
        )
    repayment = Repayment.objects.create(
        loan=loan, paid_on=paid_on, amount=amount, reference=data.get("reference", ""), recorded_by=user
    )
    Loan.objects.filter(pk=loan.pk).update(paid_total=F("paid_total") + amount)
    return repayment


def _reverse_repayment(case, user, data, from_state) -> Repayment:
    """Correct a wrong repayment: a reversing entry with the reason, never an edit or a delete
    (the ledger is append-only). The right payment, if any, is then recorded anew."""
    loan = Loan.objects.select_for_update().get(request=case)
    original = Repayment.objects.filter(loan=loan, pk=data["repayment"]).first()
    if original is None:
        raise serializers.ValidationError({"repayment": [_("No such repayment of this loan.")]})
    if original.is_reversal:
        raise serializers.ValidationError({"repayment": [_("A reversing entry cannot itself be reversed.")]})
    if Repayment.objects.filter(reverses=original).exists():
        raise serializers.ValidationError({"repayment": [_("This repayment is already reversed.")]})
    data["original"] = original
    entry = Repayment.objects.create(
        loan=loan,
        paid_on=original.paid_on,
        amount=-original.amount,
        reference=original.reference,
        reverses=original,
        reason=data["reason"],
        recorded_by=user,
    )
    Loan.objects.filter(pk=loan.pk).update(paid_total=F("paid_total") - original.amount)
    return entry


def _late(case, start, value, *keys) -> bool:
    return start is not None and value > _steps_due(case, start, *keys)


ACTIONS = Actions(
    CaseAction(
        "approve",
        gettext_lazy("Approve"),
        transition="approve",
        kwargs=lambda case, user, data: {"on": workdays.today()},
        apply=_approve,
        recover=_funds_exhausted,
        event_data=lambda case, data: {"committed": str(case.amount)},
        documents=True,
    ),
    CaseAction(
        "refuse",
        gettext_lazy("Refuse"),
        RefuseBody,
        transition="refuse",
        kwargs=lambda case, user, data: {
            "on": workdays.today(),
            "ground": data["ground"],
            "reason": data["reason"],
        },
        apply=lambda case, user, data, from_state: close_stages(case, final=True),
        event_data=lambda case, data: {"ground": data["ground"]},
        documents=True,
    ),
    CaseAction(
        "conclude_agreement",
        gettext_lazy("Conclude the agreement"),
        ConcludeAgreementBody,
        transition="conclude_agreement",
        apply=_conclude_agreement,
        event_data=lambda case, data: {
            "agreement_on": data["agreement_on"].isoformat(),
            "late": _late(case, data["visited_on"], data["agreement_on"], _agreement_days_key(case)),
        },
        documents=True,
    ),
    CaseAction(
        "record_transfer",
        gettext_lazy("Record the transfer"),
        TransferBody,
        transition="record_transfer",
        kwargs=lambda case, user, data: {
            "on": data["transferred_on"],
            "reference": data.get("reference", ""),
        },
        apply=_record_transfer,
        event_data=lambda case, data: {
            "transferred_on": data["transferred_on"].isoformat(),
            "amount": str(case.amount),
            "late": _late(case, _transfer_start(case), data["transferred_on"], cp.TRANSFER_DAYS),
        },
    ),
    CaseAction(
        "record_bank_documents",
        gettext_lazy("Record the bank documents"),
        BankDocumentsBody,
        transition="record_bank_documents",
        apply=_record_bank_documents,
        event_data=lambda case, data: {
            "received_on": data["received_on"].isoformat(),
            "late": _late(case, data["mortgage_applied_on"], data["received_on"], cp.BANK_DOCUMENTS_DAYS),
        },
    ),
    CaseAction(
        "lapse",
        gettext_lazy("Lapse"),
        LapseBody,
        transition="lapse",
        kwargs=lambda case, user, data: {"reason": data["reason"], "withdrawn": bool(data.get("withdrawn"))},
        apply=_lapse,
        event_data=lambda case, data: {
            "released": data.get("released", "0"),
            "withdrawn": bool(data.get("withdrawn")),
        },
    ),
)

# The trustee's actions on the budget loan behind a certificate: they change no state and are
# taken from the loan's page and API (``/api/v1/loans/{id}/repayments/``), not the case's.
LOAN_ACTIONS = Actions(
    CaseAction(
        "record_repayment",
        gettext_lazy("Record a repayment"),
        RepaymentBody,
        roles=(roles.Role.TRUSTEE,),
        permission=_trustee_of,
        apply=_record_repayment,
        event_data=lambda case, data: {"amount": str(data["amount"]), "paid_on": data["paid_on"].isoformat()},
        denied_reason=gettext_lazy("Only the trustee records repayments."),
    ),
    CaseAction(
        "reverse_repayment",
        gettext_lazy("Reverse a repayment"),
        ReversalBody,
        roles=(roles.Role.TRUSTEE,),
        permission=_trustee_of,
        apply=_reverse_repayment,
        event_data=lambda case, data: {
            "repayment": data["original"].pk,
            "amount": str(data["original"].amount),
            "paid_on": data["original"].paid_on.isoformat(),
        },
        denied_reason=gettext_lazy("Only the trustee corrects repayments."),
    ),
)

# The event types of the certificate history, with their labels (the request page reads them).
EVENT_TYPES = {
    "register": gettext_lazy("Registered"),
    **ACTIONS.labels(),
    **LOAN_ACTIONS.labels(),
    **CASEWORK_EVENT_LABELS,
}
