from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from housing_aid.sla.selectors import SERVICES, DashboardFilters, default_period, providers_for


class MonthField(forms.CharField):
    """``YYYY-MM`` (the browser's month input) -> the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month"})
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-", 1))
            return dt.date(year, month, 1)
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class DashboardFilterForm(forms.Form):
    service = forms.ChoiceField(
        label=_("Service"), required=False, choices=[("", _("All services")), *SERVICES.items()]
    )
    provider = forms.ModelChoiceField(
        label=_("Service provider"), required=False, queryset=None, empty_label=_("All my providers")
    )
    month_from = MonthField(label=_("From month"), required=False)
    month_to = MonthField(label=_("To month"), required=False)

    MAX_MONTHS = 36

    def __init__(self, *args, user, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["provider"].queryset = providers_for(user)

    def clean(self):
        data = super().clean()
        first, last = data.get("month_from"), data.get("month_to")
        default_first, default_last = default_period(self.today)
        first, last = first or default_first, last or default_last
        if first > last:
            raise forms.ValidationError(_("The period must not end before it starts."))
        if (last.year - first.year) * 12 + last.month - first.month >= self.MAX_MONTHS:
            raise forms.ValidationError(_("Choose at most %(months)d months.") % {"months": self.MAX_MONTHS})
        data["month_from"], data["month_to"] = first, last
        return data

    def filters(self) -> DashboardFilters:
        """The valid filters, or the defaults (last six months, everything) when invalid."""
        if self.is_valid():
            data = self.cleaned_data
            provider = data.get("provider")
            return DashboardFilters(
                service=data.get("service") or "",
                provider_id=provider.pk if provider else None,
                month_from=data["month_from"],
                month_to=data["month_to"],
            )
        first, last = default_period(self.today)
        return DashboardFilters(month_from=first, month_to=last)
