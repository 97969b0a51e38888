"""API.md shapes of housing-assistance applications."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from applications.models import (
    Application,
    Calculation,
    Channel,
    DocumentCode,
    FamilyMember,
    Relationship,
    Tenure,
)
from applications.services import IntakeData
from housing_aid.api.fields import CaseDetailMixin, MoneyField, ReceivedAtField, UsernameField
from housing_aid.identifiers import validate_iban, validate_iin, validate_phone
from housing_aid.models import ServiceProvider


class ApplicantSerializer(serializers.Serializer):
    last_name = serializers.CharField(max_length=100)
    first_name = serializers.CharField(max_length=100)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    iin = serializers.CharField(max_length=12, validators=[validate_iin])
    birth_date = serializers.DateField(required=False, allow_null=True)
    address = serializers.CharField(max_length=500)
    phone = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="", validators=[validate_phone]
    )
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    tenure = serializers.ChoiceField(choices=Tenure.choices)
    id_document_number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    id_document_issuer = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


def _unless_blank(check):
    """A ``validate_<field>`` method: once the field's own checks pass, ``check`` what is filled in
    (a blank is left alone)."""

    def validate(self, value):
        if value:
            check(value)
        return value

    return validate


class FamilyMemberSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=255)
    iin = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")
    birth_date = serializers.DateField(required=False, allow_null=True)
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    social_status = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    validate_iin = _unless_blank(validate_iin)


class BankAccountSerializer(serializers.Serializer):
    iban = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    bank_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    validate_iban = _unless_blank(validate_iban)


class ApplicationCreateSerializer(serializers.Serializer):
    provider = serializers.CharField(max_length=16)
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_at = ReceivedAtField(required=False, allow_null=True)
    is_reapplication = serializers.BooleanField(required=False, default=False)
    applicant = ApplicantSerializer()
    family_members = FamilyMemberSerializer(many=True, required=False, default=list)
    bank_account = BankAccountSerializer(required=False)
    consent = serializers.BooleanField()
    documents = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentCode.choices), allow_empty=True
    )
    documents_from_registries = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentCode.choices),
        required=False,
        default=list,
        help_text="Codes obtained from state information systems (family_income, employment_status).",
    )
    language = serializers.ChoiceField(choices=[("ru", "ru"), ("kk", "kk")], required=False, default="ru")

    def validate_provider(self, value):
        provider = ServiceProvider.objects.filter(code=value, is_active=True).first()
        if provider is None:
            raise serializers.ValidationError(_("Unknown service provider."))
        return provider

    def validate_received_at(self, value):
        if value is not None and value > timezone.now():
            raise serializers.ValidationError(_("The date of receipt cannot be in the future."))
        return value

    def validate_consent(self, value):
        if not value:
            raise serializers.ValidationError(
                _("The applicant's consent to the use of protected information is required.")
            )
        return value

    def to_intake(self) -> IntakeData:
        v = self.validated_data
        applicant = dict(v["applicant"])
        bank = v.get("bank_account") or {}
        return IntakeData(
            provider=v["provider"],
            channel=v["channel"],
            received_at=v.get("received_at"),
            is_reapplication=v["is_reapplication"],
            applicant=applicant,
            tenure=applicant.pop("tenure"),
            address=applicant["address"],
            family_members=[dict(m) for m in v["family_members"]],
            iban=bank.get("iban", ""),
            bank_name=bank.get("bank_name", ""),
            consent=v["consent"],
            documents=list(v["documents"]),
            documents_from_registries=list(v["documents_from_registries"]),
            language=v["language"],
        )


class CalculationSerializer(serializers.ModelSerializer):
    monthly_income = MoneyField()
    share_percent = MoneyField()
    covered_payments = MoneyField()
    monthly_amount = MoneyField()
    quarter_income = MoneyField()

    class Meta:
        model = Calculation
        fields = [
            "monthly_income",
            "share_percent",
            "covered_payments",
            "monthly_amount",
            "period_from",
            "period_to",
            "quarter_income",
            "income_from",
            "income_to",
            "breakdown",
        ]


class FamilyMemberOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = FamilyMember
        fields = ["full_name", "iin", "birth_date", "relationship", "social_status"]


class ApplicationListSerializer(serializers.ModelSerializer):
    """One row of ``GET /api/v1/applications/``: no per-row history, so the query count is flat."""

    provider = serializers.CharField(source="provider.code")
    applicant = serializers.SerializerMethodField()
    assignee = UsernameField()

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "status",
            "provider",
            "channel",
            "received_at",
            "registered_on",
            "due_date",
            "stage_due_date",
            "applicant",
            "assignee",
            "missing_documents",
        ]

    def get_applicant(self, obj) -> dict:
        p = obj.applicant
        return {
            "last_name": p.last_name,
            "first_name": p.first_name,
            "patronymic": p.patronymic,
            "iin": p.iin,
        }


class ApplicationSerializer(CaseDetailMixin, ApplicationListSerializer):
    """``GET /api/v1/applications/{id}/`` and the 201 / 200 answers."""

    status_display = serializers.CharField(source="get_status_display")
    stage = serializers.CharField(allow_null=True)
    family_members = FamilyMemberOutSerializer(many=True)
    bank_account = serializers.SerializerMethodField()
    calculation = serializers.SerializerMethodField()
    refusal = serializers.SerializerMethodField()
    return_details = serializers.SerializerMethodField()

    class Meta(ApplicationListSerializer.Meta):
        fields = [
            *ApplicationListSerializer.Meta.fields,
            "status_display",
            "stage",
            "is_reapplication",
            "language",
            "family_members",
            "bank_account",
            "consent",
            "documents_presented",
            "documents_from_registries",
            "review_due_on",
            "verification_due_on",
            "decision_due_on",
            "available_transitions",
            "history",
            "documents",
            "calculation",
            "refusal",
            "return_details",
        ]

    def get_applicant(self, obj) -> dict:
        data = super().get_applicant(obj)
        data.update(
            {
                "birth_date": obj.applicant.birth_date.isoformat() if obj.applicant.birth_date else None,
                "address": obj.address,
                "phone": obj.phone,
                "email": obj.email,
                "tenure": obj.tenure,
                "id_document_number": obj.id_document_number,
                "id_document_issuer": obj.id_document_issuer,
            }
        )
        return data

    def get_bank_account(self, obj) -> dict:
        return {"iban": obj.bank_iban, "bank_name": obj.bank_name}

    def get_calculation(self, obj) -> dict | None:
        calc = Calculation.objects.filter(application=obj).first()
        return CalculationSerializer(calc).data if calc is not None else None

    def get_refusal(self, obj) -> dict | None:
        if not obj.refusal_ground:
            return None
        return {"ground": obj.refusal_ground, "reason": obj.refusal_reason}

    def get_return_details(self, obj) -> dict | None:
        if not obj.return_reason:
            return None
        return {"reason": obj.return_reason, "missing_documents": obj.return_missing_documents}


class TransitionSerializer(serializers.Serializer):
    """Bodies of API.md's transition table (each transition uses its own fields)."""

    executor = serializers.CharField(required=False)
    reason = serializers.CharField(required=False)
    missing_documents = serializers.ListField(child=serializers.CharField(), required=False)
    quarter_income = serializers.CharField(required=False)
    payments = serializers.DictField(child=serializers.CharField(), required=False)
    ground = serializers.CharField(required=False)
    signing_session = serializers.UUIDField(required=False, help_text="sign: the id of the signing session")
    cms = serializers.CharField(
        required=False, help_text="sign: the head's detached CMS (base64 DER) over the session's data"
    )


class AttachmentSerializer(serializers.Serializer):
    file = serializers.FileField()
    document_code = serializers.ChoiceField(choices=DocumentCode.choices, required=False, allow_blank=True)
