from __future__ import annotations

from django.urls import path, register_converter

from housing_aid.casework import api
from housing_aid.casework.services import URL_SERVICES


class ServiceConverter:
    regex = "|".join(URL_SERVICES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ServiceConverter, "service")

urlpatterns = [
    path("<service:service>/<int:pk>/assign/", api.AssignView.as_view(), name="api_case_assign"),
    path("<service:service>/bulk-assign/", api.BulkAssignView.as_view(), name="api_case_bulk_assign"),
    path("<service:service>/<int:pk>/notes/", api.NotesView.as_view(), name="api_case_notes"),
    path("persons/<str:iin>/cases/", api.PersonCasesView.as_view(), name="api_person_cases"),
    path("substitutions/", api.SubstitutionsView.as_view(), name="api_substitutions"),
]
