"""The signed-in user in one query.

Every page reads the user's role (scope, menu, second factor), the providers of its scope
(the header names them) and the header's bell, so the session's user is loaded with its
staff profile, its providers (PostgreSQL: an array subquery; the other fields of a provider
stay deferred) and its count of unread notifications (on the partial ``notification_unread``
index) instead of four queries per request.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, JSONObject

# What the header and the scope read of a provider; the rest loads on access.
PROVIDER_FIELDS = ("id", "code", "region", "name_ru", "name_kk", "name_en")


class StaffModelBackend(ModelBackend):
    def get_user(self, user_id):
        from housing_aid.models import ServiceProvider
        from housing_aid.sla.models import Notification

        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
            .order_by()
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")
        )
        qs = (
            get_user_model()
            ._default_manager.select_related("staff")
            .annotate(unread_notifications=Coalesce(Subquery(unread), 0))
        )
        if connection.vendor == "postgresql":
            from django.contrib.postgres.expressions import ArraySubquery

            providers = ServiceProvider.objects.filter(staff__user=OuterRef("pk")).values(
                row=JSONObject(**{f: f for f in PROVIDER_FIELDS})
            )
            qs = qs.annotate(provider_rows=ArraySubquery(providers))
        user = qs.filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        if hasattr(user, "provider_rows"):
            scoped = user.staff if hasattr(user, "staff") and not user.staff.all_providers else None
            user._providers_cache = [
                ServiceProvider.from_db("default", PROVIDER_FIELDS, [row[f] for f in PROVIDER_FIELDS])
                for row in (user.provider_rows if scoped is not None else [])
            ]
        return user
