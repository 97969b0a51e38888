"""A certificate program's budget and issuance: the one path for every change (admin and API).

Seed 004: certificates are issued within the year's budget; when the funds run out,
issuance stops and an announcement is published. ``committed`` moves only through
the conditional updates of services.py (approvals, lapses), never here; the budget
moves only through :func:`change_program_budget`, which locks the row, and every
change leaves a :class:`~certificates.models.ProgramEvent`.

Termination, decided:

* Lowering the budget so that the remaining funds cannot pay one more certificate
  terminates issuance (announcement published, a ``terminated`` event), as when the
  last approval used the money up.
* Raising the budget of a terminated program never lifts the termination by itself:
  the announcement was published, so resuming is an explicit act of the
  administrator (:func:`resume_issuance`), with its own event row.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import (
    ZERO,
    AmountKind,
    Announcement,
    CertificateProgram,
    ProgramEvent,
    ProgramEventKind,
)
from housing_aid import roles


def _require_administrator_of(user, program: CertificateProgram) -> None:
    if not roles.has_role(user, roles.Role.ADMINISTRATOR) or not roles.works_for(user, program.provider_id):
        raise PermissionDenied(_("Only an administrator of the provider manages its certificate programs."))


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
        at=timezone.now(),
    )


def create_program(user, *, provider, year: int, reason: str = "", **fields) -> CertificateProgram:
    """A maslikhat's decision for a provider and year (services.create_program), with its event."""
    from certificates import services

    with transaction.atomic():
        program = services.create_program(user, provider=provider, year=year, **fields)
        record_program_event(program, ProgramEventKind.CREATED, user, reason=reason)
    return program


def change_program_budget(
    program: CertificateProgram, *, budget, user, reason: str = ""
) -> CertificateProgram:
    """Set the program's budget under a row lock; never below ``committed``.

    Writes only ``budget`` (and the termination, see the module's docstring), so a
    concurrent approval's ``committed`` is never overwritten from a stale read.
    """
    from certificates import services

    _require_administrator_of(user, program)
    budget = Decimal(budget)
    if budget < ZERO:
        raise ValidationError({"budget": [_("The budget cannot be negative.")]})
    with transaction.atomic():
        locked = CertificateProgram.objects.select_for_update().select_related("provider").get(pk=program.pk)
        if budget < locked.committed:
            raise ValidationError(
                {
                    "budget": [
                        _("The budget cannot be less than the committed %(sum)s.") % {"sum": locked.committed}
                    ]
                }
            )
        before = locked.budget
        if budget == before:
            return locked
        locked.budget = budget
        locked.save(update_fields=["budget", "updated_at"])
        record_program_event(
            locked, ProgramEventKind.BUDGET_CHANGED, user, budget_before=before, reason=reason
        )
        if not locked.terminated and not can_pay_one_more(locked):
            locked = services.terminate_program(locked.pk)
            record_program_event(
                locked,
                ProgramEventKind.TERMINATED,
                user,
                budget_before=budget,
                reason=_("The remaining funds cannot pay one more certificate."),
            )
    return locked


def resume_issuance(program: CertificateProgram, *, user, reason: str) -> CertificateProgram:
    """Lift a termination explicitly: only when the funds pay one more certificate, with a reason.

    The published announcement is withdrawn (its text stays in the event's reason)."""
    _require_administrator_of(user, program)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason (the decision that added the funds).")]})
    with transaction.atomic():
        locked = CertificateProgram.objects.select_for_update().get(pk=program.pk)
        if not locked.terminated:
            return locked
        if not can_pay_one_more(locked):
            raise ValidationError(
                {
                    "budget": [
                        _("The remaining funds cannot pay one more certificate: raise the budget first.")
                    ]
                }
            )
        withdrawn = Announcement.objects.filter(program=locked).first()
        locked.terminated = False
        locked.terminated_at = None
        locked.save(update_fields=["terminated", "terminated_at", "updated_at"])
        if withdrawn is not None:
            reason = f"{reason}\n\n{_('Withdrawn announcement')}: {withdrawn.text_ru}"
            withdrawn.delete()
        record_program_event(
            locked, ProgramEventKind.RESUMED, user, budget_before=locked.budget, reason=reason
        )
    return locked
