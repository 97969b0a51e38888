from __future__ import annotations

from complaints import api
from housing_aid.api.routes import case_api_urls

urlpatterns = case_api_urls(
    "complaints",
    "complaint",
    (api.ComplaintListCreateView, api.ComplaintDetailView, api.ComplaintActionView),
    escalate=api.ComplaintEscalateView,
    delivery=api.ComplaintDeliveryView,
    court_appeal=api.ComplaintCourtAppealView,
    attachments=api.ComplaintAttachmentsView,
)
