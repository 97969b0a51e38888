from __future__ import annotations

from django.contrib import admin

from housing_aid.admin_base import NationalListMixin, ProviderFilter, ReadOnlyMixin, ScopedAdmin
from housing_aid.sla.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, NationalListMixin, ScopedAdmin):
    """Read-only: notifications are written by the sweep, never by hand."""

    list_display = [
        "id",
        "kind",
        "case_number",
        "stage",
        "due_date",
        "recipient",
        "created_at",
        "read_at",
        "email_sent_at",
    ]
    list_filter = ["kind", "service", ProviderFilter]
    search_fields = ["case_number"]
    number_lookup = "case_number"
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]
