from __future__ import annotations

from django.contrib import admin

from complaints.models import Complaint
from housing_aid.admin_base import NationalListMixin, ProviderFilter, ReadOnlyMixin, ScopedAdmin


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyMixin, NationalListMixin, ScopedAdmin):
    """Read-only: every change goes through the services (and their events)."""

    list_display = ["number", "provider", "addressee", "channel", "status", "registered_on", "due_date"]
    list_filter = ["status", "addressee", "channel", ProviderFilter]
    search_fields = ["number"]
    iin_lookup = "complainant_iin"
    surname_lookup = "complainant_last_name"
    list_select_related = ["provider"]
