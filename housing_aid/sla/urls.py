from django.urls import path

from housing_aid.placeholders import coming_soon

app_name = "sla"

urlpatterns = [
    path("dashboard/", coming_soon, name="dashboard"),
    path("notifications/", coming_soon, name="notifications"),
]
