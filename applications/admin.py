"""Administrators read applications here; every state change goes through the service screens."""

from __future__ import annotations

from django.contrib import admin

from applications.models import Application, Calculation, FamilyMember
from housing_aid.admin_base import NationalListMixin, ProviderFilter, ScopedAdmin


class FamilyMemberInline(admin.TabularInline):
    model = FamilyMember
    extra = 0
    can_delete = False
    readonly_fields = ["full_name", "iin", "birth_date", "relationship", "social_status"]

    def has_add_permission(self, request, obj=None):
        return False


class CalculationInline(admin.StackedInline):
    model = Calculation
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in Calculation._meta.fields if f.name != "id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(NationalListMixin, ScopedAdmin):
    list_display = [
        "number",
        "applicant",
        "provider",
        "status",
        "channel",
        "registered_on",
        "stage_due_date",
        "due_date",
    ]
    list_filter = ["status", "channel", ProviderFilter]
    search_fields = ["number"]
    iin_lookup = "applicant__iin"
    surname_lookup = "applicant__last_name"
    list_select_related = ["applicant", "provider"]
    inlines = [FamilyMemberInline, CalculationInline]

    def get_readonly_fields(self, request, obj=None):
        # Read-only: a change here would skip the permission, lock and event of services.transition.
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
