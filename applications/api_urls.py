from django.urls import path

from applications import api

urlpatterns = [
    path("applications/", api.ApplicationListCreateView.as_view(), name="api_applications"),
    path("applications/<int:pk>/", api.ApplicationDetailView.as_view(), name="api_application"),
    path(
        "applications/<int:pk>/transitions/<str:name>/",
        api.ApplicationTransitionView.as_view(),
        name="api_application_transition",
    ),
    path(
        "applications/<int:pk>/attachments/",
        api.ApplicationAttachmentView.as_view(),
        name="api_application_attachments",
    ),
]
