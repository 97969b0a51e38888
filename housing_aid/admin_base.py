"""What every ModelAdmin of the project shares: provider scope, national-size lists, amounts.

Scope (issue 10) is one rule: an administrator of some providers sees only their
providers' cases, loans, programs, documents, events, stages, notifications and
persons. Every admin queryset (lists, change pages, actions, foreign-key choices)
goes through :func:`scope`: cases through the kernel's ``visible_to``, the rest by
their provider. Outside scope is always 404, never a redirect that confirms the row exists.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from housing_aid import roles


def provider_ids(user):
    """None: every provider; else the ids of the user's providers (empty for non-staff)."""
    if roles.role_of(user) is None:
        return frozenset()
    return roles.provider_ids_for(user)


def _case_models():
    from applications.models import Application
    from certificates.models import CertificateRequest
    from complaints.models import Complaint

    return (Application, CertificateRequest, Complaint)


def scope(qs: QuerySet, user) -> QuerySet:
    """``qs`` narrowed to what ``user`` may see in the admin (see the module docstring)."""
    from certificates.models import Announcement, ProgramEvent
    from housing_aid.models import Attachment, Parameter, Person, ServiceProvider, StaffProfile
    from housing_aid.sla.models import Notification

    model = qs.model
    if roles.role_of(user) is None:
        return qs.none()
    if hasattr(qs, "visible_to"):
        return qs.visible_to(user)
    ids = provider_ids(user)
    if ids is None:
        return qs
    if model is ServiceProvider:
        return qs.filter(pk__in=ids)
    if model is Parameter:
        # National values are read by everyone; a provider's own only by its administrators.
        return qs.filter(Q(provider__isnull=True) | Q(provider_id__in=ids))
    if model is Notification:
        return qs.filter(Q(provider_id__in=ids) | Q(provider__isnull=True, recipient=user))
    if model in (Announcement, ProgramEvent):
        return qs.filter(program__provider_id__in=ids)
    if model is Person:
        from applications.models import Application
        from certificates.models import CertificateRequest

        return qs.filter(
            Exists(Application.objects.filter(applicant=OuterRef("pk"), provider_id__in=ids))
            | Exists(CertificateRequest.objects.filter(applicant=OuterRef("pk"), provider_id__in=ids))
        )
    if model is Attachment:
        from django.contrib.contenttypes.models import ContentType

        condition = Q(pk__in=[])
        for case_model in _case_models():
            ct = ContentType.objects.get_for_model(case_model)
            condition |= Q(content_type=ct) & Exists(
                case_model.objects.filter(pk=OuterRef("object_id"), provider_id__in=ids)
            )
        return qs.filter(condition)
    if model is get_user_model():
        # Staff of the same providers (and oneself); never the national administrators.
        same = StaffProfile.objects.filter(user=OuterRef("pk"), providers__in=ids, all_providers=False)
        return qs.filter(Q(pk=user.pk) | Exists(same))
    if model is StaffProfile:
        return qs.filter(Q(user=user) | Q(providers__in=ids, all_providers=False)).distinct()
    if any(f.name == "provider" for f in model._meta.get_fields()):
        return qs.filter(provider_id__in=ids)
    return qs


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every queryset goes through :func:`scope`."""

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects with "doesn't exist. Perhaps it was deleted?"; outside scope is 404.
        raise Http404

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            related = db_field.related_model
            kwargs["queryset"] = scope(related._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = scope(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedInline:
    """Foreign-key choices of inline forms through the same scope."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = scope(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "queryset" not in kwargs:
            kwargs["queryset"] = scope(db_field.related_model._default_manager.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# -- amounts ------------------------------------------------------------------------
def money(value, unit: str = "₸") -> str:
    """``1 234 567,89 ₸``: grouped by the active language's separators."""
    if value is None:
        return "—"
    text = number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0{unit}" if unit else text


def number(value) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(int(value), use_l10n=True, force_grouping=True)
    return number_format(value.normalize(), use_l10n=True, force_grouping=True)


# -- the admin at national size (issue 14) ----------------------------------------------
class EstimatedCountPaginator(Paginator):
    """Pages without ``COUNT(*)``: exact up to ``EXACT_UP_TO`` rows (a bounded read of
    ids), else PostgreSQL's planner estimate. The page itself is a LIMIT/OFFSET read."""

    EXACT_UP_TO = 1000

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        probe = len(qs.order_by().values_list("pk", flat=True)[: self.EXACT_UP_TO + 1])
        if probe <= self.EXACT_UP_TO:
            return probe
        return max(self.EXACT_UP_TO + 1, _planner_estimate(qs))

    def validate_number(self, number):
        # An estimate may be short: a page past it is still served (it may come back empty).
        try:
            return max(1, int(number))
        except (TypeError, ValueError):
            return 1

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


def _planner_estimate(qs: QuerySet) -> int:
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


CASE_NUMBER = re.compile(r"^[A-Z]{2,3}-\d+-\d{4}-\d+$", re.IGNORECASE)
IIN = re.compile(r"^\d{12}$")


class NationalListMixin:
    """Case-sized lists: no exact count, no year drill-down, exact number / IIN search first."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    date_hierarchy = None
    show_facets = admin.ShowFacets.NEVER
    # Subclasses name their exact lookups; ``surname_lookup`` is a prefix (index-friendly) search.
    number_lookup = "number"
    iin_lookup: str | None = None
    surname_lookup: str | None = None

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        if CASE_NUMBER.match(term):
            return queryset.filter(**{self.number_lookup: term.upper()}), False
        if IIN.match(term) and self.iin_lookup:
            return queryset.filter(**{self.iin_lookup: term}), False
        if self.surname_lookup:
            return queryset.filter(**{f"{self.surname_lookup}__istartswith": term}), False
        return queryset.filter(**{self.number_lookup: term}), False


SEARCH_HELP = _("Search by the exact case number or IIN; otherwise by the beginning of the surname.")


class ProviderFilter(admin.SimpleListFilter):
    """The provider filter lists only the providers in the user's scope."""

    title = _("service provider")
    parameter_name = "provider"
    lookup = "provider_id"

    def lookups(self, request, model_admin):
        from housing_aid.models import ServiceProvider

        return [(str(p.pk), str(p)) for p in scope(ServiceProvider.objects.all(), request.user)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(**{self.lookup: int(value)})
        return queryset


def column(field: str, label, *, ordering: bool = True):
    """A list column with a translated header for a model field that has no verbose name."""

    def show(obj):
        value = getattr(obj, field)
        return "—" if value in (None, "") else value

    show.__name__ = f"{field}_column"
    return admin.display(description=label, ordering=field if ordering else None)(show)
