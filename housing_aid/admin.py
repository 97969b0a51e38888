from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from housing_aid import parameters
from housing_aid.models import (
    Attachment,
    CalendarOverride,
    CaseEvent,
    CaseStage,
    IssuedDocument,
    Parameter,
    Person,
    ServiceProvider,
    StaffProfile,
)

User = get_user_model()


@admin.register(ServiceProvider)
class ServiceProviderAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "name_kk", "region", "kind", "opens_at", "closes_at", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["code", "name_ru", "name_kk", "name_en"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    filter_horizontal = ["providers"]


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_select_related = ["staff"]

    @admin.display(description="role")
    def role(self, obj):
        profile = getattr(obj, "staff", None)
        return profile.get_role_display() if profile else "-"


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "name", "legal_basis"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["name", "legal_basis"]


class ParameterForm(forms.ModelForm):
    key = forms.ChoiceField(choices=())

    class Meta:
        model = Parameter
        fields = ["key", "provider", "valid_from", "value", "legal_basis"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = sorted((k, f"{s.label} [{k}]") for k, s in parameters.REGISTRY.items())


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    form = ParameterForm
    list_display = ["key", "provider", "valid_from", "value", "legal_basis"]
    list_filter = ["key", "provider"]
    list_select_related = ["provider"]
    date_hierarchy = "valid_from"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "case_number", "service", "transition", "from_state", "to_state", "actor_name"]
    list_filter = ["service", "transition"]
    search_fields = ["case_number", "actor_name"]
    date_hierarchy = "at"


@admin.register(CaseStage)
class CaseStageAdmin(ReadOnlyAdmin):
    list_display = ["case_number", "service", "stage", "started_on", "due_date", "assignee", "closed_on"]
    list_filter = ["service", "stage"]
    search_fields = ["case_number"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "case_number", "language", "issued_at", "sha256", "handed_out_at"]
    list_filter = ["kind", "language"]
    search_fields = ["number", "case_number", "sha256"]
    exclude = ["pdf"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "document_code", "media_type", "size", "uploaded_at"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["iin", "last_name", "first_name", "patronymic", "birth_date"]
    search_fields = ["iin", "last_name"]
