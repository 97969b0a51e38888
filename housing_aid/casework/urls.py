from __future__ import annotations

from django.urls import path

from housing_aid.casework import views
from housing_aid.casework.api_urls import ServiceConverter  # noqa: F401 - registers "service"

app_name = "casework"

urlpatterns = [
    path("persons/", views.person, name="person_search"),
    path("persons/<str:iin>/", views.person, name="person"),
    path("absences/", views.absences, name="absences"),
    path("<service:service>/<int:pk>/assign/", views.assign, name="assign"),
    path("<service:service>/<int:pk>/notes/", views.add_note, name="add_note"),
    path("<service:service>/<int:pk>/duplicate/", views.resolve_duplicate, name="resolve_duplicate"),
    path("<service:service>/bulk-assign/", views.bulk_assign, name="bulk_assign"),
    path("<service:service>/filters/", views.save_filter, name="save_filter"),
    path("filters/<int:pk>/delete/", views.delete_filter, name="delete_filter"),
    path("<service:service>/export.csv", views.export, name="export"),
    path("<service:service>/open-elsewhere/", views.open_elsewhere, name="open_elsewhere"),
]
