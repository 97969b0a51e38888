"""Every action on a complaint, declared once (seed 000 paras 13-14, API.md's complaints).

Adding an action is one :class:`CaseAction` here and its fields in
``templates/complaints/_action_fields.html``. The letters an action makes due are issued
after commit by the document job (``services.issue_due_documents``), never inside the lock.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import serializers as bodies
from complaints.models import EVENT_LABELS, Addressee, Channel, Complaint, ComplaintStatus, DeliveryMethod
from complaints.permissions import may_escalate, may_handle, may_record_court_appeal
from housing_aid import roles, uploads
from housing_aid.actions import ALLOWED, Actions, CaseAction, Decision
from housing_aid.cases import close_stages, reassign_open_stage
from housing_aid.casework.services import EVENT_LABELS as CASEWORK_EVENT_LABELS

Role = roles.Role
CLOSED = (ComplaintStatus.ANSWERED, ComplaintStatus.REFUSED_TO_CONSIDER)


# -- what the case's state allows (409 with the code when not) ---------------------------


def _to_deliver(complaint: Complaint) -> Decision:
    if complaint.status not in CLOSED:
        return Decision(False, str(_("There is no response to deliver yet.")), "not_answered")
    if complaint.delivered_on is not None:
        return Decision(
            False, str(_("The delivery of the response is already recorded.")), "already_recorded"
        )
    return ALLOWED


def _no_court_appeal_yet(complaint: Complaint) -> Decision:
    if complaint.court_appeal_on is None:
        return ALLOWED
    return Decision(False, str(_("An appeal to court is already recorded.")), "already_recorded")


def _may_pass_on(complaint: Complaint) -> Decision:
    """Para 13-14: once, after the answer; after the quality-control body only the court remains."""
    if complaint.status != ComplaintStatus.ANSWERED:
        return Decision(
            False, str(_("A complaint is passed on only after it has been answered.")), "not_answered"
        )
    if complaint.addressee == Addressee.QUALITY_CONTROL_BODY:
        return Decision(
            False, str(_("The quality-control body has answered: the next step is the court.")), "court_next"
        )
    if complaint.escalations.exists():
        return Decision(False, str(_("This complaint has already been passed on.")), "already_escalated")
    return ALLOWED


def _may_attach(complaint: Complaint, user) -> Decision:
    if complaint.created_by_id == user.pk or may_handle(user, complaint):
        return ALLOWED
    return Decision(False, str(_("Your role may not add files to this complaint.")))


# -- what each action does to the locked complaint ----------------------------------------


def _review_kwargs(complaint, user, data) -> dict:
    data["executor"] = data.get("executor") or user
    return {"executor": data["executor"]}


def _close(complaint, user, data, from_state) -> None:
    close_stages(complaint, final=True)


def _record_delivery(complaint, user, data, from_state) -> None:
    complaint.delivered_on = data["delivered_on"]
    complaint.delivery_note = data["note"].strip()
    complaint.save(update_fields=["delivered_on", "delivery_note", "updated_at"])


def _record_court_appeal(complaint, user, data, from_state) -> None:
    complaint.court_appeal_on = data["filed_on"]
    complaint.court_appeal_note = data["note"].strip()
    complaint.save(update_fields=["court_appeal_on", "court_appeal_note", "updated_at"])


def _escalate(parent, user, data, from_state) -> Complaint:
    from complaints.services import escalation_of

    child = escalation_of(parent, user, data["text"], data["channel"], data["received_at"])
    data["escalation"] = child.number
    return child


def _attach(complaint, user, data, from_state) -> list:
    return [uploads.attach(complaint, upload, user, "complaint") for upload in data["attachments"]]


def _closing_event(complaint, data) -> dict:
    return {"delivery_method": data["delivery_method"], "language": data["language"]}


def _closing(name: str, label, body, text_field: str) -> CaseAction:
    """The answer and the refusal: a letter that closes the complaint (its stages end, the letter is
    issued after confirmation); its language and delivery default to the complaint's."""

    def kwargs(complaint, user, data) -> dict:
        data.setdefault("language", complaint.language)
        default = DeliveryMethod.PORTAL if complaint.channel == Channel.PORTAL else DeliveryMethod.MAIL
        data.setdefault("delivery_method", default)
        return {
            text_field: data[text_field].strip(),
            "language": data["language"],
            "delivery_method": data["delivery_method"],
            "by": user,
            "at": timezone.now(),
        }

    return CaseAction(
        name,
        label,
        body,
        transition=name,
        kwargs=kwargs,
        apply=_close,
        event_data=_closing_event,
        documents=True,
        confirm=True,
    )


ACTIONS = Actions(
    CaseAction(
        "start_review",
        _("Take into execution"),
        bodies.StartReviewSerializer,
        transition="start_review",
        kwargs=_review_kwargs,
        apply=lambda complaint, user, data, from_state: reassign_open_stage(complaint, data["executor"]),
    ),
    _closing("answer", _("Write the response"), bodies.AnswerSerializer, "response"),
    _closing("refuse_to_consider", _("Refuse to consider"), bodies.RefuseSerializer, "reason"),
    CaseAction(
        "record_delivery",
        _("Record delivery of the response"),
        bodies.DeliverySerializer,
        roles=(Role.COMPLAINTS_OFFICER, Role.QUALITY_OFFICER),
        available=_to_deliver,
        permission=lambda complaint, user: may_handle(user, complaint),
        apply=_record_delivery,
        event_data=lambda complaint, data: {
            "delivered_on": data["delivered_on"].isoformat(),
            "delivery_method": complaint.delivery_method,
        },
    ),
    CaseAction(
        "escalate",
        _("Pass on to the quality-control body"),
        bodies.EscalateSerializer,
        roles=(Role.COMPLAINTS_OFFICER, Role.PORTAL),
        available=_may_pass_on,
        permission=lambda complaint, user: may_escalate(user, complaint),
        apply=_escalate,
        event_data=lambda complaint, data: {"escalation": data["escalation"]},
        confirm=True,
        denied_reason=_("Only a complaints officer or the portal may pass a complaint on."),
    ),
    CaseAction(
        "record_court_appeal",
        _("Record an appeal to court"),
        bodies.CourtAppealSerializer,
        roles=(Role.COMPLAINTS_OFFICER, Role.QUALITY_OFFICER, Role.PORTAL),
        available=_no_court_appeal_yet,
        permission=lambda complaint, user: may_record_court_appeal(user, complaint),
        apply=_record_court_appeal,
        event_data=lambda complaint, data: {"filed_on": data["filed_on"].isoformat()},
    ),
    CaseAction(
        "add_attachments",
        _("Attach"),
        bodies.AttachmentsSerializer,
        roles=(Role.COMPLAINTS_OFFICER, Role.QUALITY_OFFICER, Role.PORTAL),
        permission=_may_attach,
        apply=_attach,
        event_data=lambda complaint, data: {"files": [f.name for f in data["attachments"]]},
        denied_reason=_("Your role may not add files to this complaint."),
    ),
)

TRANSITIONS = tuple(a.name for a in ACTIONS if a.transition is not None)

# The event types of a complaint's history, with their labels (the timeline, the export).
# A declared action names its own event (its label) unless the model names it otherwise.
EVENT_TYPES = {**ACTIONS.labels(), **EVENT_LABELS, **CASEWORK_EVENT_LABELS}
