"""Who may do what with a complaint. Predicates return a reason, so a disabled button can say why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from housing_aid import roles
from housing_aid.actions import ALLOWED, Decision  # noqa: F401 - the kernel's decision, re-exported
from housing_aid.roles import Role

if TYPE_CHECKING:
    from complaints.models import Complaint


# Who registers a complaint to whom: the provider's (or the authorized body's) complaints
# officers, the quality-control body's officers, and the portal for any addressee.
REGISTERING_ROLES = {
    "service_provider": {Role.COMPLAINTS_OFFICER, Role.PORTAL},
    "authorized_body": {Role.COMPLAINTS_OFFICER, Role.PORTAL},
    "quality_control_body": {Role.QUALITY_OFFICER, Role.PORTAL},
}


def handler_role(addressee: str) -> str:
    return Role.QUALITY_OFFICER if addressee == "quality_control_body" else Role.COMPLAINTS_OFFICER


def may_register(user, provider, addressee: str) -> Decision:
    role = roles.role_of(user)
    if role not in REGISTERING_ROLES.get(addressee, ()):
        return Decision(False, _("Your role may not register complaints to this addressee."))
    if role != Role.PORTAL and not roles.works_for(user, provider.pk):
        return Decision(False, _("You do not work for this service provider."))
    return ALLOWED


def may_handle(user, complaint: Complaint) -> Decision:
    """Review, answer or refuse: the addressee's officer, never the official complained about."""
    role = roles.role_of(user)
    if role != handler_role(complaint.addressee):
        if complaint.addressee == "quality_control_body":
            return Decision(False, _("Only a quality-control officer answers a complaint to that body."))
        return Decision(False, _("Only a complaints officer answers a complaint."))
    if not roles.works_for(user, complaint.provider_id):
        return Decision(False, _("You do not work for this service provider."))
    if complaint.respondent_id is not None and complaint.respondent_id == user.pk:
        return Decision(
            False, _("The official whose action is complained about may not answer the complaint.")
        )
    return ALLOWED


def may_escalate(user, complaint: Complaint) -> Decision:
    """The complainant disagrees with the answer: the portal for its own, or a complaints officer."""
    role = roles.role_of(user)
    if role == Role.PORTAL:
        if complaint.created_by_id != user.pk:
            return Decision(False, _("The portal escalates only complaints it submitted."))
        return ALLOWED
    if role == Role.COMPLAINTS_OFFICER and roles.works_for(user, complaint.provider_id):
        return ALLOWED
    return Decision(False, _("Only a complaints officer or the portal may pass a complaint on."))


def may_record_court_appeal(user, complaint: Complaint) -> Decision:
    role = roles.role_of(user)
    if role == Role.PORTAL and complaint.created_by_id == user.pk:
        return ALLOWED
    if role in (Role.COMPLAINTS_OFFICER, Role.QUALITY_OFFICER) and roles.works_for(
        user, complaint.provider_id
    ):
        return ALLOWED
    return Decision(False, _("Your role may not record an appeal to court."))
