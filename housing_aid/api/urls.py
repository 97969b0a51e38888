from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from housing_aid.api import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api_token"),
    path("providers/", views.ProvidersView.as_view(), name="api_providers"),
    path("calendar/working-days/", views.WorkingDaysView.as_view(), name="api_working_days"),
    path("calendar/add-working-days/", views.AddWorkingDaysView.as_view(), name="api_add_working_days"),
    path("documents/<str:number>/pdf/", views.DocumentPdfView.as_view(), name="api_document_pdf"),
    path("status/", views.StatusView.as_view(), name="api_status"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("", include("applications.api_urls")),
    path("", include("certificates.api_urls")),
    path("", include("complaints.api_urls")),
    path("", include("housing_aid.sla.api_urls")),
    path("", include("housing_aid.casework.api_urls")),
]
