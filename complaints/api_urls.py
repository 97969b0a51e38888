from __future__ import annotations

from django.urls import path

from complaints import api

urlpatterns = [
    path("complaints/", api.ComplaintListCreateView.as_view(), name="api_complaints"),
    path("complaints/<int:pk>/", api.ComplaintDetailView.as_view(), name="api_complaint"),
    path(
        "complaints/<int:pk>/transitions/<str:name>/",
        api.ComplaintActionView.as_view(),
        name="api_complaint_transition",
    ),
    path("complaints/<int:pk>/escalate/", api.ComplaintEscalateView.as_view(), name="api_complaint_escalate"),
    path("complaints/<int:pk>/delivery/", api.ComplaintDeliveryView.as_view(), name="api_complaint_delivery"),
    path(
        "complaints/<int:pk>/court-appeal/",
        api.ComplaintCourtAppealView.as_view(),
        name="api_complaint_court_appeal",
    ),
    path(
        "complaints/<int:pk>/attachments/",
        api.ComplaintAttachmentsView.as_view(),
        name="api_complaint_attachments",
    ),
]
