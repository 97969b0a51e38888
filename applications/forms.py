"""The State Corporation desk: Appendix 1 on one keyboard-friendly page, and the hand-out of para 10."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.models import (
    FROM_REGISTRIES_ALLOWED,
    Application,
    DocumentCode,
    Relationship,
    Tenure,
)
from applications.services import IntakeData
from housing_aid import roles
from housing_aid.identifiers import (
    iin_birth_date,
    is_valid_iin,
    normalise_iban,
    validate_iban,
    validate_iin,
    validate_phone,
)
from housing_aid.models import ServiceProvider
from housing_aid.persons import open_cases_elsewhere
from housing_aid.widgets import DATE_INPUT_FORMATS, DateText


class BirthDateField(forms.DateField):
    """A date of birth: dd.mm.yyyy, never in the future, not before 1900."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter the date as dd.mm.yyyy, for example 15.03.1985.")}
        )
        super().__init__(input_formats=DATE_INPUT_FORMATS, widget=DateText(), **kwargs)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."), code="future")
        if value < dt.date(1900, 1, 1):
            raise forms.ValidationError(_("Check the year of birth."), code="too_old")


def _fill_in(label) -> str:
    return gettext("Fill in «%(field)s».") % {"field": label}


def _required(label) -> dict:
    # lazy: the message is built in the reader's language, not the one active at import
    return {"required": lazy(_fill_in, str)(label)}


class IntakeForm(forms.Form):
    # para 6 / Appendix 1. The IIN comes first: it fills the birth date and a known person's data.
    iin = forms.CharField(
        label=_("IIN"),
        max_length=12,
        validators=[validate_iin],
        error_messages={
            **_required(_("IIN")),
            "max_length": _("An IIN is 12 digits."),
        },
    )
    last_name = forms.CharField(label=_("Surname"), max_length=100, error_messages=_required(_("Surname")))
    first_name = forms.CharField(
        label=_("First name"), max_length=100, error_messages=_required(_("First name"))
    )
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    birth_date = BirthDateField(label=_("Date of birth"), required=False)
    confirm_birth_date = forms.BooleanField(
        label=_("The date of birth is checked against the identity document"), required=False
    )
    id_document_number = forms.CharField(label=_("Identity document No."), max_length=40, required=False)
    id_document_issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    address = forms.CharField(label=_("Address"), max_length=500, error_messages=_required(_("Address")))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False, validators=[validate_phone])
    email = forms.EmailField(
        label=_("E-mail"), required=False, error_messages={"invalid": _("Enter an e-mail like name@mail.kz.")}
    )
    tenure = forms.ChoiceField(label=_("Tenure"), choices=Tenure.choices)
    provider = forms.ModelChoiceField(
        queryset=ServiceProvider.objects.none(),
        label=_("Service provider"),
        error_messages=_required(_("Service provider")),
    )
    language = forms.ChoiceField(
        label=_("Language of the documents"),
        choices=[("ru", _("Russian")), ("kk", _("Kazakh"))],
        initial="ru",
    )
    is_reapplication = forms.BooleanField(label=_("Re-application (next quarter)"), required=False)
    iban = forms.CharField(label=_("IBAN"), max_length=40, required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=255, required=False)
    documents = forms.MultipleChoiceField(
        label=_("Documents presented"),
        choices=DocumentCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    documents_from_registries = forms.MultipleChoiceField(
        label=_("Obtained from state information systems"),
        choices=[(c.value, c.label) for c in FROM_REGISTRIES_ALLOWED],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("The applicant consents to the use of information protected by law"),
        error_messages={
            "required": _("The applicant's consent to the use of protected information is required.")
        },
    )
    acknowledge_open_case = forms.BooleanField(
        label=_("Checked with the applicant: register anyway"), required=False
    )

    def __init__(self, *args, user=None, remembered_provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        providers = ServiceProvider.objects.filter(is_active=True)
        ids = roles.provider_ids_for(user)
        if ids is not None:
            providers = providers.filter(pk__in=ids)
        field = self.fields["provider"]
        field.queryset = providers
        choices = list(providers.values_list("pk", flat=True)[:2])
        if choices:
            # No "---------" for a clerk who has providers: the one, or the one used last.
            field.empty_label = None
            field.initial = (
                remembered_provider
                if remembered_provider in set(providers.values_list("pk", flat=True))
                else choices[0]
            )
        self.fields["iin"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "autofocus": True, "maxlength": "12"}
        )
        self.fields["iban"].widget.attrs.update({"autocomplete": "off", "placeholder": "KZ.."})
        self.birth_date_from_iin: dt.date | None = None
        self.open_elsewhere: list[Application] = []

    def clean_iin(self):
        return (self.cleaned_data.get("iin") or "").strip()

    def clean_iban(self):
        iban = normalise_iban(self.cleaned_data.get("iban", ""))
        if iban:
            validate_iban(iban)
        return iban

    def clean(self):
        data = super().clean()
        iin = data.get("iin") or ""
        birth_date = data.get("birth_date")
        if is_valid_iin(iin):
            suggested = iin_birth_date(iin)
            # Since 2013 the IIN's digits need not be the birth date (DOMAIN.md): warn, let the clerk confirm.
            if birth_date and suggested and suggested != birth_date and not data.get("confirm_birth_date"):
                self.birth_date_from_iin = suggested
                self.add_error(
                    "birth_date",
                    _(
                        "The IIN suggests %(suggested)s. Check the identity document and tick the "
                        "confirmation if %(entered)s is right."
                    )
                    % {
                        "suggested": suggested.strftime("%d.%m.%Y"),
                        "entered": birth_date.strftime("%d.%m.%Y"),
                    },
                )
            self.open_elsewhere = list(open_cases_elsewhere(Application, iin))
            if self.open_elsewhere and not data.get("acknowledge_open_case"):
                self.add_error(
                    None,
                    _("This IIN already has an open application: %(cases)s. Check it with the applicant.")
                    % {"cases": "; ".join(f"{a.number} ({a.provider.name})" for a in self.open_elsewhere)},
                )
        return data

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(field id, label as the clerk sees it, message) for every field error, in form order."""
        rows = []
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                rows.append((self[name].id_for_label, str(field.label), message))
        return rows

    def to_intake(self, family: list[dict]) -> IntakeData:
        d = self.cleaned_data
        return IntakeData(
            provider=d["provider"],
            channel="state_corporation",
            applicant={
                "last_name": d["last_name"],
                "first_name": d["first_name"],
                "patronymic": d["patronymic"],
                "iin": d["iin"],
                "birth_date": d["birth_date"],
                "phone": d["phone"],
                "email": d["email"],
                "id_document_number": d["id_document_number"],
                "id_document_issuer": d["id_document_issuer"],
            },
            tenure=d["tenure"],
            address=d["address"],
            is_reapplication=d["is_reapplication"],
            family_members=family,
            iban=d["iban"],
            bank_name=d["bank_name"],
            consent=d["consent"],
            documents=list(d["documents"]),
            documents_from_registries=list(d["documents_from_registries"]),
            language=d["language"],
        )


class FamilyMemberForm(forms.Form):
    full_name = forms.CharField(label=_("Surname, name, patronymic"), max_length=255, required=False)
    iin = forms.CharField(label=_("IIN"), max_length=12, required=False, validators=[validate_iin])
    birth_date = BirthDateField(label=_("Date of birth"), required=False)
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=[("", "—"), *Relationship.choices], required=False
    )
    social_status = forms.CharField(label=_("Social status"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["iin"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self):
        data = super().clean()
        if data.get("full_name") and not data.get("relationship"):
            self.add_error("relationship", _("Choose the relationship."))
        if not data.get("full_name") and (
            data.get("iin") or data.get("birth_date") or data.get("social_status")
        ):
            self.add_error("full_name", _("Enter the family member's name."))
        return data


# Rows are added on demand (a button on the desk): no empty rows to tab through.
FamilyFormSet = forms.formset_factory(FamilyMemberForm, extra=0, max_num=15)


def family_from(formset) -> list[dict]:
    return [
        {
            k: f.cleaned_data.get(k)
            for k in ("full_name", "iin", "birth_date", "relationship", "social_status")
        }
        for f in formset.forms
        if f.cleaned_data.get("full_name")
    ]


def family_error_summary(formset) -> list[tuple[str, str, str]]:
    rows = []
    for index, form in enumerate(formset.forms, start=1):
        for name, field in form.fields.items():
            for message in form.errors.get(name, []):
                label = _("Family member %(n)s, %(field)s") % {"n": index, "field": field.label}
                rows.append((form[name].id_for_label, str(label), message))
    return rows
