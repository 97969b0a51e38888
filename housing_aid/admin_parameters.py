"""The parameter admin: versions that cannot break deadlines (issue 13).

* Every value is checked by its unit (``parameters.rule_for``): a term is a whole
  number of working days in a sane range, money and percentages are positive.
* A version in force today or earlier changes cases already registered: the form
  says how many open cases read it and how the value changes for them, and saves
  only with an explicit confirmation.
* Names are the registered, translated labels; search and filters work on them.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from housing_aid import parameters
from housing_aid.admin_base import number, provider_ids, scope
from housing_aid.models import Parameter, ServiceProvider
from housing_aid.registry import SERVICE_LABELS

# The key prefix of each service's parameters.
SERVICE_PREFIXES = [
    ("ha_", "housing_assistance"),
    ("certificate_", "housing_certificate"),
    ("complaint_", "complaint"),
]


_NORM = _("Maslikhat decision: the monthly norm for this payment; what is paid above it is not covered.")
_CERT_STEP = _("Rules for housing certificates (seed 004): the term of this step, counted in working days.")
_CERT_AGE = _("Rules for housing certificates (seed 004): who is counted in the family for the income test.")
# What each figure is and where it comes from: shown under the value and on the list.
HELP = {
    "msl": _(
        "Set each year by the republican budget law; the income tests read the value of the registration date."
    ),
    "ha_term_days": _(
        "Standard of the service (seed 000, Appendix 2): the whole term; review, verification and notice "
        "should add up to it."
    ),
    "ha_review_days": _("Seed 000, para 9: review of the completeness of the documents."),
    "ha_verification_days": _("Seed 000, para 9: verification of the documents and data."),
    "ha_decision_days": _("Seed 000, para 9: the notice of assignment or the reasoned refusal."),
    "ha_share_percent": _(
        "Maslikhat decision: the share of the family's average monthly income spent on housing (5-10 % seen)."
    ),
    "ha_norm_maintenance": _NORM,
    "ha_norm_utilities": _NORM,
    "ha_norm_telecom": _NORM,
    "ha_norm_rent": _NORM,
    "certificate_msl_multiplier": _(
        "Rules for housing certificates (seed 004): the income per person may not exceed this many MSL."
    ),
    "certificate_child_age": _CERT_AGE,
    "certificate_student_age": _CERT_AGE,
    "certificate_income_months": _("Rules for housing certificates (seed 004): months of income tested."),
    "certificate_decision_days": _CERT_STEP,
    "certificate_visit_days": _CERT_STEP,
    "certificate_agreement_days_social": _CERT_STEP,
    "certificate_agreement_days_loan": _CERT_STEP,
    "certificate_transfer_days": _CERT_STEP,
    "certificate_bank_documents_days": _CERT_STEP,
    "certificate_loan_rate": _(
        "Rules for housing certificates (seed 004): the budget loan's rate, % a year."
    ),
    "certificate_loan_max_months": _(
        "Rules for housing certificates (seed 004): the longest budget loan term."
    ),
    "complaint_answer_days": _(
        "Seed 000, para 13: the answer term of a complaint to the provider or the authorized body."
    ),
    "complaint_quality_control_answer_days": _(
        "Seed 000, para 13: the answer term of a complaint to the quality-control body."
    ),
}


def help_of(key: str) -> str:
    spec = parameters.REGISTRY.get(key)
    parts = [str(HELP[key])] if key in HELP else []
    if spec is not None:
        parts.append(spec.rule.help_text)
    return " ".join(parts)


def service_of(key: str) -> str:
    for prefix, service in SERVICE_PREFIXES:
        if key.startswith(prefix):
            return service
    return "common"


def label_of(key: str) -> str:
    spec = parameters.REGISTRY.get(key)
    return str(spec.label) if spec else key


def case_models_reading(key: str) -> list:
    """The case models whose terms or amounts read ``key`` on their registration date."""
    from applications.models import Application
    from certificates.models import CertificateRequest
    from complaints.models import Complaint

    by_service = {
        "housing_assistance": [Application],
        "housing_certificate": [CertificateRequest],
        "complaint": [Complaint],
        "common": [Application, CertificateRequest],  # the MSL
    }
    return by_service[service_of(key)]


def open_cases_affected(key: str, provider, valid_from: dt.date) -> int:
    """Open cases registered while this version is (would be) in force: from ``valid_from``
    to the next version of the same key and level."""
    later = (
        Parameter.objects.filter(key=key, provider=provider, valid_from__gt=valid_from)
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    total = 0
    for model in case_models_reading(key):
        qs = model.objects.filter(closed_at__isnull=True, registered_on__gte=valid_from)
        if later is not None:
            qs = qs.filter(registered_on__lt=later)
        if provider is not None:
            qs = qs.filter(provider=provider)
        total += qs.count()
    return total


def format_value(key: str, value) -> str:
    spec = parameters.REGISTRY.get(key)
    if value is None:
        return "—"
    rule = parameters.rule_for(spec.unit) if spec else None
    unit = rule.unit_label if rule else ""
    return f"{number(value)}\u00a0{unit}".strip()


class ParameterForm(forms.ModelForm):
    key = forms.ChoiceField(label=_("parameter"), choices=())
    confirm_retroactive = forms.BooleanField(
        label=_("I confirm: this version applies to cases already registered"),
        required=False,
        help_text=_("Needed when the version starts today or earlier."),
    )
    user = None

    class Meta:
        model = Parameter
        fields = ["key", "provider", "valid_from", "value", "legal_basis"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].widget.attrs["style"] = "max-width: 100%; width: 42em"
        self.fields["key"].choices = [("", "—")] + sorted(
            ((k, str(s.label)) for k, s in parameters.REGISTRY.items()), key=lambda c: c[1]
        )
        self.fields["legal_basis"].required = True
        self.fields["legal_basis"].help_text = _("The decree, law or maslikhat decision and its date.")
        self.fields["provider"].help_text = _(
            "Empty: the national value. A provider's own value wins over it."
        )
        key = self.instance.key or self.initial.get("key")
        if key in parameters.REGISTRY:
            self.fields["value"].help_text = help_of(key)
        else:
            self.fields["value"].help_text = _(
                "Terms: a whole number of working days from 1 to 120. Sums: tenge, greater than zero. "
                "Percentages: greater than 0, at most 100."
            )
        if self.instance.pk:
            self.fields["key"].disabled = True
        if self.user is not None and provider_ids(self.user) is not None:
            self.fields["provider"].required = True
            self.fields["provider"].help_text = _("Your providers' own values.")

    def clean(self):
        data = super().clean()
        key, valid_from, value = data.get("key"), data.get("valid_from"), data.get("value")
        if key is None or valid_from is None or value is None or self.errors:
            return data
        if not self._retroactive(valid_from):
            return data
        provider = data.get("provider")
        try:
            old = parameters.value_on(key, valid_from, provider)
        except parameters.ParameterMissing:
            old = None
        if self.instance.pk and self.instance.valid_from == valid_from:
            old = self.instance.value if "value" in self.changed_data else old
        count = open_cases_affected(key, provider, valid_from)
        self.impact = gettext(
            "This version is in force from %(date)s, which is today or in the past. %(count)s open cases "
            "registered since then read this parameter: for them it changes from %(old)s to %(new)s, and "
            "every deadline or amount they compute from now on uses the new value."
        ) % {
            "date": valid_from.strftime("%d.%m.%Y"),
            "count": number(count),
            "old": format_value(key, old) if old is not None else "—",
            "new": format_value(key, value),
        }
        if not data.get("confirm_retroactive"):
            self.add_error("confirm_retroactive", self.impact)
        return data

    def _retroactive(self, valid_from: dt.date) -> bool:
        if valid_from > timezone.localdate():
            return False
        if not self.instance.pk:
            return True
        return bool({"value", "valid_from", "provider"} & set(self.changed_data)) or (
            self.instance.valid_from != valid_from
        )


class ParameterServiceFilter(admin.SimpleListFilter):
    title = _("service")
    parameter_name = "service"

    def lookups(self, request, model_admin):
        return [(service, SERVICE_LABELS[service]) for _prefix, service in SERVICE_PREFIXES] + [
            ("common", _("Common to the services"))
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "common":
            for prefix, _service in SERVICE_PREFIXES:
                queryset = queryset.exclude(key__startswith=prefix)
            return queryset
        for prefix, service in SERVICE_PREFIXES:
            if value == service:
                return queryset.filter(key__startswith=prefix)
        return queryset


class ParameterKeyFilter(admin.SimpleListFilter):
    title = _("parameter")
    parameter_name = "key"

    def lookups(self, request, model_admin):
        return sorted(((k, str(s.label)) for k, s in parameters.REGISTRY.items()), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value() in parameters.REGISTRY:
            return queryset.filter(key=self.value())
        return queryset


class ParameterLevelFilter(admin.SimpleListFilter):
    title = _("national or provider's")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        own = [(str(p.pk), str(p)) for p in scope(ServiceProvider.objects.all(), request.user)]
        return [("national", _("National value"))] + own

    def queryset(self, request, queryset):
        value = self.value()
        if value == "national":
            return queryset.filter(provider__isnull=True)
        if value and value.isdigit():
            return queryset.filter(provider_id=int(value))
        return queryset


class InForceFilter(admin.SimpleListFilter):
    title = _("period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [("future", _("Starts in the future")), ("started", _("Already started"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        if self.value() == "started":
            return queryset.filter(valid_from__lte=today)
        return queryset


class ParameterAdminMixin:
    form = ParameterForm
    list_display = ["name_display", "value_display", "valid_from", "provider_display", "basis_display"]
    list_display_links = ["name_display"]
    list_filter = [ParameterServiceFilter, ParameterKeyFilter, ParameterLevelFilter, InForceFilter]
    list_select_related = ["provider"]
    search_fields = ["key", "legal_basis"]
    search_help_text = _("Search by the parameter's name, its code or the legal basis.")
    ordering = ["key", "provider_id", "-valid_from"]
    list_per_page = 50
    fields = ["key", "provider", "valid_from", "value", "legal_basis", "confirm_retroactive"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        # The translated names are not in the table: match them here, then by code and basis.
        keys = [k for k, s in parameters.REGISTRY.items() if term.lower() in str(s.label).lower()]
        condition = Q(key__icontains=term) | Q(legal_basis__icontains=term) | Q(key__in=keys)
        return queryset.filter(condition), False

    @admin.display(description=_("parameter"), ordering="key")
    def name_display(self, obj):
        return format_html(
            '<span title="{}">{}</span><br><small class="quiet">{}</small>',
            help_of(obj.key),
            label_of(obj.key),
            obj.key,
        )

    @admin.display(description=_("value"), ordering="value")
    def value_display(self, obj):
        return format_html('<span style="white-space:nowrap">{}</span>', format_value(obj.key, obj.value))

    @admin.display(description=_("provider"), ordering="provider__code")
    def provider_display(self, obj):
        return str(obj.provider) if obj.provider_id else gettext("National value")

    @admin.display(description=_("legal basis"))
    def basis_display(self, obj):
        return format_html(
            '<span title="{}">{}</span>', obj.legal_basis, Truncator(obj.legal_basis).chars(70)
        )

    def _own(self, request, obj) -> bool:
        ids = provider_ids(request.user)
        return ids is None or (obj is not None and obj.provider_id in ids)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or self._own(request, obj))

    def has_delete_permission(self, request, obj=None):
        # A version already in force counted deadlines of registered cases: it stays.
        if obj is None or obj.valid_from <= timezone.localdate():
            return False
        return super().has_delete_permission(request, obj) and self._own(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
