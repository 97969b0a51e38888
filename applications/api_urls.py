from django.urls import path

from applications import api
from applications.models import Application
from housing_aid.eds.api import SigningSessionView

urlpatterns = [
    path("applications/", api.ApplicationListCreateView.as_view(), name="api_applications"),
    path("applications/<int:pk>/", api.ApplicationDetailView.as_view(), name="api_application"),
    path(
        "applications/<int:pk>/transitions/<str:name>/",
        api.ApplicationTransitionView.as_view(),
        name="api_application_transition",
    ),
    path(
        "applications/<int:pk>/signing-sessions/",
        SigningSessionView.as_view(model=Application),
        name="api_application_signing_sessions",
    ),
    path(
        "applications/<int:pk>/attachments/",
        api.ApplicationAttachmentView.as_view(),
        name="api_application_attachments",
    ),
]
