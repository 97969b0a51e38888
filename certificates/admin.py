"""Certificate programs are edited here; requests and loans are read (their changes go through
the services). A program's budget and issuance move only through its declared actions
(``programs.PROGRAM_ACTIONS``, run by the kernel's runner): the admin never writes
``committed`` or ``terminated`` itself."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certificates import programs
from certificates.models import (
    ZERO,
    Announcement,
    CertificateProgram,
    CertificateRequest,
    Loan,
    ProgramEvent,
    ProgramEventKind,
)
from housing_aid.actions import run_action, validation_errors
from housing_aid.admin_base import (
    SEARCH_HELP,
    NationalListMixin,
    ProviderFilter,
    ReadOnlyMixin,
    ScopedAdmin,
    money,
)
from housing_aid.cases import CaseConflict


class ListOfNamesField(forms.MultiValueField):
    """A list of names as check boxes (the names other programs use) plus new ones, one a line."""

    def __init__(self, *, choices=(), **kwargs):
        fields = (forms.MultipleChoiceField(choices=choices, required=False), forms.CharField(required=False))
        widget = ListOfNamesWidget(choices=choices)
        super().__init__(fields=fields, widget=widget, require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list):
        chosen = data_list[0] if data_list else []
        other = data_list[1] if len(data_list) > 1 else ""
        names = list(chosen or [])
        for line in (other or "").splitlines():
            line = line.strip()
            if line and line not in names:
                names.append(line)
        return names


class ListOfNamesWidget(forms.MultiWidget):
    def __init__(self, choices=()):
        widgets = (
            forms.CheckboxSelectMultiple(choices=choices),
            forms.Textarea(attrs={"rows": 2, "cols": 50}),
        )
        super().__init__(widgets)

    def get_context(self, name, value, attrs):
        # MultiWidget takes any list as already split; a stored list of names is not.
        if not (isinstance(value, (list, tuple)) and len(value) == 2 and isinstance(value[0], list)):
            value = self.decompress(value)
        return super().get_context(name, value, attrs)

    def decompress(self, value):
        value = list(value or [])
        known = {str(c[0]) for c in self.widgets[0].choices}
        return [[v for v in value if v in known], "\n".join(v for v in value if v not in known)]


def _names_in_use(field: str, current) -> list[tuple[str, str]]:
    names: set[str] = set(current or [])
    for row in CertificateProgram.objects.values_list(field, flat=True)[:500]:
        names.update(n for n in (row or []) if isinstance(n, str))
    return [(n, n) for n in sorted(names)]


class CertificateProgramForm(forms.ModelForm):
    budget_reason = forms.CharField(
        label=_("Reason for the budget change"),
        required=False,
        help_text=_("The maslikhat decision that changed the budget; kept in the program's history."),
    )
    resume_issuance = forms.BooleanField(
        label=_("Resume issuance"),
        required=False,
        help_text=_(
            "Issuance was terminated and the announcement published. Tick to resume it (the "
            "remaining funds must pay one more certificate); give the reason above."
        ),
    )

    class Meta:
        model = CertificateProgram
        fields = [
            "provider",
            "year",
            "decision",
            "budget",
            "amount_kind",
            "amount_value",
            "amount_cap",
            "categories",
            "mortgage_programs",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label, help_text in (
            ("categories", _("Categories of recipients"), _("Empty: every category.")),
            ("mortgage_programs", _("Eligible mortgage programmes"), _("Empty: every programme.")),
        ):
            self.fields[name] = ListOfNamesField(
                choices=_names_in_use(name, getattr(self.instance, name, None)),
                label=label,
                help_text=_("Tick the names; add new ones one a line.") + " " + help_text,
            )
        if not (self.instance.pk and self.instance.terminated):
            self.fields.pop("resume_issuance")

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Enter a financial year."))
        return year

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        if budget is not None and budget < ZERO:
            raise ValidationError(_("The budget cannot be negative."))
        if self.instance.pk and budget < self.instance.committed:
            raise ValidationError(
                _("The budget cannot be less than the committed %(sum)s.")
                % {"sum": money(self.instance.committed)}
            )
        return budget

    def clean(self):
        data = super().clean()
        if data.get("resume_issuance") and not (data.get("budget_reason") or "").strip():
            self.add_error("budget_reason", _("Give the reason (the decision that added the funds)."))
        return data


class AnnouncementInline(ReadOnlyMixin, admin.StackedInline):
    model = Announcement
    extra = 0
    fields = ["published_at", "text_ru", "text_kk", "text_en"]
    readonly_fields = fields


class ProgramEventInline(ReadOnlyMixin, admin.TabularInline):
    model = ProgramEvent
    extra = 0
    fields = ["at", "kind", "before", "after", "committed_sum", "terminated", "actor_name", "reason"]
    readonly_fields = fields
    ordering = ["-at", "-id"]

    @admin.display(description=_("budget before"))
    def before(self, obj):
        return money(obj.budget_before)

    @admin.display(description=_("budget after"))
    def after(self, obj):
        return money(obj.budget_after)

    @admin.display(description=_("committed at the time"))
    def committed_sum(self, obj):
        return money(obj.committed)


@admin.register(CertificateProgram)
class CertificateProgramAdmin(ScopedAdmin):
    """Administrators create and edit programs; ``committed`` moves only through approvals and lapses."""

    form = CertificateProgramForm
    list_display = [
        "provider",
        "year",
        "budget_display",
        "committed_display",
        "remaining_display",
        "amount_kind",
        "amount_display",
        "terminated",
    ]
    list_filter = ["year", "terminated", "amount_kind", ProviderFilter]
    list_select_related = ["provider"]
    search_fields = ["provider__code", "provider__name_ru", "provider__name_kk", "decision"]
    readonly_fields = ["committed_display", "remaining_display", "terminated", "terminated_at"]
    inlines = [AnnouncementInline, ProgramEventInline]

    def get_fieldsets(self, request, obj=None):
        main = ["provider", "year", "decision"] if obj is None else ["decision"]
        money_fields = ["budget", "budget_reason"]
        if obj is not None:
            money_fields += ["committed_display", "remaining_display"]
        if obj is not None and obj.terminated:
            money_fields += ["terminated", "terminated_at", "resume_issuance"]
        return [
            (None, {"fields": main}),
            (_("Budget"), {"fields": money_fields}),
            (_("Amount of a certificate"), {"fields": ["amount_kind", "amount_value", "amount_cap"]}),
            (_("Who may receive"), {"fields": ["categories", "mortgage_programs"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields += ["provider", "year"]
        return fields

    @admin.display(description=_("budget"), ordering="budget")
    def budget_display(self, obj):
        return money(obj.budget)

    @admin.display(description=_("committed"), ordering="committed")
    def committed_display(self, obj):
        return money(obj.committed)

    @admin.display(description=_("remaining"))
    def remaining_display(self, obj):
        return money(obj.remaining)

    @admin.display(description=_("amount or percent"))
    def amount_display(self, obj):
        if obj.amount_kind == "fixed":
            return money(obj.amount_value)
        cap = f" ≤ {money(obj.amount_cap)}" if obj.amount_cap is not None else ""
        return f"{money(obj.amount_value, '%')}{cap}"

    def save_model(self, request, obj, form, change):
        if not change:
            with transaction.atomic():
                obj.committed = ZERO
                obj.terminated = False
                obj.save()
                programs.record_program_event(
                    obj,
                    ProgramEventKind.CREATED,
                    request.user,
                    reason=form.cleaned_data.get("budget_reason", ""),
                )
            return
        # Only the fields the form changed, never committed / terminated from this (unlocked) read.
        editable = set(CertificateProgramForm.Meta.fields) - {"budget", "provider", "year"}
        plain = [f for f in form.changed_data if f in editable]
        reason = form.cleaned_data.get("budget_reason", "")
        # Terms and money move through the runner, under the program's row lock, with its event row.
        todo = []
        if plain:
            todo.append(("change_terms", {"terms": {f: getattr(obj, f) for f in plain}, "reason": reason}))
        if "budget" in form.changed_data:
            todo.append(("change_budget", {"budget": obj.budget, "reason": reason}))
        if form.cleaned_data.get("resume_issuance"):
            todo.append(("resume_issuance", {"reason": reason}))
        for name, body in todo:
            try:
                run_action(programs.PROGRAM_ACTIONS, obj, name, request.user, body)
            except serializers.ValidationError as error:
                for lines in validation_errors(error).values():
                    for message in lines:
                        self.message_user(request, message, messages.ERROR)
            except (CaseConflict, PermissionDenied) as error:
                self.message_user(request, str(error), messages.ERROR)
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None):
        # A program that any request draws on (or any money committed) is referenced: no Delete.
        if obj is None:
            return False
        return obj.committed == ZERO and not obj.requests.exists()

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(CertificateRequest)
class CertificateRequestAdmin(NationalListMixin, ReadOnlyMixin, ScopedAdmin):
    """Read-only: every change goes through the services (worklist screens and API)."""

    list_display = [
        "number",
        "provider",
        "status",
        "kind",
        "amount_display",
        "registered_on",
        "stage_due_date",
    ]
    list_filter = ["status", "kind", ProviderFilter]
    search_fields = ["number"]
    search_help_text = SEARCH_HELP
    iin_lookup = "applicant__iin"
    surname_lookup = "applicant__last_name"
    list_select_related = ["provider"]

    @admin.display(description=_("certificate amount"), ordering="amount")
    def amount_display(self, obj):
        return money(obj.amount)


@admin.register(Loan)
class LoanAdmin(NationalListMixin, ReadOnlyMixin, ScopedAdmin):
    list_display = ["number", "provider", "principal_display", "term_months", "paid_display", "cancelled_on"]
    list_filter = [ProviderFilter]
    list_select_related = ["provider"]
    search_fields = ["number"]
    iin_lookup = "request__applicant__iin"
    surname_lookup = "request__applicant__last_name"

    @admin.display(description=_("principal"), ordering="principal")
    def principal_display(self, obj):
        return money(obj.principal)

    @admin.display(description=_("repaid"), ordering="paid_total")
    def paid_display(self, obj):
        return money(obj.paid_total)


@admin.register(ProgramEvent)
class ProgramEventAdmin(ReadOnlyMixin, ScopedAdmin):
    """The history of every program's budget and issuance (append-only)."""

    list_display = ["at", "program", "kind", "before", "after", "committed_sum", "terminated", "actor_name"]
    list_filter = ["kind"]
    list_select_related = ["program__provider"]

    before = ProgramEventInline.before
    after = ProgramEventInline.after
    committed_sum = ProgramEventInline.committed_sum
