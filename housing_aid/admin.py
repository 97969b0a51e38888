"""The kernel's admin: providers, staff users, the calendar, effective-dated parameters, and
read-only views of events, stages, documents, attachments and persons.

Every list and page goes through the provider scope (``admin_base.scope``)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from housing_aid import admin_calendar, admin_parameters, roles
from housing_aid.admin_base import (
    SEARCH_HELP,
    NationalListMixin,
    ProviderFilter,
    ReadOnlyMixin,
    ScopedAdmin,
    column,
    number,
    provider_ids,
    scope,
)
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
from housing_aid.registry import SERVICE_LABELS

User = get_user_model()

SERVICES = list(SERVICE_LABELS.items())


def status_label(service: str, status: str) -> str:
    """The case model's translated label of ``status`` (the event stores the code)."""
    from housing_aid.admin_base import _case_models

    for model in _case_models():
        if model.SERVICE == service:
            return str(dict(model._meta.get_field("status").choices).get(status, status))
    return status


def event_label(service: str, transition: str) -> str:
    """The service's translated name of what an event did (the event stores the action's code)."""
    from applications.actions import EVENT_TYPES as HOUSING_ASSISTANCE
    from certificates.actions import EVENT_TYPES as HOUSING_CERTIFICATE
    from complaints.actions import EVENT_TYPES as COMPLAINT

    types = {
        "housing_assistance": HOUSING_ASSISTANCE,
        "housing_certificate": HOUSING_CERTIFICATE,
        "complaint": COMPLAINT,
    }.get(service, {})
    return str(types.get(transition, transition))


class ServiceFilter(admin.SimpleListFilter):
    """Fixed choices: no ``SELECT DISTINCT`` over a national-size table."""

    title = _("service")
    parameter_name = "service"

    def lookups(self, request, model_admin):
        return SERVICES

    def queryset(self, request, queryset):
        if self.value() in dict(SERVICES):
            return queryset.filter(service=self.value())
        return queryset


@admin.register(ServiceProvider)
class ServiceProviderAdmin(ScopedAdmin):
    list_display = ["code", "name_ru", "name_kk", "region", "kind", "opens_at", "closes_at", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["code", "name_ru", "name_kk", "name_en"]

    def has_add_permission(self, request):
        return provider_ids(request.user) is None

    def has_delete_permission(self, request, obj=None):
        # Cases, staff and parameters refer to providers: deactivate instead.
        return False


# -- staff users: role, providers and second factor first -----------------------------------
def second_factor_model():
    """The confirmed-device model of django-otp (TOTP) when installed (engineer "sec" adds it)."""
    from django.apps import apps

    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return None
    return apps.get_model("otp_totp", "TOTPDevice")


def has_second_factor(user) -> bool | None:
    model = second_factor_model()
    if model is None:
        return None
    return model.objects.filter(user=user, confirmed=True).exists()


class StaffFields(forms.Form):
    """The staff profile's fields, added to the user forms of the admin (change and add)."""

    role = forms.ChoiceField(label=_("role"), choices=[("", "—"), *roles.Role.choices], required=False)
    all_providers = forms.BooleanField(
        label=_("all providers"),
        required=False,
        help_text=_("National staff (auditors, the quality-control body, national administrators)."),
    )
    providers = forms.ModelMultipleChoiceField(
        label=_("providers"),
        queryset=ServiceProvider.objects.none(),
        required=False,
        widget=FilteredSelectMultiple(_("providers"), is_stacked=False),
    )
    position = forms.CharField(label=_("position"), max_length=255, required=False)
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES, initial="ru")

    STAFF_FIELDS = ["role", "all_providers", "providers", "position", "language"]

    def setup_staff_fields(self, request):
        self.fields["providers"].queryset = scope(ServiceProvider.objects.all(), request.user)
        if provider_ids(request.user) is not None:
            # A provider's administrator cannot hand out national scope.
            self.fields["all_providers"].disabled = True
        profile = getattr(self.instance, "staff", None) if self.instance.pk else None
        if profile is not None:
            self.initial.update(
                role=profile.role,
                all_providers=profile.all_providers,
                providers=list(profile.providers.all()),
                position=profile.position,
                language=profile.language,
            )

    def clean(self):
        data = super().clean()
        if data.get("role") and not data.get("all_providers") and not data.get("providers"):
            self.add_error("providers", _("Choose the providers this person works for."))
        return data


class StaffUserChangeForm(StaffFields, BaseUserAdmin.form):
    pass


class StaffUserCreationForm(StaffFields, BaseUserAdmin.add_form):
    pass


class RoleFilter(admin.SimpleListFilter):
    title = _("role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return roles.Role.choices

    def queryset(self, request, queryset):
        if self.value() in roles.Role.values:
            return queryset.filter(staff__role=self.value())
        return queryset


class StaffProviderFilter(ProviderFilter):
    lookup = "staff__providers"


class SecondFactorFilter(admin.SimpleListFilter):
    title = _("second factor")
    parameter_name = "second_factor"

    def lookups(self, request, model_admin):
        if second_factor_model() is None:
            return []
        return [("yes", _("Set up")), ("no", _("Not set up"))]

    def queryset(self, request, queryset):
        model = second_factor_model()
        if model is None or self.value() not in ("yes", "no"):
            return queryset
        devices = Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True))
        return queryset.filter(devices) if self.value() == "yes" else queryset.exclude(devices)


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(ScopedAdmin, BaseUserAdmin):
    """Staff users, led by what matters: role, providers and the second factor.

    Django's permissions follow the role (an administrator is staff and superuser, nobody
    else enters the admin), so the raw permission widgets are not shown."""

    form = StaffUserChangeForm
    add_form = StaffUserCreationForm
    list_display = ["username", "full_name", "role", "providers_display", "second_factor", "is_active"]
    list_filter = [RoleFilter, StaffProviderFilter, SecondFactorFilter, "is_active"]
    list_select_related = ["staff"]
    search_fields = ["username", "first_name", "last_name", "email"]
    filter_horizontal = []
    fieldsets = [
        (_("Role and providers"), {"fields": ["role", "all_providers", "providers", "second_factor"]}),
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["last_name", "first_name", "email", "position", "language"]}),
        (_("Status"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (_("Role and providers"), {"fields": ["role", "all_providers", "providers"]}),
        (None, {"fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Person"), {"fields": ["last_name", "first_name", "email", "position", "language"]}),
    ]
    readonly_fields = ["second_factor", "last_login", "date_joined"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("staff__providers")

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class WithRequest(form_class):
            def __init__(self, *args, **inner):
                super().__init__(*args, **inner)
                self.setup_staff_fields(request)

        return WithRequest

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            names = {f for _name, opts in fieldsets for f in opts["fields"]}
            form_fields = BaseUserAdmin.add_form.base_fields
            if "usable_password" in names and "usable_password" not in form_fields:
                fieldsets = [
                    (name, {**opts, "fields": [f for f in opts["fields"] if f != "usable_password"]})
                    for name, opts in fieldsets
                ]
        return fieldsets

    def save_model(self, request, obj, form, change):
        role = form.cleaned_data.get("role") or ""
        # The role decides who enters the admin: only administrators.
        obj.is_staff = obj.is_superuser = role == roles.Role.ADMINISTRATOR
        super().save_model(request, obj, form, change)
        if not role:
            return
        all_providers = form.cleaned_data.get("all_providers", False)
        if provider_ids(request.user) is not None:
            all_providers = getattr(getattr(obj, "staff", None), "all_providers", False)
        profile, _created = StaffProfile.objects.update_or_create(
            user=obj,
            defaults={
                "role": role,
                "all_providers": all_providers,
                "position": form.cleaned_data.get("position", ""),
                "language": form.cleaned_data.get("language") or "ru",
            },
        )
        chosen = list(form.cleaned_data.get("providers") or [])
        ids = provider_ids(request.user)
        if ids is not None:
            # Keep the providers outside this administrator's scope as they were.
            chosen += list(profile.providers.exclude(pk__in=ids))
        profile.providers.set(chosen)

    @admin.display(description=_("full name"))
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description=_("role"), ordering="staff__role")
    def role(self, obj):
        profile = getattr(obj, "staff", None)
        return profile.get_role_display() if profile else "—"

    @admin.display(description=_("providers"))
    def providers_display(self, obj):
        profile = getattr(obj, "staff", None)
        if profile is None:
            return "—"
        if profile.all_providers:
            return gettext("All providers")
        names = [p.code for p in profile.providers.all()]
        return Truncator(", ".join(names)).chars(40)

    @admin.display(description=_("second factor"))
    def second_factor(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        status = has_second_factor(obj)
        if status is None:
            return gettext("Not available (django-otp is not installed)")
        return gettext("Set up") if status else gettext("Not set up")

    def has_delete_permission(self, request, obj=None):
        # Events, stages and documents name their staff: deactivate instead.
        return False


# -- the calendar ---------------------------------------------------------------------------
@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin_calendar.CalendarPageMixin, admin.ModelAdmin):
    list_display = ["date", "is_working_day", "name", "legal_basis"]
    list_filter = ["is_working_day"]
    search_fields = ["name", "legal_basis"]
    change_list_template = "admin/housing_aid/calendaroverride/change_list.html"

    def _national(self, request):
        return provider_ids(request.user) is None

    def has_add_permission(self, request):
        return self._national(request)

    def has_change_permission(self, request, obj=None):
        return self._national(request)

    def has_delete_permission(self, request, obj=None):
        # Past days counted deadlines already: only a future correction can be removed.
        if not self._national(request):
            return False
        return obj is None or obj.date > timezone.localdate()


# -- effective-dated parameters -----------------------------------------------------------
@admin.register(Parameter)
class ParameterAdmin(admin_parameters.ParameterAdminMixin, ScopedAdmin):
    pass


# -- read-only kernel records ---------------------------------------------------------------
class CaseLogAdmin(NationalListMixin, ReadOnlyMixin, ScopedAdmin):
    """The rows that name their case's provider, service and number (``CaseLogRow``): listed
    and filtered by them, found by the exact case number."""

    list_filter = [ServiceFilter, ProviderFilter]
    search_fields = ["case_number"]
    number_lookup = "case_number"

    @admin.display(description=_("service"), ordering="service")
    def service_display(self, obj):
        return dict(SERVICES).get(obj.service, obj.service)


@admin.register(CaseEvent)
class CaseEventAdmin(CaseLogAdmin):
    list_display = [
        column("at", _("at")),
        column("case_number", _("case number")),
        "service_display",
        "transition_display",
        "to_state_display",
        column("actor_name", _("by")),
    ]
    # The change page shows codes in the reader's words, as the list does.
    fields = [
        "at",
        "case_number",
        "service_display",
        "provider",
        "transition_display",
        "from_state_display",
        "to_state_display",
        "actor",
        "actor_name",
        "reason",
        "data",
    ]
    readonly_fields = fields
    search_help_text = SEARCH_HELP

    @admin.display(description=_("action"), ordering="transition")
    def transition_display(self, obj):
        return event_label(obj.service, obj.transition)

    @admin.display(description=_("from status"))
    def from_state_display(self, obj):
        return status_label(obj.service, obj.from_state) if obj.from_state else "—"

    @admin.display(description=_("to status"), ordering="to_state")
    def to_state_display(self, obj):
        return status_label(obj.service, obj.to_state)


@admin.register(CaseStage)
class CaseStageAdmin(CaseLogAdmin):
    list_display = [
        column("case_number", _("case number")),
        "service_display",
        "stage_display",
        column("started_on", _("started on")),
        column("due_date", _("due date")),
        column("assignee", _("executor"), ordering=False),
        column("closed_on", _("closed on")),
    ]
    fields = [
        "case_number",
        "service_display",
        "provider",
        "stage_display",
        "started_on",
        "due_date",
        "assignee",
        "closed_at",
        "closed_on",
    ]
    readonly_fields = fields
    list_select_related = ["assignee"]

    @admin.display(description=_("stage"), ordering="stage")
    def stage_display(self, obj):
        from housing_aid.sla.selectors import stage_label

        return stage_label(obj.service, obj.stage)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(NationalListMixin, ReadOnlyMixin, ScopedAdmin):
    list_display = [
        "number",
        "kind",
        column("case_number", _("case number")),
        column("language", _("language")),
        column("issued_at", _("issued at")),
        "size_display",
        column("handed_out_at", _("handed out at")),
    ]
    list_filter = ["language", ProviderFilter]
    search_fields = ["number"]
    exclude = ["pdf"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf")

    @admin.display(description=_("size"))
    def size_display(self, obj):
        return f"{number(obj.size)} B"


@admin.register(Attachment)
class AttachmentAdmin(NationalListMixin, ReadOnlyMixin, ScopedAdmin):
    list_display = [
        column("original_name", _("file")),
        "document_code",
        column("media_type", _("type")),
        column("size", _("size")),
        column("uploaded_at", _("uploaded at")),
    ]
    search_fields = ["original_name"]
    number_lookup = "original_name"


@admin.register(Person)
class PersonAdmin(NationalListMixin, ScopedAdmin):
    list_display = ["iin", "last_name", "first_name", "patronymic", "birth_date"]
    search_fields = ["iin"]
    search_help_text = _("Search by the exact IIN or the beginning of the surname.")
    number_lookup = "iin"
    iin_lookup = "iin"
    surname_lookup = "last_name"

    def has_delete_permission(self, request, obj=None):
        # Applications and requests refer to the person.
        return False
