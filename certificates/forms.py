"""Web forms. The intake form builds the API body and reuses the API serializer, so the
screen and the portal validate a request the same way."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.models import Channel, RefusalGround, SecurityKind
from housing_aid.identifiers import validate_phone

MEMBER_ROWS = 4
MAX_MEMBER_ROWS = 30  # the API takes at most 30 family members


class DateInput(forms.DateInput):
    """A native date picker: its value must be ISO, whatever the locale's date format."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RefuseForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=RefusalGround.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ConcludeAgreementForm(forms.Form):
    visited_on = forms.DateField(label=_("Applicant came on"), widget=DateInput)
    agreement_on = forms.DateField(label=_("Agreement date"), widget=DateInput)
    agreement_number = forms.CharField(label=_("Agreement number"), required=False)
    account_iban = forms.CharField(label=_("Escrow / savings account (IBAN)"))
    account_bank = forms.CharField(label=_("Bank of the account"), required=False)
    term_months = forms.IntegerField(label=_("Loan term, months"), required=False, min_value=1)
    security_kind = forms.ChoiceField(label=_("Security"), choices=SecurityKind.choices, required=False)
    security_details = forms.CharField(label=_("Security details"), required=False)

    def api_body(self, budget_loan: bool) -> dict:
        data = self.cleaned_data
        body = {
            k: data[k]
            for k in ("visited_on", "agreement_on", "agreement_number", "account_iban", "account_bank")
        }
        if budget_loan:
            body["loan"] = {
                "term_months": data.get("term_months") or 0,
                "security_kind": data.get("security_kind") or "",
                "security_details": data.get("security_details") or "",
            }
        return body


class TransferForm(forms.Form):
    transferred_on = forms.DateField(label=_("Transferred on"), widget=DateInput)
    reference = forms.CharField(label=_("Payment reference"), required=False)


class BankDocumentsForm(forms.Form):
    mortgage_applied_on = forms.DateField(label=_("Mortgage applied for on"), widget=DateInput)
    received_on = forms.DateField(label=_("Copies received on"), widget=DateInput)
    bank_loan_agreement = forms.CharField(label=_("Bank loan agreement"))
    mortgage_agreement = forms.CharField(label=_("Mortgage (pledge) agreement"))


class LapseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    withdrawn = forms.BooleanField(
        label=_("The applicant declined the certificate in writing"), required=False
    )


class RepaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput)
    amount = forms.DecimalField(label=_("Amount, KZT"), max_digits=16, decimal_places=2, min_value=0)
    reference = forms.CharField(label=_("Payment reference"), required=False)


class IntakeForm(forms.Form):
    """The request on paper: applicant, family, 6 months of income, bank, loan, property."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    # The decision, agreements and schedule are issued in this language (Russian or Kazakh).
    language = forms.ChoiceField(
        label=_("Language of the documents"),
        choices=[("ru", _("Russian")), ("kk", _("Kazakh"))],
        initial="ru",
    )
    last_name = forms.CharField(label=_("Surname"))
    first_name = forms.CharField(label=_("First name"))
    patronymic = forms.CharField(label=_("Patronymic"), required=False)
    iin = forms.CharField(label=_("IIN"), max_length=12)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    address = forms.CharField(label=_("Address"))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False, validators=[validate_phone])
    category = forms.CharField(label=_("Category of recipients"), required=False)
    mortgage_program = forms.CharField(label=_("Mortgage programme"), required=False)
    bank = forms.CharField(label=_("Bank notified of the intention"))
    bank_notified_on = forms.DateField(label=_("Bank notified on"), widget=DateInput)
    loan_amount = forms.DecimalField(label=_("Mortgage loan, KZT"), max_digits=16, decimal_places=2)
    down_payment = forms.DecimalField(label=_("Down payment, KZT"), max_digits=16, decimal_places=2)
    property_region = forms.CharField(label=_("Property's region"), required=False)
    property_locality = forms.CharField(label=_("Property's locality"), required=False)
    suburban_of = forms.ChoiceField(
        label=_("Suburban area of"),
        required=False,
        choices=[("", "—"), ("astana", _("Astana")), ("almaty", _("Almaty"))],
    )
