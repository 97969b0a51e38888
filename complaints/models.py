"""Complaints about a service provider's decision, action or inaction (seed 000, chapter 3)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from housing_aid import roles
from housing_aid.cases import Case, CaseQuerySet
from housing_aid.models import Person, format_full_name, user_reference


class ComplaintStatus(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("complaint", "Registered")
    UNDER_REVIEW = "under_review", pgettext_lazy("complaint", "Under review")
    ANSWERED = "answered", pgettext_lazy("complaint", "Answered")
    REFUSED_TO_CONSIDER = "refused_to_consider", pgettext_lazy("complaint", "Refused to consider")


# What the complainant sees in the portal's personal account (para 13: notes on delivery,
# registration, execution, the answer or the refusal to consider).
PUBLIC_STATUS_LABELS = {
    "delivered": pgettext_lazy("complaint", "Delivered"),
    ComplaintStatus.REGISTERED: pgettext_lazy("complaint", "Registered"),
    ComplaintStatus.UNDER_REVIEW: pgettext_lazy("complaint", "In execution"),
    ComplaintStatus.ANSWERED: pgettext_lazy("complaint", "Answered"),
    ComplaintStatus.REFUSED_TO_CONSIDER: pgettext_lazy("complaint", "Refused to consider"),
    "response_sent": pgettext_lazy("complaint", "Response sent"),
    "escalated": pgettext_lazy("complaint", "Passed on to the quality-control body"),
}

# Notes that leave the status alone but that the complainant sees (para 13).
PUBLIC_NOTES = {"record_delivery": "response_sent", "escalate": "escalated"}


# How each event reads on the complaint's timeline.
EVENT_LABELS = {
    "register": pgettext_lazy("complaint", "Registered"),
    "start_review": _("Taken into execution"),
    "answer": pgettext_lazy("complaint", "Answered"),
    "refuse_to_consider": pgettext_lazy("complaint", "Refused to consider"),
    "escalate": _("Passed on to the quality-control body"),
    "record_delivery": _("Delivery of the response recorded"),
    "record_court_appeal": _("Appeal to court recorded"),
    "add_attachments": _("Files attached"),
}


class Addressee(models.TextChoices):
    SERVICE_PROVIDER = "service_provider", _("Head of the service provider")
    AUTHORIZED_BODY = "authorized_body", _("Authorized body for housing relations")
    QUALITY_CONTROL_BODY = "quality_control_body", _("Authorized body for public-service quality control")


class Channel(models.TextChoices):
    MAIL = "mail", _("By mail")
    OFFICE = "office", _("Through the office")
    PORTAL = "portal", _("Portal (personal account)")
    BLOG = "blog", _("Blog of the head of the authorized body")


class Subject(models.TextChoices):
    DECISION = "decision", _("Decision")
    ACTION = "action", _("Action")
    INACTION = "inaction", _("Inaction")


class DeliveryMethod(models.TextChoices):
    MAIL = "mail", _("Sent by mail")
    IN_PERSON = "in_person", _("Handed out at the office")
    PORTAL = "portal", _("Sent to the portal's personal account")


DOCUMENT_LANGUAGES = [("ru", _("Russian")), ("kk", _("Kazakh"))]


class ComplaintQuerySet(CaseQuerySet):
    def visible_to(self, user):
        """Provider scope as for every case, narrowed by role.

        Complaints officers (of a provider, or of the authorized body for the providers in
        its scope), heads, auditors and administrators see their providers' complaints; a
        quality-control officer sees complaints to the quality-control body and the
        complaints they escalate; the portal account sees what it created; nobody else.
        """
        scoped = super().visible_to(user)
        role = roles.role_of(user)
        if role in (
            roles.Role.COMPLAINTS_OFFICER,
            roles.Role.HEAD,
            roles.Role.AUDITOR,
            roles.Role.ADMINISTRATOR,
            roles.Role.PORTAL,
        ):
            return scoped
        if role == roles.Role.QUALITY_OFFICER:
            escalated = Complaint.objects.filter(
                parent=OuterRef("pk"), addressee=Addressee.QUALITY_CONTROL_BODY
            )
            return scoped.filter(Q(addressee=Addressee.QUALITY_CONTROL_BODY) | Exists(escalated))
        return scoped.none()


def _may_handle(instance: Complaint, user) -> bool:
    from complaints.permissions import may_handle

    return bool(may_handle(user, instance))


class DocumentKind(models.TextChoices):
    """The letters a complaint issues; titles render in the reader's language."""

    REGISTRATION_SLIP = "complaint_registration", _("Complaint registration slip")
    RESPONSE_LETTER = "complaint_response", _("Reasoned response to a complaint")
    REFUSAL_LETTER = "complaint_refusal", _("Refusal to consider a complaint")


class Complaint(Case):
    """A complaint, registered with an incoming number and answered within the term in force."""

    DETAIL_URL_NAME = "complaints:detail"
    SERVICE = "complaint"
    NUMBER_SERIES = "CM"
    STATUS_IIN_LOOKUP = "complainant_iin"
    DOCUMENT_KINDS = DocumentKind
    DOCUMENT_ISSUER = "complaints.services.issue_due_documents"
    # The SLA engine reminds quality officers of an unassigned escalated complaint.
    SLA_STAGE_ROLES = {"quality_answer": roles.Role.QUALITY_OFFICER}
    STAGE_LABELS = {"answer": _("Answer"), "quality_answer": _("Answer of the quality-control body")}

    status = FSMField(
        _("status"), choices=ComplaintStatus.choices, default=ComplaintStatus.REGISTERED, protected=True
    )
    addressee = models.CharField(_("addressee"), max_length=32, choices=Addressee.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    subject = models.CharField(
        _("complained about"), max_length=16, choices=Subject.choices, default=Subject.DECISION
    )

    # Para 13: surname, first name, patronymic (if any) and postal address, as written.
    complainant_last_name = models.CharField(_("surname"), max_length=100)
    complainant_first_name = models.CharField(_("first name"), max_length=100)
    complainant_patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    complainant_postal_address = models.CharField(_("postal address"), max_length=500)
    complainant_iin = models.CharField(_("IIN"), max_length=12, blank=True, db_index=True)
    complainant = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("complainant"),
    )
    text = models.TextField(_("text of the complaint"))

    # The case complained about, whichever service it belongs to.
    case_number = models.CharField(_("case complained about"), max_length=40, blank=True, db_index=True)
    case_content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("type of the case complained about"),
    )
    case_object_id = models.PositiveBigIntegerField(
        _("id of the case complained about"), null=True, blank=True
    )
    related_case = GenericForeignKey("case_content_type", "case_object_id")
    respondent = user_reference(_("official complained about"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
        verbose_name=_("escalated from"),
    )
    answer_term_days = models.PositiveSmallIntegerField(_("answer term, working days"))

    response = models.TextField(_("reasoned response"), blank=True)
    refusal_reason = models.TextField(_("reason for refusing to consider"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = user_reference(_("answered by"))
    response_language = models.CharField(
        _("language of the response"), max_length=8, choices=DOCUMENT_LANGUAGES, blank=True
    )
    delivery_method = models.CharField(
        _("delivery of the response"), max_length=16, choices=DeliveryMethod.choices, blank=True
    )
    delivered_on = models.DateField(_("response delivered on"), null=True, blank=True)
    delivery_note = models.CharField(_("delivery note"), max_length=255, blank=True)

    court_appeal_on = models.DateField(_("appeal to court filed on"), null=True, blank=True)
    court_appeal_note = models.CharField(_("court and case"), max_length=255, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["provider", "status", "due_date"]),
            models.Index(fields=["case_content_type", "case_object_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(complainant_postal_address=""), name="complaint_postal_address_required"
            ),
        ]

    # -- para 13 ------------------------------------------------------------------
    @property
    def complainant_full_name(self) -> str:
        return format_full_name(
            self.complainant_last_name, self.complainant_first_name, self.complainant_patronymic
        )

    @property
    def is_open(self) -> bool:
        return self.status in (ComplaintStatus.REGISTERED, ComplaintStatus.UNDER_REVIEW)

    @property
    def answered_late(self) -> bool:
        return (
            self.answered_at is not None
            and self.due_date is not None
            and timezone.localdate(self.answered_at) > self.due_date
        )

    def public_status_labels(self) -> dict:
        return PUBLIC_STATUS_LABELS

    def public_steps(self) -> list[dict]:
        """Para 13: the complainant's notes, oldest first: delivered, registered, in execution,
        answered or refused to consider, response sent, passed on to the quality-control body."""
        steps = [{"status": "delivered", "at": self.received_at}]
        for event in self.events():
            if event.from_state != event.to_state:
                steps.append({"status": event.to_state, "at": event.at})
            elif event.transition in PUBLIC_NOTES:
                steps.append({"status": PUBLIC_NOTES[event.transition], "at": event.at})
        return [
            {**step, "label": PUBLIC_STATUS_LABELS[step["status"]]}
            for step in steps
            if step["status"] in PUBLIC_STATUS_LABELS
        ]

    # -- transitions: bodies touch only the object ---------------------------------
    @transition(
        field=status,
        source=ComplaintStatus.REGISTERED,
        target=ComplaintStatus.UNDER_REVIEW,
        permission=_may_handle,
    )
    def start_review(self, executor=None):
        self.assignee = executor

    @transition(
        field=status,
        source=ComplaintStatus.UNDER_REVIEW,
        target=ComplaintStatus.ANSWERED,
        permission=_may_handle,
    )
    def answer(self, response: str, language: str, delivery_method: str, by=None, at=None):
        self.response = response
        self._closed(language, delivery_method, by, at)

    @transition(
        field=status,
        source=[ComplaintStatus.REGISTERED, ComplaintStatus.UNDER_REVIEW],
        target=ComplaintStatus.REFUSED_TO_CONSIDER,
        permission=_may_handle,
    )
    def refuse_to_consider(self, reason: str, language: str, delivery_method: str, by=None, at=None):
        self.refusal_reason = reason
        self._closed(language, delivery_method, by, at)

    def _closed(self, language: str, delivery_method: str, by, at) -> None:
        """What an answer and a refusal to consider both record: the letter's language, how it
        goes to the complainant, who wrote it and when."""
        self.response_language = language
        self.delivery_method = delivery_method
        self.answered_by = by
        self.answered_at = at
