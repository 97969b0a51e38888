"""The applicant's status lookup (API.md "Status for the applicant"): one search behind
``GET /api/v1/status/`` and the public page ``/status/``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from housing_aid import registry

SERVICE_LABELS = {
    "housing_assistance": _("Housing assistance"),
    "housing_certificate": _("Housing certificate"),
    "complaint": _("Complaint"),
}


def find_case(number: str, iin: str):
    """The case with this number whose applicant (or complainant) has this IIN, else None:
    a wrong number and a wrong IIN are indistinguishable."""
    number, iin = (number or "").strip(), (iin or "").strip()
    model = registry.model_for_number(number)
    if model is None or not iin:
        return None
    return model.objects.filter(number=number, **{model.STATUS_IIN_LOOKUP: iin}).first()


def missing_parameters(params) -> dict[str, list[str]]:
    """400 body for a lookup without its number or IIN, the field as the applicant knows it."""
    errors: dict[str, list[str]] = {}
    if not (params.get("number") or "").strip():
        errors["number"] = [str(_("Enter the case number."))]
    if not (params.get("iin") or "").strip():
        errors["iin"] = [str(_("Enter the IIN."))]
    return errors


class StatusLookupForm(forms.Form):
    number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        error_messages={"required": _("Enter the case number.")},
        help_text=_("As printed on your receipt, for example HA-710000000-2025-00001."),
    )
    iin = forms.CharField(
        label=_("IIN"),
        max_length=12,
        error_messages={"required": _("Enter the IIN.")},
        help_text=_("The applicant's or complainant's 12-digit IIN."),
    )

    def clean_iin(self) -> str:
        iin = self.cleaned_data["iin"].strip()
        if not (len(iin) == 12 and iin.isdigit()):
            raise forms.ValidationError(_("The IIN has 12 digits."))
        return iin
