from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from certificates.models import Announcement, CertificateProgram, CertificateRequest, Loan


class AnnouncementInline(admin.StackedInline):
    model = Announcement
    extra = 0


class CertificateProgramForm(forms.ModelForm):
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
            "terminated",
        ]

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        if self.instance.pk and budget < self.instance.committed:
            raise forms.ValidationError(_("The budget cannot be less than the committed sum."))
        return budget


@admin.register(CertificateProgram)
class CertificateProgramAdmin(admin.ModelAdmin):
    """Administrators create and edit programs; ``committed`` moves only through approvals and lapses."""

    list_display = [
        "provider",
        "year",
        "budget",
        "committed",
        "amount_kind",
        "amount_value",
        "amount_cap",
        "terminated",
    ]
    list_filter = ["year", "terminated", "amount_kind"]
    search_fields = ["provider__code", "provider__name_ru", "decision"]
    readonly_fields = ["committed", "terminated_at", "created_at", "updated_at"]
    inlines = [AnnouncementInline]

    form = CertificateProgramForm


@admin.register(CertificateRequest)
class CertificateRequestAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (worklist screens and API)."""

    list_display = ["number", "provider", "status", "kind", "amount", "registered_on", "stage_due_date"]
    list_filter = ["status", "kind", "provider"]
    search_fields = ["number", "applicant__iin", "applicant__last_name"]
    list_select_related = ["provider"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Loan)
class LoanAdmin(admin.ModelAdmin):
    list_display = ["number", "provider", "principal", "term_months", "paid_total", "cancelled_on"]
    list_select_related = ["provider"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
