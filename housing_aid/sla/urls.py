from django.urls import path

from housing_aid.sla import views

app_name = "sla"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.mark_all_read, name="mark_all_read"),
    path("notifications/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open_notification"),
]
