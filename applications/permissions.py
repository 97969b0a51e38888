"""Who may do what on an application, with the reason when not (for disabled buttons)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed, has_transition_perm

from applications.models import Application
from housing_aid import roles

TRANSITIONS = (
    ("start_review", _("Start review")),
    ("draft_return", _("Draft refusal to consider further")),
    ("start_verification", _("Package complete: start verification")),
    ("draft_assignment", _("Draft assignment")),
    ("draft_refusal", _("Draft refusal")),
    ("sign", _("Sign")),
    ("send_back", _("Send back for rework")),
)
HEAD_TRANSITIONS = ("sign", "send_back")


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    allowed: bool
    reason: str = ""


def actions_for(application: Application, user) -> list[Action]:
    """The transitions the current status offers, each allowed or with the reason why not."""
    out = []
    for name, label in TRANSITIONS:
        method = getattr(application, name)
        if not can_proceed(method):
            continue
        if has_transition_perm(method, user):
            out.append(Action(name, str(label), True))
            continue
        if name in HEAD_TRANSITIONS:
            reason = _("Only the head of the service provider signs or sends back.")
        else:
            reason = _("Only a case officer of the service provider does this.")
        out.append(Action(name, str(label), False, str(reason)))
    return out


def closed_reason(application: Application) -> str:
    if application.is_closed:
        return str(_("The case is closed: no further action."))
    return ""


def may_intake(user) -> bool:
    return roles.has_role(user, roles.Role.INTAKE_CLERK)


def may_export(user) -> bool:
    return roles.has_role(
        user, roles.Role.CASE_OFFICER, roles.Role.HEAD, roles.Role.AUDITOR, roles.Role.ADMINISTRATOR
    )


def may_attach(user) -> bool:
    return roles.has_role(user, roles.Role.INTAKE_CLERK, roles.Role.CASE_OFFICER)


def may_hand_out(user) -> bool:
    # the kernel's hand_out_document view admits these two roles
    return roles.has_role(user, roles.Role.INTAKE_CLERK, roles.Role.CASE_OFFICER)
