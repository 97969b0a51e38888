"""The complaint use cases: everything that changes a complaint goes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import parameters as terms
from complaints.models import Addressee, Channel, Complaint, ComplaintStatus, DeliveryMethod
from complaints.permissions import may_escalate, may_handle, may_record_court_appeal, may_register
from housing_aid import documents, registry, roles, uploads, workdays
from housing_aid import parameters as params
from housing_aid.cases import (
    CaseConflict,
    close_stages,
    next_number,
    open_stage,
    record_event,
    run_transition,
)
from housing_aid.identifiers import validate_iin
from housing_aid.models import Person, ServiceProvider

ANSWER_STAGE = "answer"
# Escalated complaints are answered by the quality-control body (15 wd): its own stage, so the
# SLA engine reminds quality officers rather than the provider's complaints officers.
QUALITY_ANSWER_STAGE = "quality_answer"
REGISTRATION_SLIP = "complaint_registration"
RESPONSE_LETTER = "complaint_response"
REFUSAL_LETTER = "complaint_refusal"


@dataclass(frozen=True)
class Complainant:
    last_name: str
    first_name: str
    postal_address: str
    patronymic: str = ""
    iin: str = ""

    def validate(self) -> None:
        """Para 13: surname, first name and postal address are required; the IIN, when given, is checked."""
        errors = {}
        for name in ("last_name", "first_name", "postal_address"):
            if not (getattr(self, name) or "").strip():
                errors[name] = [_("This field is required.")]
        if self.iin:
            try:
                validate_iin(self.iin)
            except ValidationError as exc:
                errors["iin"] = exc.messages
        if errors:
            raise ValidationError({f"complainant_{k}": v for k, v in errors.items()})


def answer_term_days(addressee: str, registered_on: dt.date, provider: ServiceProvider) -> int:
    """Para 13: 5 working days, 15 for the quality-control body: the value in force on registration."""
    key = (
        terms.QUALITY_CONTROL_ANSWER_DAYS
        if addressee == Addressee.QUALITY_CONTROL_BODY
        else terms.ANSWER_DAYS
    )
    return params.int_value_on(key, registered_on, provider)


def resolve_case(case_number: str, provider: ServiceProvider):
    """The case a complaint is about, by its number, at the same provider; whatever service it is."""
    model = registry.model_for_number(case_number)
    case = None
    if model is not None:
        case = model.objects.filter(number=case_number, provider=provider).first()
    if case is None:
        raise ValidationError(
            {"case_number": [_("No case with this number at this service provider.")]}, code="unknown_case"
        )
    return case


def _check_registration(user, provider, addressee: str, channel: str, received_at: dt.datetime) -> None:
    decision = may_register(user, provider, addressee)
    if not decision:
        raise PermissionDenied(decision.reason)
    errors: dict[str, list[str]] = {}
    if received_at > timezone.now():
        errors["received_at"] = [_("The date of receipt cannot lie in the future.")]
    is_portal = roles.has_role(user, roles.Role.PORTAL)
    if is_portal and channel != Channel.PORTAL:
        errors["channel"] = [_("The portal submits complaints on the portal channel only.")]
    if not is_portal and channel == Channel.PORTAL:
        errors["channel"] = [_("Complaints on the portal channel come from the portal itself.")]
    if channel == Channel.BLOG and addressee != Addressee.AUTHORIZED_BODY:
        errors["channel"] = [_("The blog belongs to the head of the authorized body.")]
    if errors:
        raise ValidationError(errors)


def _person_for(complainant: Complainant) -> Person | None:
    if not complainant.iin:
        return None
    person, _created = Person.objects.get_or_create(
        iin=complainant.iin,
        defaults={
            "last_name": complainant.last_name,
            "first_name": complainant.first_name,
            "patronymic": complainant.patronymic,
            "address": complainant.postal_address,
        },
    )
    return person


def _create(
    *,
    user,
    provider: ServiceProvider,
    addressee: str,
    channel: str,
    complainant: Complainant,
    text: str,
    received_at: dt.datetime,
    case_number: str = "",
    respondent=None,
    subject: str = "decision",
    language: str = "ru",
    parent: Complaint | None = None,
    attachments: Sequence = (),
) -> Complaint:
    complainant.validate()
    if not (text or "").strip():
        raise ValidationError({"text": [_("This field is required.")]})
    for upload in attachments:
        try:
            uploads.validate_upload(upload)
        except ValidationError as exc:
            raise ValidationError(
                {"attachments": [f"{getattr(upload, 'name', '')}: {m}" for m in exc.messages]}
            ) from exc
    linked = resolve_case(case_number, provider) if case_number else None
    if respondent is None and linked is not None:
        respondent = getattr(linked, "assignee", None)
    registered_on = workdays.registration_date(received_at, provider)
    term = answer_term_days(addressee, registered_on, provider)
    due_date = workdays.add_working_days(registered_on, term)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            number=next_number(provider, Complaint.NUMBER_SERIES, registered_on.year),
            provider=provider,
            received_at=received_at,
            registered_on=registered_on,
            due_date=due_date,
            language=language if language in ("ru", "kk") else "ru",
            created_by=user,
            addressee=addressee,
            channel=channel,
            subject=subject,
            complainant_last_name=complainant.last_name.strip(),
            complainant_first_name=complainant.first_name.strip(),
            complainant_patronymic=complainant.patronymic.strip(),
            complainant_postal_address=complainant.postal_address.strip(),
            complainant_iin=complainant.iin,
            complainant=_person_for(complainant),
            text=text.strip(),
            case_number=linked.number if linked is not None else "",
            case_content_type=ContentType.objects.get_for_model(type(linked)) if linked is not None else None,
            case_object_id=linked.pk if linked is not None else None,
            respondent=respondent,
            parent=parent,
            answer_term_days=term,
        )
        record_event(
            complaint,
            "register",
            "",
            ComplaintStatus.REGISTERED,
            user,
            data={"addressee": addressee, "channel": channel, "parent": parent.number if parent else None},
        )
        stage = QUALITY_ANSWER_STAGE if addressee == Addressee.QUALITY_CONTROL_BODY else ANSWER_STAGE
        open_stage(complaint, stage, registered_on, due_date)
        for upload in attachments:
            uploads.attach(complaint, upload, user, "complaint")
        issue_registration_slip(complaint, user)
    return complaint


def register_complaint(
    *,
    user,
    provider: ServiceProvider,
    addressee: str,
    channel: str,
    complainant: Complainant,
    text: str,
    received_at: dt.datetime | None = None,
    case_number: str = "",
    respondent=None,
    subject: str = "decision",
    language: str = "ru",
    attachments: Sequence = (),
) -> Complaint:
    """Register a complaint: incoming number, registration date (para 9.1), the answer term in
    force on that date, the open ``answer`` stage and the registration slip (para 13)."""
    received_at = received_at or timezone.now()
    _check_registration(user, provider, addressee, channel, received_at)
    return _create(
        user=user,
        provider=provider,
        addressee=addressee,
        channel=channel,
        complainant=complainant,
        text=text,
        received_at=received_at,
        case_number=case_number,
        respondent=respondent,
        subject=subject,
        language=language,
        attachments=attachments,
    )


def issue_registration_slip(complaint: Complaint, user=None):
    """The stamp for the second copy: incoming number, registration date, answer due date."""
    return documents.issue_document(
        complaint,
        REGISTRATION_SLIP,
        "complaints/pdf/registration.html",
        {"complaint": complaint},
        language=complaint.language,
        user=user,
        title=_("Complaint registration slip"),
        signed_by_name=""
        if user is None or roles.has_role(user, roles.Role.PORTAL)
        else (user.get_full_name() or user.get_username()),
    )


def start_review(complaint: Complaint, user, executor=None) -> Complaint:
    """The officer takes the complaint into execution; the answer stage follows the executor."""
    executor = executor or user

    def prepare(locked: Complaint) -> None:
        if executor != user and not may_handle(executor, locked):
            raise ValidationError({"executor": [_("This person may not answer the complaint.")]})

    def after_save(locked: Complaint, _from: str) -> None:
        from housing_aid.cases import reassign_open_stage

        reassign_open_stage(locked, executor)

    return run_transition(
        complaint, "start_review", user, kwargs={"executor": executor}, prepare=prepare, after_save=after_save
    )


def _default_delivery(complaint: Complaint) -> str:
    return DeliveryMethod.PORTAL if complaint.channel == Channel.PORTAL else DeliveryMethod.MAIL


def _close(
    complaint: Complaint, name: str, user, text: str, language: str | None, delivery_method: str | None
):
    language = language or complaint.language
    delivery_method = delivery_method or _default_delivery(complaint)
    field = "response" if name == "answer" else "reason"

    def prepare(locked: Complaint) -> None:
        errors = {}
        if not (text or "").strip():
            errors[field] = [
                _("Write the reasoned response.") if name == "answer" else _("State the reason.")
            ]
        if language not in ("ru", "kk"):
            errors["language"] = [_("The response is written in Russian or Kazakh.")]
        if delivery_method not in DeliveryMethod.values:
            errors["delivery_method"] = [_("Choose how the response is delivered.")]
        if errors:
            raise ValidationError(errors)

    def after_save(locked: Complaint, _from: str) -> None:
        close_stages(locked, final=True)
        documents.issue_document(
            locked,
            RESPONSE_LETTER if name == "answer" else REFUSAL_LETTER,
            "complaints/pdf/response.html",
            {"complaint": locked, "refused": name != "answer"},
            language=language,
            user=user,
            title=_("Reasoned response to a complaint")
            if name == "answer"
            else _("Refusal to consider a complaint"),
            signed_by_name=user.get_full_name() or user.get_username(),
        )

    return run_transition(
        complaint,
        name,
        user,
        reason=text if name != "answer" else "",
        kwargs={
            ("response" if name == "answer" else "reason"): (text or "").strip(),
            "language": language,
            "delivery_method": delivery_method,
            "by": user,
            "at": timezone.now(),
        },
        data={"delivery_method": delivery_method, "language": language},
        prepare=prepare,
        after_save=after_save,
    )


def answer(
    complaint: Complaint, user, response: str, language: str | None = None, delivery_method: str | None = None
):
    """Para 13: a reasoned response, sent by mail or handed out; the letter is issued in ru or kk."""
    return _close(complaint, "answer", user, response, language, delivery_method)


def refuse_to_consider(
    complaint: Complaint, user, reason: str, language: str | None = None, delivery_method: str | None = None
):
    """Refuse to consider the complaint, with the reason, in a letter to the complainant."""
    return _close(complaint, "refuse_to_consider", user, reason, language, delivery_method)


CLOSED = (ComplaintStatus.ANSWERED, ComplaintStatus.REFUSED_TO_CONSIDER)


def _locked_for(complaint: Complaint, user, may) -> Complaint:
    """The complaint's row, locked, once ``may(user, complaint)`` allows the user to act."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    decision = may(user, locked)
    if not decision:
        raise PermissionDenied(decision.reason)
    return locked


def _not_in_future(day: dt.date, field: str) -> None:
    if day > workdays.today():
        raise ValidationError({field: [_("The date cannot lie in the future.")]})


def record_delivery(complaint: Complaint, user, delivered_on: dt.date, note: str = "") -> Complaint:
    """How and when the response reached the complainant (mail sent, handed out, portal)."""
    with transaction.atomic():
        locked = _locked_for(complaint, user, may_handle)
        if locked.status not in CLOSED:
            raise CaseConflict(
                locked, _("There is no response to deliver yet."), code="not_answered", user=user
            )
        _not_in_future(delivered_on, "delivered_on")
        if locked.answered_at and delivered_on < timezone.localdate(locked.answered_at):
            raise ValidationError(
                {"delivered_on": [_("The response cannot be delivered before it was written.")]}
            )
        locked.delivered_on = delivered_on
        locked.delivery_note = note.strip()
        locked.save(update_fields=["delivered_on", "delivery_note", "updated_at"])
        record_event(
            locked,
            "record_delivery",
            locked.status,
            locked.status,
            user,
            reason=note,
            data={"delivered_on": delivered_on.isoformat(), "delivery_method": locked.delivery_method},
        )
    return locked


def record_court_appeal(complaint: Complaint, user, filed_on: dt.date, note: str = "") -> Complaint:
    """Para 14: the complainant went to court; recorded on the complaint, not handled here."""
    with transaction.atomic():
        locked = _locked_for(complaint, user, may_record_court_appeal)
        if locked.court_appeal_on is not None:
            raise CaseConflict(
                locked, _("An appeal to court is already recorded."), code="already_recorded", user=user
            )
        _not_in_future(filed_on, "filed_on")
        locked.court_appeal_on = filed_on
        locked.court_appeal_note = note.strip()
        locked.save(update_fields=["court_appeal_on", "court_appeal_note", "updated_at"])
        record_event(
            locked,
            "record_court_appeal",
            locked.status,
            locked.status,
            user,
            reason=note,
            data={"filed_on": filed_on.isoformat()},
        )
    return locked


def escalate(
    complaint: Complaint,
    user,
    *,
    text: str = "",
    channel: str | None = None,
    received_at: dt.datetime | None = None,
) -> Complaint:
    """Para 13: the complainant disagrees with the answer -> a linked complaint to the
    quality-control body (15 wd); after that body only the court remains (para 14)."""
    received_at = received_at or timezone.now()
    with transaction.atomic():
        parent = _locked_for(complaint, user, may_escalate)
        if parent.status != ComplaintStatus.ANSWERED:
            raise CaseConflict(
                parent,
                _("A complaint is passed on only after it has been answered."),
                code="not_answered",
                user=user,
            )
        if parent.addressee == Addressee.QUALITY_CONTROL_BODY:
            raise CaseConflict(
                parent,
                _("The quality-control body has answered: the next step is the court."),
                code="court_next",
                user=user,
            )
        if parent.escalations.exists():
            raise CaseConflict(
                parent, _("This complaint has already been passed on."), code="already_escalated", user=user
            )
        is_portal = roles.has_role(user, roles.Role.PORTAL)
        channel = channel or (Channel.PORTAL if is_portal else Channel.MAIL)
        errors = {}
        if received_at > timezone.now():
            errors["received_at"] = [_("The date of receipt cannot lie in the future.")]
        if is_portal != (channel == Channel.PORTAL) or channel == Channel.BLOG:
            errors["channel"] = [_("This channel is not available here.")]
        if errors:
            raise ValidationError(errors)
        child = _create(
            user=user,
            provider=parent.provider,
            addressee=Addressee.QUALITY_CONTROL_BODY,
            channel=channel,
            complainant=Complainant(
                last_name=parent.complainant_last_name,
                first_name=parent.complainant_first_name,
                patronymic=parent.complainant_patronymic,
                postal_address=parent.complainant_postal_address,
                iin=parent.complainant_iin,
            ),
            text=text.strip() or parent.text,
            received_at=received_at,
            case_number=parent.case_number,
            # The answer is what the complainant disputes: its author does not review it.
            respondent=parent.answered_by,
            subject=parent.subject,
            language=parent.language,
            parent=parent,
        )
        record_event(
            parent, "escalate", parent.status, parent.status, user, data={"escalation": child.number}
        )
    return child


def add_attachments(complaint: Complaint, user, files: Sequence) -> list:
    """Scans of the complaint and its annexes, checked by content and size."""
    if not (may_handle(user, complaint) or complaint.created_by_id == user.pk):
        raise PermissionDenied(_("Your role may not add files to this complaint."))
    for upload in files:
        try:
            uploads.validate_upload(upload)
        except ValidationError as exc:
            raise ValidationError(
                {"attachments": [f"{getattr(upload, 'name', '')}: {m}" for m in exc.messages]}
            ) from exc
    with transaction.atomic():
        return [uploads.attach(complaint, upload, user, "complaint") for upload in files]
