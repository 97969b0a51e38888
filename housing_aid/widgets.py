"""Date fields typed the same way in Russian, Kazakh and English, whatever the browser's locale.

A text input with a static mask (``static/js/date-mask.js``) instead of the native date input,
which follows the browser's language (mm/dd/yyyy), takes four Tab stops and traps Tab.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class DateText(forms.DateInput):
    def __init__(self, attrs=None):
        base = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-date-mask": "date",
            "maxlength": "10",
            "placeholder": _("dd.mm.yyyy"),
        }
        super().__init__({**base, **(attrs or {})}, format="%d.%m.%Y")


class DateTimeText(forms.DateTimeInput):
    def __init__(self, attrs=None):
        base = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-date-mask": "datetime",
            "maxlength": "16",
            "placeholder": _("dd.mm.yyyy hh:mm"),
        }
        super().__init__({**base, **(attrs or {})}, format="%d.%m.%Y %H:%M")


def date_field(**kwargs) -> forms.DateField:
    kwargs.setdefault("error_messages", {})
    kwargs["error_messages"].setdefault("invalid", _("Enter the date as dd.mm.yyyy, for example 15.03.1985."))
    return forms.DateField(input_formats=DATE_INPUT_FORMATS, widget=DateText(), **kwargs)


def datetime_field(**kwargs) -> forms.DateTimeField:
    kwargs.setdefault("error_messages", {})
    kwargs["error_messages"].setdefault(
        "invalid", _("Enter the date and time as dd.mm.yyyy hh:mm, for example 14.04.2025 10:30.")
    )
    return forms.DateTimeField(input_formats=DATETIME_INPUT_FORMATS, widget=DateTimeText(), **kwargs)


class FieldNamedErrors:
    """Every error message names the field as the user sees it («Label»: message), for screens
    that show a form's errors away from its fields (flash messages, summaries)."""

    def full_clean(self):
        super().full_clean()
        for name, errors in list(self._errors.items()):
            field = self.fields.get(name)
            if field is None or not field.label:
                continue
            label = str(field.label)
            errors[:] = [m if label in str(m) else f"{label}: {m}" for m in errors]
