from django.urls import path

from housing_aid.sla import api

urlpatterns = [
    path("notifications/", api.NotificationListView.as_view(), name="api_notifications"),
    path("notifications/read/", api.NotificationReadAllView.as_view(), name="api_notifications_read"),
    path("notifications/<int:pk>/read/", api.NotificationReadView.as_view(), name="api_notification_read"),
]
