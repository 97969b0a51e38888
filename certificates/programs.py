"""A certificate program's budget and issuance: declared actions run by the kernel's runner.

Seed 004: certificates are issued within the year's budget; when the funds run out,
issuance stops and an announcement is published. ``committed`` moves only through
the conditional updates of the request's actions (approvals, lapses), never here; the
budget moves only through the ``change_budget`` action (admin and API alike): the
runner checks the role (403), locks the program row, validates the body (400), applies
the change and writes one :class:`~certificates.models.ProgramEvent`.

Termination, decided:

* Lowering the budget so that the remaining funds cannot pay one more certificate
  terminates issuance (announcement published; the event row says ``terminated``), as
  when the last approval used the money up.
* Raising the budget of a terminated program never lifts the termination by itself:
  the announcement was published, so resuming is an explicit act of the
  administrator (the ``resume_issuance`` action), with its own event row.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from certificates.models import (
    ZERO,
    AmountKind,
    Announcement,
    CertificateProgram,
    ProgramEvent,
    ProgramEventKind,
)
from housing_aid import roles
from housing_aid.actions import Actions, CaseAction, Decision

ADMINISTRATOR_ONLY = gettext_lazy("Only an administrator of the provider manages its certificate programs.")


def smallest_certificate(program: CertificateProgram) -> Decimal:
    """The least one more certificate can cost: the fixed sum (within the cap); for a
    percent rule the sum depends on the loan, so any money left (one tiyn) may do."""
    if program.amount_kind == AmountKind.FIXED:
        amount = program.amount_value
        if program.amount_cap is not None:
            amount = min(amount, program.amount_cap)
        return max(amount, Decimal("0.01"))
    return Decimal("0.01")


def can_pay_one_more(program: CertificateProgram) -> bool:
    return program.budget - program.committed >= smallest_certificate(program)


def record_program_event(
    program: CertificateProgram, kind: str, user, *, budget_before=None, reason: str = ""
) -> ProgramEvent:
    authenticated = user is not None and user.is_authenticated
    return ProgramEvent.objects.create(
        program=program,
        kind=kind,
        budget_before=budget_before,
        budget_after=program.budget,
        committed=program.committed,
        terminated=program.terminated,
        actor=user if authenticated else None,
        actor_name=user.get_username() if authenticated else "system",
        reason=reason or "",
    )


def create_program(user, *, provider, year: int, reason: str = "", **fields) -> CertificateProgram:
    """A maslikhat's decision for a provider and year (services.create_program), with its event."""
    from certificates import services

    with transaction.atomic():
        program = services.create_program(user, provider=provider, year=year, **fields)
        record_program_event(program, ProgramEventKind.CREATED, user, reason=reason)
    return program


# -- the actions on a program ------------------------------------------------------------


class BudgetBody(serializers.Serializer):
    budget = serializers.DecimalField(max_digits=16, decimal_places=2)
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_budget(self, budget: Decimal) -> Decimal:
        if budget < ZERO:
            raise serializers.ValidationError(_("The budget cannot be negative."))
        committed = self.context["case"].committed
        if budget < committed:
            raise serializers.ValidationError(
                _("The budget cannot be less than the committed %(sum)s.") % {"sum": committed}
            )
        return budget


class ResumeBody(serializers.Serializer):
    reason = serializers.CharField(
        error_messages={
            "required": gettext_lazy("Give the reason (the decision that added the funds)."),
            "blank": gettext_lazy("Give the reason (the decision that added the funds)."),
        }
    )


def _administrator_of(program: CertificateProgram, user) -> Decision:
    if roles.works_for(user, program.provider_id):
        return Decision(True)
    return Decision(False, str(ADMINISTRATOR_ONLY))


def _change_budget(program: CertificateProgram, user, data, from_state) -> CertificateProgram:
    """Writes only ``budget`` (and the termination), so a concurrent approval's ``committed``
    is never overwritten from a stale read."""
    from certificates import services

    data["budget_before"] = program.budget
    program.budget = data["budget"]
    program.save(update_fields=["budget", "updated_at"])
    if not program.terminated and not can_pay_one_more(program):
        services.terminate_program(program.pk)
        program.refresh_from_db(fields=["terminated", "terminated_at"])
    return program


def _terminated(program: CertificateProgram) -> Decision:
    if program.terminated:
        return Decision(True)
    return Decision(False, str(_("Issuance is not terminated.")))


def _resume_issuance(program: CertificateProgram, user, data, from_state) -> CertificateProgram:
    """Lift a termination: only when the funds pay one more certificate. The published
    announcement is withdrawn (its text stays in the event's reason)."""
    if not can_pay_one_more(program):
        raise serializers.ValidationError(
            {"budget": [_("The remaining funds cannot pay one more certificate: raise the budget first.")]}
        )
    data["budget_before"] = program.budget
    withdrawn = Announcement.objects.filter(program=program).first()
    program.terminated = False
    program.terminated_at = None
    program.save(update_fields=["terminated", "terminated_at", "updated_at"])
    if withdrawn is not None:
        data["reason"] = f"{data['reason']}\n\n{_('Withdrawn announcement')}: {withdrawn.text_ru}"
        withdrawn.delete()
    return program


# What an administrator may change of a program besides its budget (the maslikhat's terms).
TERM_FIELDS = (
    "year",
    "decision",
    "amount_kind",
    "amount_value",
    "amount_cap",
    "categories",
    "mortgage_programs",
)


class TermsBody(serializers.Serializer):
    """``terms``: field -> value, already validated by the screen's form or the API's serializer."""

    terms = serializers.DictField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_terms(self, value):
        unknown = sorted(set(value) - set(TERM_FIELDS))
        if unknown:
            raise serializers.ValidationError(
                _("These are not terms of a program: %(fields)s.") % {"fields": ", ".join(unknown)}
            )
        return value


def _change_terms(program: CertificateProgram, user, data, from_state) -> CertificateProgram:
    """Writes only the terms that differ (never ``committed`` or ``terminated``); the event's
    reason names them."""
    changed = [name for name, value in data["terms"].items() if getattr(program, name) != value]
    for name in changed:
        setattr(program, name, data["terms"][name])
    program.save(update_fields=[*changed, "updated_at"])
    names = ", ".join(str(CertificateProgram._meta.get_field(name).verbose_name) for name in changed)
    data["reason"] = "\n".join(part for part in (data.get("reason", ""), names) if part)
    return program


def _administrators(name: str, kind: ProgramEventKind, body, apply, available=None) -> CaseAction:
    """A program action: only an administrator of the program's provider takes it; its event is
    the ``ProgramEvent`` of ``kind``."""
    return CaseAction(
        name,
        kind.label,
        body,
        roles=(roles.Role.ADMINISTRATOR,),
        available=available,
        permission=_administrator_of,
        apply=apply,
        event_type=kind,
        denied_reason=ADMINISTRATOR_ONLY,
    )


def _record(program: CertificateProgram, action: CaseAction, from_state: str, user, data: dict) -> None:
    """A program is not a case: its one event row is a ``ProgramEvent``."""
    record_program_event(
        program,
        action.event,
        user,
        budget_before=data.get("budget_before"),
        reason=action.reason_of(program, data),
    )


PROGRAM_ACTIONS = Actions(
    _administrators("change_budget", ProgramEventKind.BUDGET_CHANGED, BudgetBody, _change_budget),
    _administrators(
        "resume_issuance", ProgramEventKind.RESUMED, ResumeBody, _resume_issuance, available=_terminated
    ),
    _administrators("change_terms", ProgramEventKind.TERMS_CHANGED, TermsBody, _change_terms),
    record=_record,
)
