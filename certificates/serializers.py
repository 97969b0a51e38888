"""API.md shapes of programs and certificate requests."""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from certificates.models import (
    AmountKind,
    CertificateProgram,
    CertificateRequest,
    Channel,
    Relationship,
    SecurityKind,
)
from housing_aid.api.fields import CaseDetailMixin, MoneyField, ReceivedAtField, UsernameField
from housing_aid.identifiers import validate_iin, validate_phone
from housing_aid.models import ServiceProvider

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _iin(value: str) -> str:
    from django.core.exceptions import ValidationError as DjangoValidationError

    try:
        validate_iin(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(list(exc.messages)) from None
    return value


class ProviderCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=ServiceProvider.objects.filter(is_active=True), **kwargs)


# -- programs --------------------------------------------------------------------------
class AmountRuleSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AmountKind.choices)
    value = MoneyField(min_value=0)
    cap = MoneyField(required=False, allow_null=True)

    def validate(self, attrs):
        if attrs["kind"] != AmountKind.FIXED and attrs["value"] > 100:
            raise serializers.ValidationError({"value": [_("A percent is at most 100.")]})
        if attrs["value"] <= 0:
            raise serializers.ValidationError({"value": [_("Enter a positive value.")]})
        return attrs


class ProgramSerializer(serializers.ModelSerializer):
    provider = ProviderCodeField()
    budget = MoneyField()
    committed = MoneyField(read_only=True)
    remaining = MoneyField(read_only=True)
    amount_rule = AmountRuleSerializer(write_only=True)
    categories = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    mortgage_programs = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    announcement = serializers.SerializerMethodField()

    class Meta:
        model = CertificateProgram
        fields = [
            "id",
            "provider",
            "year",
            "decision",
            "budget",
            "committed",
            "remaining",
            "terminated",
            "terminated_at",
            "announcement",
            "amount_rule",
            "categories",
            "mortgage_programs",
        ]
        read_only_fields = ["terminated", "terminated_at"]

    def get_unique_together_validators(self):
        # One program per provider and year is the service's rule, with its message naming
        # the year (services.create_program): DRF's own ("The fields provider, year must make
        # a unique set.") came through in Russian as machine-made nonsense.
        return []

    def validate_year(self, value):
        if not 2000 <= value <= 2100:
            raise serializers.ValidationError(_("Enter a financial year."))
        return value

    def validate(self, attrs):
        """A certificate's fixed amount or cap is at most a plausible mortgage loan (the limit
        registration checks a loan against, in force on the program's 1 January): API.md,
        amounts beyond any plausible figure -> 400."""
        import datetime as dt

        from certificates import parameters as cp
        from certificates.services import _money
        from housing_aid import parameters

        program = self.instance
        provider = attrs.get("provider") or getattr(program, "provider", None)
        year = attrs.get("year") or getattr(program, "year", None)
        amounts = {
            "value": attrs.get("amount_value") if attrs.get("amount_kind") == AmountKind.FIXED else None,
            "cap": attrs.get("amount_cap"),
        }
        if provider is None or year is None or not any(amounts.values()):
            return attrs
        try:
            limit = parameters.value_on(cp.AMOUNT_MAX, dt.date(year, 1, 1), provider)
        except parameters.ParameterMissing:
            return attrs
        errors = {
            name: [
                _("%(sum)s KZT is above the plausible %(limit)s KZT: check the figure.")
                % {"sum": _money(amount), "limit": _money(limit)}
            ]
            for name, amount in amounts.items()
            if amount is not None and amount > limit
        }
        if errors:
            raise serializers.ValidationError({"amount_rule": errors})
        return attrs

    def get_announcement(self, program) -> dict | None:
        announcement = getattr(program, "announcement", None) if program.terminated else None
        if announcement is None:
            return None
        return {
            "published_at": serializers.DateTimeField().to_representation(announcement.published_at),
            "text": announcement.text(get_language()),
        }

    def to_representation(self, program):
        data = super().to_representation(program)
        data["amount_rule"] = {
            "kind": program.amount_kind,
            "value": MoneyField().to_representation(program.amount_value),
            "cap": None if program.amount_cap is None else MoneyField().to_representation(program.amount_cap),
        }
        return data

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        rule = attrs.pop("amount_rule", None)
        if rule is not None:
            attrs["amount_kind"] = rule["kind"]
            attrs["amount_value"] = rule["value"]
            attrs["amount_cap"] = rule.get("cap")
        return attrs


class ProgramUpdateSerializer(ProgramSerializer):
    class Meta(ProgramSerializer.Meta):
        read_only_fields = ["provider", "year", "terminated", "terminated_at"]


# -- requests ------------------------------------------------------------------------------
@extend_schema_serializer(component_name="CertificateApplicant")
class ApplicantSerializer(serializers.Serializer):
    last_name = serializers.CharField(max_length=100)
    first_name = serializers.CharField(max_length=100)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    iin = serializers.CharField(validators=[_iin])
    birth_date = serializers.DateField(required=False, allow_null=True)
    address = serializers.CharField(max_length=500)
    phone = serializers.CharField(
        max_length=32, required=False, allow_blank=True, default="", validators=[validate_phone]
    )


@extend_schema_serializer(component_name="CertificateFamilyMember")
class FamilyMemberSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=255)
    iin = serializers.CharField(required=False, allow_blank=True, default="")
    birth_date = serializers.DateField()
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    full_time_student = serializers.BooleanField(required=False, default=False)

    def validate_iin(self, value):
        return _iin(value) if value else value


@extend_schema_field({"type": "string", "description": '"applicant" or the index of a family member'})
class PersonRefField(serializers.Field):
    """``"applicant"`` or the index of a family member."""

    default_error_messages = {"invalid": _('Either "applicant" or the index of a family member.')}

    def to_internal_value(self, data):
        if data == "applicant":
            return data
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, int) or (isinstance(data, str) and data.isdigit()):
            return int(data)
        self.fail("invalid")

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "string", "pattern": "^\\d{4}-\\d{2}$", "example": "2025-01"})
class MonthField(serializers.Field):
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_internal_value(self, data):
        import datetime as dt

        match = _MONTH_RE.match(str(data))
        # Year 0000 matches the pattern but is no date (it answered 500).
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
            self.fail("invalid")
        return dt.date(int(match.group(1)), int(match.group(2)), 1)

    def to_representation(self, value):
        return value.strftime("%Y-%m")


class IncomeSerializer(serializers.Serializer):
    """One person's net income for one month. "No income" is explicit: ``"no_income": true``
    (the amount then left out) or an amount of ``"0.00"``; a month left out is a 400."""

    person = PersonRefField()
    month = MonthField()
    amount = MoneyField(required=False, allow_null=True, default=None)
    no_income = serializers.BooleanField(required=False, default=False)


class PropertySerializer(serializers.Serializer):
    region = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    locality = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    suburban_of = serializers.ChoiceField(
        choices=[("astana", "astana"), ("almaty", "almaty")], required=False, allow_blank=True, default=""
    )


class CertificateCreateSerializer(serializers.Serializer):
    provider = ProviderCodeField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    received_at = ReceivedAtField(required=False, allow_null=True)
    applicant = ApplicantSerializer()
    family_members = FamilyMemberSerializer(many=True, required=False, default=list)
    incomes = IncomeSerializer(many=True)
    category = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    mortgage_program = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    bank = serializers.CharField(max_length=200)
    bank_notified_on = serializers.DateField()
    loan_amount = MoneyField()
    down_payment = MoneyField()
    property = PropertySerializer(required=False)
    language = serializers.ChoiceField(choices=["ru", "kk"], required=False)

    def validate_received_at(self, value):
        if value is not None and value > timezone.now():
            raise serializers.ValidationError(_("The receipt time cannot be in the future."))
        return value

    def validate_family_members(self, value):
        if len(value) > 30:
            raise serializers.ValidationError(_("At most 30 family members."))
        return value

    def validate_loan_amount(self, value):
        if value <= 0:
            raise serializers.ValidationError(_("Enter a positive amount."))
        return value


class IncomeTestSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    msl = MoneyField()
    threshold = MoneyField()
    family_size = serializers.IntegerField()
    average_monthly_income = MoneyField()
    per_capita_income = MoneyField()
    kind = serializers.CharField()


class RequestFields(serializers.ModelSerializer):
    """What the list and the detail of a request show alike."""

    provider = serializers.CharField(source="provider.code")
    decision_due_date = serializers.DateField(source="due_date")
    amount = MoneyField()
    assignee = UsernameField()

    class Meta:
        model = CertificateRequest
        fields: list[str] = []


class CertificateSerializer(CaseDetailMixin, RequestFields):
    committed_amount = MoneyField()
    loan_amount = MoneyField()
    down_payment = MoneyField()
    income_test = serializers.SerializerMethodField()
    applicant = serializers.SerializerMethodField()
    program = serializers.IntegerField(source="program_id")
    loan = serializers.SerializerMethodField()

    class Meta(RequestFields.Meta):
        fields = [
            "id",
            "number",
            "provider",
            "channel",
            "status",
            "received_at",
            "registered_on",
            "decision_due_date",
            "stage_due_date",
            "assignee",
            "program",
            "amount",
            "committed_amount",
            "income_test",
            "applicant",
            "category",
            "mortgage_program",
            "bank",
            "bank_notified_on",
            "loan_amount",
            "down_payment",
            "decided_on",
            "refusal_ground",
            "refusal_reason",
            "visited_on",
            "agreement_on",
            "transferred_on",
            "bank_documents_received_on",
            "lapse_reason",
            "lapse_withdrawn",
            "loan",
            "available_transitions",
            "history",
            "documents",
        ]

    def get_income_test(self, obj) -> dict:
        return IncomeTestSerializer(obj.income_test()).data

    def get_applicant(self, obj) -> dict:
        person = obj.applicant
        return {"full_name": person.full_name, "iin": person.iin}

    def get_loan(self, obj) -> dict | None:
        loan = getattr(obj, "loan", None)
        if loan is None:
            return None
        return {
            "id": loan.pk,
            "number": loan.number,
            "principal": MoneyField().to_representation(loan.principal),
            "annual_rate": str(loan.annual_rate),
            "term_months": loan.term_months,
            "paid_total": MoneyField().to_representation(loan.paid_total),
            "cancelled_on": loan.cancelled_on,
        }


class CertificateListSerializer(RequestFields):
    applicant = serializers.CharField(source="applicant.full_name")

    class Meta(RequestFields.Meta):
        fields = [
            "id",
            "number",
            "provider",
            "status",
            "kind",
            "applicant",
            "assignee",
            "registered_on",
            "decision_due_date",
            "stage_due_date",
            "amount",
        ]


# -- transition bodies ---------------------------------------------------------------------
class RefuseSerializer(serializers.Serializer):
    ground = serializers.CharField()
    reason = serializers.CharField()


class LoanAgreementSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    concluded_on = serializers.DateField(required=False, allow_null=True)
    term_months = serializers.IntegerField()
    security_kind = serializers.ChoiceField(choices=SecurityKind.choices)
    security_details = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ConcludeAgreementSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    agreement_on = serializers.DateField()
    agreement_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    account_iban = serializers.CharField(max_length=40)
    account_bank = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    loan = LoanAgreementSerializer(required=False)


class TransferSerializer(serializers.Serializer):
    transferred_on = serializers.DateField()
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class BankDocumentsSerializer(serializers.Serializer):
    mortgage_applied_on = serializers.DateField()
    received_on = serializers.DateField()
    bank_loan_agreement = serializers.CharField(max_length=128)
    mortgage_agreement = serializers.CharField(max_length=128)


class LapseSerializer(serializers.Serializer):
    reason = serializers.CharField()
    withdrawn = serializers.BooleanField(required=False, default=False)


class RepaymentSerializer(serializers.Serializer):
    paid_on = serializers.DateField()
    amount = MoneyField()
    reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class ReversalSerializer(serializers.Serializer):
    reason = serializers.CharField()


def repayment_data(entry, reversed_by: int | None = None) -> dict:
    """A ledger entry: a payment, or the reversing entry of one (negative amount, with its reason)."""
    return {
        "id": entry.pk,
        "paid_on": entry.paid_on.isoformat(),
        "amount": MoneyField().to_representation(entry.amount),
        "reference": entry.reference,
        "reverses": entry.reverses_id,
        "reversed_by": reversed_by,
        "reason": entry.reason,
        "recorded_at": serializers.DateTimeField().to_representation(entry.recorded_at),
    }
