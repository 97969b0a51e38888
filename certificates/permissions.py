"""Who may do what on the certificate screens; predicates return a reason for a disabled button."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from certificates.models import CertificateRequest
from housing_aid import roles
from housing_aid.actions import Decision


def can_register(user) -> Decision:
    if roles.has_role(user, roles.Role.CASE_OFFICER, roles.Role.INTAKE_CLERK):
        return Decision(True)
    return Decision(False, str(_("Only case officers and intake clerks register requests.")))


def can_lapse(case: CertificateRequest, today) -> Decision:
    if case.stage_due_date is None or case.stage_due_date >= today:
        return Decision(False, str(_("The current step is not overdue yet.")))
    return Decision(True)
