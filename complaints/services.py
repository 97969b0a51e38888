"""The complaint use cases: everything that changes a complaint goes through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import parameters as terms
from complaints.models import Addressee, Channel, Complaint, ComplaintStatus, DocumentKind
from complaints.permissions import may_register
from housing_aid import documents, registry, roles, uploads, workdays
from housing_aid import parameters as params
from housing_aid.actions import Outcome, run_action
from housing_aid.cases import next_number, open_stage, record_event
from housing_aid.identifiers import validate_iin
from housing_aid.middleware import outside_calendar_message
from housing_aid.models import Person, ServiceProvider

ANSWER_STAGE = "answer"
# Escalated complaints are answered by the quality-control body (15 wd): its own stage, so the
# SLA engine reminds quality officers rather than the provider's complaints officers.
QUALITY_ANSWER_STAGE = "quality_answer"


@dataclass(frozen=True)
class Complainant:
    last_name: str
    first_name: str
    postal_address: str
    patronymic: str = ""
    iin: str = ""

    # A complaint keeps its complainant in ``complainant_<field>`` columns.
    @classmethod
    def of(cls, complaint: Complaint) -> Complainant:
        return cls(**{f.name: getattr(complaint, f"complainant_{f.name}") for f in fields(cls)})

    def columns(self) -> dict[str, str]:
        return {f"complainant_{f.name}": getattr(self, f.name).strip() for f in fields(self)}

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
    elif timezone.localdate(received_at).year < workdays.FIRST_YEAR:
        # The answer term is counted on the calendar: outside it, the field says so.
        errors["received_at"] = [outside_calendar_message()]
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
    parent: Complaint | None = None,
) -> Complaint:
    """Register a complaint: incoming number, registration date (para 9.1), the answer term in
    force on that date, the open ``answer`` stage and the registration slip (para 13).

    An escalation (``parent``) is registered by the ``escalate`` action, which checked who may
    pass it on, inside the lock of the complaint it disputes: its slip waits for the commit.
    """
    received_at = received_at or timezone.now()
    if parent is None:
        _check_registration(user, provider, addressee, channel, received_at)
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
            **complainant.columns(),
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
        # The slip is issued by the document job once the complaint is committed; a registration
        # of its own hands it over at once as well (``documents.enqueue_documents`` says why),
        # an escalation never inside the lock it is registered under.
        transaction.on_commit(lambda: documents.enqueue_documents(complaint, user))
    if parent is None:
        documents.enqueue_documents(complaint, user)
    return complaint


def act(complaint: Complaint, name: str, user, data: dict | None = None) -> Outcome:
    """Run the declared action ``name`` (``complaints.actions``), then hand the letters it made
    due, and the registration slip of an escalation it created, to the document job."""
    from complaints.actions import ACTIONS

    outcome = run_action(ACTIONS, complaint, name, user, data)
    if ACTIONS.get(complaint, name).documents:
        documents.enqueue_documents(outcome.case, user)
    if isinstance(outcome.result, Complaint):
        documents.enqueue_documents(outcome.result, user)
    return outcome


def escalation_of(parent: Complaint, user, text: str, channel: str, received_at: dt.datetime) -> Complaint:
    """Para 13: the complainant disagrees with the answer -> a linked complaint to the
    quality-control body (15 wd), registered as any complaint; called by the ``escalate``
    action on the locked parent."""
    return register_complaint(
        user=user,
        provider=parent.provider,
        addressee=Addressee.QUALITY_CONTROL_BODY,
        channel=channel,
        complainant=Complainant.of(parent),
        text=text.strip() or parent.text,
        received_at=received_at,
        case_number=parent.case_number,
        # The answer is what the complainant disputes: its author does not review it.
        respondent=parent.answered_by,
        subject=parent.subject,
        language=parent.language,
        parent=parent,
    )


# -- documents (the document job issues them after commit) ---------------------------------


def _signer(user) -> str:
    if user is None or roles.has_role(user, roles.Role.PORTAL):
        return ""
    return user.get_full_name() or user.get_username()


def due_document_kinds(complaint: Complaint) -> list[str]:
    """The registration slip (para 13's stamp on the second copy), then the letter of the answer
    or of the refusal to consider."""
    kinds = [DocumentKind.REGISTRATION_SLIP]
    if complaint.status == ComplaintStatus.ANSWERED:
        kinds.append(DocumentKind.RESPONSE_LETTER)
    elif complaint.status == ComplaintStatus.REFUSED_TO_CONSIDER:
        kinds.append(DocumentKind.REFUSAL_LETTER)
    return [str(k) for k in kinds]


def issue_due_documents(complaint: Complaint, user=None) -> list:
    """Issue what the complaint's state calls for and is not issued yet; safe to run twice
    (``housing_aid.tasks.issue_case_documents`` runs it after commit, outside any lock)."""
    complaint = Complaint.objects.select_related("provider", "created_by", "answered_by", "parent").get(
        pk=complaint.pk
    )
    out = []
    for kind in documents.due_not_issued(complaint, due_document_kinds(complaint)):
        title = str(dict(DocumentKind.choices)[kind])
        if kind == DocumentKind.REGISTRATION_SLIP:
            out.append(
                documents.issue_document(
                    complaint,
                    kind,
                    "complaints/pdf/registration.html",
                    {"complaint": complaint},
                    language=complaint.language,
                    user=user,
                    title=title,
                    signed_by_name=_signer(complaint.created_by),
                )
            )
        else:
            out.append(
                documents.issue_document(
                    complaint,
                    kind,
                    "complaints/pdf/response.html",
                    {
                        "complaint": complaint,
                        "refused": kind == DocumentKind.REFUSAL_LETTER,
                        # The term of the next step (para 13) in force when the letter is issued.
                        "appeal": terms.appeal_terms(timezone.localdate(), complaint.provider),
                    },
                    language=complaint.response_language or complaint.language,
                    user=user,
                    title=title,
                    signed_by_name=_signer(complaint.answered_by),
                )
            )
    return out
