from __future__ import annotations

from django.contrib import admin

from complaints.models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (and their events)."""

    list_display = ["number", "provider", "addressee", "channel", "status", "registered_on", "due_date"]
    list_filter = ["status", "addressee", "channel", "provider"]
    search_fields = ["number", "complainant_last_name", "complainant_iin", "case_number"]
    list_select_related = ["provider"]
    date_hierarchy = "registered_on"

    def get_queryset(self, request):
        return Complaint.objects.visible_to(request.user).select_related("provider")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
