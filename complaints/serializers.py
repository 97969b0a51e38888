"""API.md shapes of complaints."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from complaints.models import (
    DOCUMENT_LANGUAGES,
    Addressee,
    Channel,
    Complaint,
    DeliveryMethod,
    Subject,
)
from complaints.permissions import may_handle
from complaints.selectors import linked_case
from housing_aid import roles, uploads, workdays
from housing_aid.api.fields import CaseDetailMixin, ReceivedAtField, UsernameField
from housing_aid.identifiers import validate_iin
from housing_aid.models import ServiceProvider
from housing_aid.uploads import attachments_of

REQUIRED = {"required": _("This field is required."), "blank": _("This field is required.")}


class ComplainantSerializer(serializers.Serializer):
    # Para 13: surname, first name, patronymic (if any) and postal address.
    last_name = serializers.CharField(max_length=100, error_messages=REQUIRED)
    first_name = serializers.CharField(max_length=100, error_messages=REQUIRED)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    postal_address = serializers.CharField(
        max_length=500,
        error_messages={
            "required": _("The postal address is required (para 13)."),
            "blank": _("The postal address is required (para 13)."),
        },
    )
    iin = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")

    def validate_iin(self, value: str) -> str:
        if value:
            validate_iin(value)
        return value


class ComplaintCreateSerializer(serializers.Serializer):
    provider = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceProvider.objects.filter(is_active=True)
    )
    addressee = serializers.ChoiceField(choices=Addressee.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_at = ReceivedAtField(required=False)
    complainant = ComplainantSerializer()
    case_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    subject = serializers.ChoiceField(choices=Subject.choices, required=False, default=Subject.DECISION)
    respondent = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True), required=False
    )
    language = serializers.ChoiceField(choices=DOCUMENT_LANGUAGES, required=False)
    text = serializers.CharField(error_messages=REQUIRED)

    def validate(self, attrs):
        """The official complained about works for the complaint's provider; anyone else (another
        provider's staff, the portal account) answers as an unknown login, so the API tells no
        caller who works elsewhere."""
        respondent = attrs.get("respondent")
        if respondent is not None and not (
            roles.role_of(respondent) not in (None, roles.Role.PORTAL)
            and roles.works_for(respondent, attrs["provider"].pk)
        ):
            message = self.fields["respondent"].error_messages["does_not_exist"]
            raise serializers.ValidationError(
                {"respondent": [message.format(slug_name="username", value=respondent.get_username())]}
            )
        return attrs


DATE_FORMATS = [api_settings.DATE_INPUT_FORMATS[0], "%d.%m.%Y"]  # ISO for the API, dd.mm.yyyy on screens


def _not_in_future(day) -> None:
    if day > workdays.today():
        raise serializers.ValidationError(_("The date cannot lie in the future."))


def _dated_between(day, earliest, too_early: str):
    """A date of something that happened to the complaint: not in the future, and not before
    ``earliest`` (what it follows, when known)."""
    _not_in_future(day)
    if earliest is not None and day < earliest:
        raise serializers.ValidationError(too_early)
    return day


class EscalateSerializer(serializers.Serializer):
    """The complainant disagrees with the answer: a new complaint to the quality-control body,
    on the portal's channel when the portal passes it on, by mail or office otherwise."""

    text = serializers.CharField(required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    received_at = ReceivedAtField(required=False)

    def validate(self, attrs):
        is_portal = roles.has_role(self.context["user"], roles.Role.PORTAL)
        attrs.setdefault("channel", Channel.PORTAL if is_portal else Channel.MAIL)
        attrs.setdefault("received_at", timezone.now())
        errors = {}
        if attrs["received_at"] > timezone.now():
            errors["received_at"] = [_("The date of receipt cannot lie in the future.")]
        if is_portal != (attrs["channel"] == Channel.PORTAL) or attrs["channel"] == Channel.BLOG:
            errors["channel"] = [_("This channel is not available here.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class StartReviewSerializer(serializers.Serializer):
    executor = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.filter(is_active=True), required=False
    )

    def validate_executor(self, executor):
        case, user = self.context["case"], self.context["user"]
        if executor != user and not roles.works_for(executor, case.provider_id):
            # Someone at another provider answers exactly as an unknown login.
            message = self.fields["executor"].error_messages["does_not_exist"]
            raise serializers.ValidationError(
                message.format(slug_name="username", value=executor.get_username())
            )
        if executor != user and not may_handle(executor, case):
            raise serializers.ValidationError(_("This person may not answer the complaint."))
        return executor


class AnswerSerializer(serializers.Serializer):
    response = serializers.CharField(error_messages=REQUIRED)
    language = serializers.ChoiceField(choices=DOCUMENT_LANGUAGES, required=False)
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices, required=False)


class RefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(error_messages=REQUIRED)
    language = serializers.ChoiceField(choices=DOCUMENT_LANGUAGES, required=False)
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices, required=False)


class DeliverySerializer(serializers.Serializer):
    delivered_on = serializers.DateField(input_formats=DATE_FORMATS)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)

    def validate_delivered_on(self, day):
        case = self.context.get("case")
        written = timezone.localdate(case.answered_at) if case is not None and case.answered_at else None
        return _dated_between(day, written, _("The response cannot be delivered before it was written."))

    def validate(self, attrs):
        attrs["reason"] = attrs["note"]  # the note is what the history shows
        return attrs


class CourtAppealSerializer(serializers.Serializer):
    filed_on = serializers.DateField(input_formats=DATE_FORMATS)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)

    def validate_filed_on(self, day):
        case = self.context.get("case")
        received = timezone.localdate(case.received_at) if case is not None else None
        return _dated_between(
            day, received, _("The appeal to court cannot be dated before the complaint was received.")
        )

    def validate(self, attrs):
        attrs["reason"] = attrs["note"]  # the note is what the history shows
        return attrs


class AttachmentsSerializer(serializers.Serializer):
    """Scans of the complaint and its annexes, checked by content and size (``uploads``)."""

    attachments = serializers.ListField(
        child=serializers.FileField(),
        allow_empty=False,
        error_messages={"required": _("Choose a file."), "empty": _("Choose a file.")},
    )

    def validate_attachments(self, files):
        errors = []
        for upload in files:
            try:
                uploads.validate_upload(upload)
            except DjangoValidationError as exc:
                errors += [f"{getattr(upload, 'name', '')}: {m}" for m in exc.messages]
        if errors:
            raise serializers.ValidationError(errors)
        return files


class ComplaintListSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.code")
    complainant_name = serializers.CharField(source="complainant_full_name")
    deadline_state = serializers.CharField(read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "status",
            "provider",
            "addressee",
            "channel",
            "complainant_name",
            "case_number",
            "parent",
            "received_at",
            "registered_on",
            "due_date",
            "deadline_state",
        ]


class ComplaintSerializer(CaseDetailMixin, ComplaintListSerializer):
    """``GET /api/v1/complaints/{id}/``: the 201 body plus status, history and documents."""

    status_display = serializers.CharField(source="get_status_display")
    complainant = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    escalations = serializers.SerializerMethodField()
    respondent = UsernameField()
    assignee = UsernameField()
    answered_by = UsernameField()
    attachments = serializers.SerializerMethodField()

    class Meta(ComplaintListSerializer.Meta):
        fields = [
            "id",
            "number",
            "status",
            "status_display",
            "provider",
            "addressee",
            "channel",
            "subject",
            "received_at",
            "registered_on",
            "due_date",
            "stage_due_date",
            "answer_term_days",
            "complainant",
            "text",
            "case_number",
            "case",
            "respondent",
            "parent",
            "escalations",
            "assignee",
            "response",
            "refusal_reason",
            "answered_at",
            "answered_by",
            "response_language",
            "delivery_method",
            "delivered_on",
            "delivery_note",
            "court_appeal_on",
            "court_appeal_note",
            "available_transitions",
            "history",
            "documents",
            "attachments",
        ]

    def get_complainant(self, obj: Complaint) -> dict:
        return {
            "last_name": obj.complainant_last_name,
            "first_name": obj.complainant_first_name,
            "patronymic": obj.complainant_patronymic,
            "postal_address": obj.complainant_postal_address,
            "iin": obj.complainant_iin,
        }

    def get_case(self, obj: Complaint) -> dict | None:
        """The generic link: whichever registered service the case belongs to."""
        if obj.case_content_type_id is None:
            return None
        case = linked_case(obj)
        return {
            "service": getattr(case, "SERVICE", None),
            "type": f"{obj.case_content_type.app_label}.{obj.case_content_type.model}",
            "id": obj.case_object_id,
            "number": obj.case_number,
            "status": getattr(case, "status", None),
        }

    def get_escalations(self, obj: Complaint) -> list[dict]:
        return [{"id": c.pk, "number": c.number, "status": c.status} for c in obj.escalations.order_by("id")]

    def get_attachments(self, obj: Complaint) -> list[dict]:
        return [
            {"name": a.original_name, "media_type": a.media_type, "size": a.size, "sha256": a.sha256}
            for a in attachments_of(obj)
        ]
