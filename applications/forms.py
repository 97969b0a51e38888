"""The State Corporation desk: Appendix 1 on one keyboard-friendly page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import FROM_REGISTRIES_ALLOWED, DocumentCode, Relationship, Tenure
from applications.services import IntakeData
from housing_aid import roles
from housing_aid.identifiers import normalise_iban, validate_iban, validate_iin
from housing_aid.models import ServiceProvider


class IntakeForm(forms.Form):
    provider = forms.ModelChoiceField(queryset=ServiceProvider.objects.none(), label=_("Service provider"))
    last_name = forms.CharField(label=_("Surname"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    iin = forms.CharField(label=_("IIN"), max_length=12, min_length=12, validators=[validate_iin])
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    id_document_number = forms.CharField(label=_("Identity document No."), max_length=40, required=False)
    id_document_issuer = forms.CharField(label=_("Issued by"), max_length=255, required=False)
    address = forms.CharField(label=_("Address"), max_length=500)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    tenure = forms.ChoiceField(label=_("Tenure"), choices=Tenure.choices)
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
    consent = forms.BooleanField(label=_("The applicant consents to the use of information protected by law"))
    language = forms.ChoiceField(
        label=_("Language of the documents"),
        choices=[("ru", _("Russian")), ("kk", _("Kazakh"))],
        initial="ru",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        providers = ServiceProvider.objects.filter(is_active=True)
        ids = roles.provider_ids_for(user)
        if ids is not None:
            providers = providers.filter(pk__in=ids)
        self.fields["provider"].queryset = providers
        if providers.count() == 1:
            self.fields["provider"].initial = providers.first()
        self.fields["last_name"].widget.attrs["autofocus"] = True
        self.fields["iin"].widget.attrs.update(
            {"inputmode": "numeric", "pattern": r"\d{12}", "autocomplete": "off"}
        )
        self.fields["iban"].widget.attrs.update({"autocomplete": "off", "placeholder": "KZ.."})

    def clean_iban(self):
        iban = normalise_iban(self.cleaned_data.get("iban", ""))
        if iban:
            validate_iban(iban)
        return iban

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
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    relationship = forms.ChoiceField(
        label=_("Relationship"), choices=[("", "—"), *Relationship.choices], required=False
    )
    social_status = forms.CharField(label=_("Social status"), max_length=255, required=False)

    def clean(self):
        data = super().clean()
        if data.get("full_name") and not data.get("relationship"):
            self.add_error("relationship", _("Choose the relationship."))
        if not data.get("full_name") and (
            data.get("iin") or data.get("birth_date") or data.get("social_status")
        ):
            self.add_error("full_name", _("Enter the family member's name."))
        return data


FamilyFormSet = forms.formset_factory(FamilyMemberForm, extra=4, max_num=15)


def family_from(formset) -> list[dict]:
    return [
        {
            k: f.cleaned_data.get(k)
            for k in ("full_name", "iin", "birth_date", "relationship", "social_status")
        }
        for f in formset.forms
        if f.cleaned_data.get("full_name")
    ]
