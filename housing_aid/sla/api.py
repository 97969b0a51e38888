"""``GET /api/v1/notifications/`` (API.md) and marking notifications read."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from housing_aid.api.pagination import CasePagination
from housing_aid.api.query import Flag, QueryParameters, ValidatedQuery
from housing_aid.sla import services
from housing_aid.sla.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    case_number = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "case_number",
            "due_date",
            "created_at",
            "read",
            "service",
            "stage",
            "read_at",
        ]
        read_only_fields = fields

    def get_case_number(self, obj) -> str | None:
        return obj.case_number or None

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class NotificationPagination(CasePagination):
    ordering = "-id"  # newest first: ids grow with time


class NotificationQuery(QueryParameters):
    unread = Flag(help_text="only unread notifications")


class NotificationListView(ValidatedQuery, generics.ListAPIView):
    """The caller's own notifications, newest first (``?unread=true`` for unread only)."""

    serializer_class = NotificationSerializer
    pagination_class = NotificationPagination
    query_parameters = NotificationQuery

    @extend_schema(parameters=[NotificationQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = Notification.objects.for_user(self.request.user)
        if self.query.get("unread"):
            qs = qs.unread()
        return qs


class NotificationReadView(APIView):
    """Mark one of the caller's notifications read; another user's answers 404."""

    @extend_schema(operation_id="notification_mark_read", request=None, responses=NotificationSerializer)
    def post(self, request, pk: int):
        notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
        services.mark_read(request.user, [notification.pk])
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=1000,
        help_text=_("Notification ids; all unread ones when omitted."),
    )


class NotificationReadAllView(APIView):
    """Mark the caller's notifications read: the ``ids`` given, or all unread ones."""

    @extend_schema(
        operation_id="notifications_mark_read",
        request=MarkReadSerializer,
        responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
    )
    def post(self, request):
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = services.mark_read(request.user, serializer.validated_data.get("ids"))
        return Response({"marked": count})
