"""Forms of the complaint screens. Registration validates here; the action forms only draw
their fields, the action's serializer (``complaints.actions``) validates what they post."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints.models import DOCUMENT_LANGUAGES, Addressee, Channel, DeliveryMethod, Subject
from complaints.permissions import REGISTERING_ROLES
from housing_aid import roles
from housing_aid.identifiers import validate_iin
from housing_aid.models import ServiceProvider
from housing_aid.widgets import date_field, datetime_field


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _is_required(label) -> str:
    return gettext("%(field)s is required.") % {"field": label}


def _required(label):
    # lazy: the message is built in the reader's language, not the one active at import
    return {"required": lazy(_is_required, str)(label)}


class RegisterComplaintForm(forms.Form):
    provider = forms.ModelChoiceField(queryset=ServiceProvider.objects.none(), label=_("Service provider"))
    addressee = forms.ChoiceField(choices=Addressee.choices, label=_("Addressee"))
    channel = forms.ChoiceField(label=_("Channel"))
    received_at = datetime_field(label=_("Received at"), error_messages=_required(_("Received at")))
    complainant_last_name = forms.CharField(
        label=_("Surname"), max_length=100, error_messages=_required(_("Surname"))
    )
    complainant_first_name = forms.CharField(
        label=_("First name"), max_length=100, error_messages=_required(_("First name"))
    )
    complainant_patronymic = forms.CharField(label=_("Patronymic (if any)"), max_length=100, required=False)
    complainant_postal_address = forms.CharField(
        label=_("Postal address"),
        max_length=500,
        error_messages={"required": _("The postal address is required (para 13).")},
    )
    complainant_iin = forms.CharField(
        label=_("IIN"), max_length=12, required=False, validators=[validate_iin]
    )
    subject = forms.ChoiceField(
        choices=Subject.choices, label=_("Complained about"), initial=Subject.DECISION
    )
    case_number = forms.CharField(
        label=_("Number of the case complained about"),
        max_length=40,
        required=False,
        help_text=_("HA-..., HC-... or CM-...; optional."),
    )
    respondent = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("Official complained about"),
        required=False,
        help_text=_("Defaults to the executor of the case named above."),
    )
    language = forms.ChoiceField(choices=DOCUMENT_LANGUAGES, label=_("Language of the documents"))
    text = forms.CharField(label=_("Text of the complaint"), widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(
        label=_("Scans of the complaint and annexes (PDF, JPEG, PNG)"), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = roles.provider_ids_for(user)
        providers = ServiceProvider.objects.filter(is_active=True)
        if ids is not None:
            providers = providers.filter(pk__in=ids)
        self.fields["provider"].queryset = providers
        if providers.count() == 1:
            self.fields["provider"].initial = providers.first()
        role = roles.role_of(user)
        self.fields["addressee"].choices = [
            (value, label) for value, label in Addressee.choices if role in REGISTERING_ROLES[value]
        ]
        self.fields["channel"].choices = [(v, label) for v, label in Channel.choices if v != Channel.PORTAL]
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["respondent"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, staff__providers__in=providers)
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["respondent"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        self.fields["language"].initial = "ru"


class LetterForm(forms.Form):
    """The letter that closes a complaint (the answer, the refusal): besides its text, its
    language and how it reaches the complainant."""

    language = forms.ChoiceField(choices=DOCUMENT_LANGUAGES, label=_("Language of the letter"))
    delivery_method = forms.ChoiceField(choices=DeliveryMethod.choices, label=_("Delivery"))


class AnswerForm(LetterForm):
    response = forms.CharField(
        label=_("Reasoned response"),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Write the reasoned response.")},
    )


class RefuseForm(LetterForm):
    reason = forms.CharField(
        label=_("Reason for refusing to consider"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("State the reason.")},
    )


class DeliveryForm(forms.Form):
    delivered_on = date_field(label=_("Delivered on"))
    note = forms.CharField(
        label=_("Note (postal item number, to whom handed out)"), max_length=255, required=False
    )


class CourtAppealForm(forms.Form):
    filed_on = date_field(label=_("Filed on"))
    note = forms.CharField(label=_("Court and case"), max_length=255, required=False)


class EscalateForm(forms.Form):
    text = forms.CharField(
        label=_("Why the complainant disagrees with the answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Empty: the text of the original complaint is passed on."),
    )


class AttachmentsForm(forms.Form):
    attachments = MultipleFileField(label=_("Files (PDF, JPEG, PNG)"))
