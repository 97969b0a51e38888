"""Telling the applicant (API.md "Working the cases"): at registration, at a decision and
when the documents are ready, an e-mail and an SMS in the applicant's language with the
number and the status page link, and nothing else personal but the name.

Exactly once per event and channel: a unique ``ApplicantMessage`` row is written before
sending and claimed by one worker; the task is retried with backoff on failure.
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from housing_aid.casework import sms
from housing_aid.casework.models import ApplicantMessage, MessageChannel, MessageStatus

logger = logging.getLogger(__name__)

# Event types that tell the applicant something, by service: event type -> message kind.
EVENT_MESSAGES = {
    "housing_assistance": {"register": "registered", "sign": "decision"},
    "housing_certificate": {"register": "registered", "approve": "decision", "refuse": "decision"},
    "complaint": {"register": "registered", "answer": "decision", "refuse_to_consider": "decision"},
}
SERVICE_NAMES = {
    "housing_assistance": gettext_lazy("Application for housing assistance"),
    "housing_certificate": gettext_lazy("Request for a housing certificate"),
    "complaint": gettext_lazy("Complaint"),
}
KIND_TEXTS = {
    "registered": gettext_lazy("%(service)s No. %(number)s has been registered."),
    "decision": gettext_lazy("A decision has been made on %(service)s No. %(number)s."),
    "documents_ready": gettext_lazy("The documents for %(service)s No. %(number)s are ready."),
}


def status_url(number: str) -> str:
    # The public status page (API.md "Status for the applicant"); the IIN is never in the link.
    return f"{settings.PUBLIC_BASE_URL}/status/?{urlencode({'number': number})}"


def _addressee(case):
    """Name, e-mail and phone of the applicant or complainant."""
    person = getattr(case, "applicant", None) or getattr(case, "complainant", None)
    first = getattr(person, "first_name", "") or getattr(case, "complainant_first_name", "")
    patronymic = getattr(person, "patronymic", "") or getattr(case, "complainant_patronymic", "")
    email = getattr(case, "email", "") or getattr(person, "email", "")
    phone = getattr(case, "phone", "") or getattr(person, "phone", "")
    return " ".join(p for p in (first, patronymic) if p), email, phone


def compose(case, kind: str) -> tuple[str, str]:
    """Subject and text in the case's language: the name, the number and the link only."""
    name, _email, _phone = _addressee(case)
    language = case.language if case.language in dict(settings.LANGUAGES) else "ru"
    with translation.override(language):
        service = SERVICE_NAMES.get(case.SERVICE, case.SERVICE)
        line = KIND_TEXTS[kind] % {"service": service, "number": case.number}
        greeting = _("Dear %(name)s,") % {"name": name} if name else _("Good day,")
        text = "\n".join(
            [greeting, str(line), _("Check the status: %(url)s") % {"url": status_url(case.number)}]
        )
        subject = str(line)
    return subject, text


def schedule(case, key: str, kind: str) -> None:
    """After commit, queue the messages for this event (the task writes the unique rows)."""
    from housing_aid.casework import tasks

    ct = ContentType.objects.get_for_model(type(case)).pk
    transaction.on_commit(lambda: tasks.tell_applicant.delay(ct, case.pk, key, kind))


def event_recorded(case, event) -> None:
    """Called for every case event: queue a message when the event tells the applicant."""
    kind = EVENT_MESSAGES.get(case.SERVICE, {}).get(event.transition)
    if kind is not None:
        schedule(case, f"event:{event.pk}", kind)


def document_issued(case, document) -> None:
    """Called when a document is issued: result documents mean "come and collect"."""
    if document.kind in case.RESULT_DOCUMENT_KINDS:
        schedule(case, f"document:{document.pk}", "documents_ready")


def prepare(content_type_id: int, object_id: int, key: str, kind: str) -> list[int]:
    """Write the unique message rows for this event (one per channel with an address)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    case = model._default_manager.select_related("provider").get(pk=object_id)
    subject, text = compose(case, kind)
    _name, email, phone = _addressee(case)
    ids = []
    for channel, address in ((MessageChannel.EMAIL, email), (MessageChannel.SMS, phone)):
        try:
            with transaction.atomic():
                message, _created = ApplicantMessage.objects.get_or_create(
                    key=key,
                    channel=channel,
                    defaults={
                        "kind": kind,
                        "content_type_id": content_type_id,
                        "object_id": object_id,
                        "provider_id": case.provider_id,
                        "case_number": case.number,
                        "language": case.language,
                        "recipient": address,
                        "body": f"{subject}\n\n{text}" if channel == MessageChannel.EMAIL else text,
                        "status": MessageStatus.PENDING if address else MessageStatus.NO_ADDRESS,
                    },
                )
        except IntegrityError:  # a concurrent run wrote it first
            message = ApplicantMessage.objects.get(key=key, channel=channel)
        if message.status in (MessageStatus.PENDING, MessageStatus.FAILED):
            ids.append(message.pk)
    return ids


def _claim(message_id: int) -> bool:
    """Only one worker sends a message: the one whose UPDATE moved it to "sending"."""
    stale = timezone.now() - dt.timedelta(minutes=10)
    return bool(
        ApplicantMessage.objects.filter(pk=message_id)
        .filter(
            Q(status__in=(MessageStatus.PENDING, MessageStatus.FAILED))
            | Q(status=MessageStatus.SENDING, created_at__lt=stale)
        )
        .update(status=MessageStatus.SENDING, attempts=F("attempts") + 1)
    )


def send(message_id: int) -> str:
    """Send one claimed message; a failure leaves it ``failed`` for the retry."""
    if not _claim(message_id):
        return "skipped"
    message = ApplicantMessage.objects.get(pk=message_id)
    try:
        if message.channel == MessageChannel.EMAIL:
            subject, _sep, text = message.body.partition("\n\n")
            EmailMessage(subject=subject, body=text, to=[message.recipient]).send()
        else:
            sms.get_backend().send(message.recipient, message.body)
    except Exception as exc:
        ApplicantMessage.objects.filter(pk=message_id).update(
            status=MessageStatus.FAILED, last_error=str(exc)[:500]
        )
        raise
    ApplicantMessage.objects.filter(pk=message_id).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def retry_candidates(limit: int = 500) -> list[int]:
    """Failed messages, and ones stuck "sending" (a worker died), within the last two days."""
    now = timezone.now()
    return list(
        ApplicantMessage.objects.filter(created_at__gte=now - dt.timedelta(days=2))
        .filter(
            Q(status=MessageStatus.FAILED)
            | Q(status=MessageStatus.PENDING, created_at__lt=now - dt.timedelta(minutes=10))
            | Q(status=MessageStatus.SENDING, created_at__lt=now - dt.timedelta(minutes=10))
        )
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
