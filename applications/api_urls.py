from applications import api
from applications.models import Application
from housing_aid.api.routes import case_api_urls
from housing_aid.eds.api import SigningSessionView

urlpatterns = case_api_urls(
    "applications",
    "application",
    (api.ApplicationListCreateView, api.ApplicationDetailView, api.ApplicationTransitionView),
    signing_sessions=SigningSessionView.as_view(model=Application),
    attachments=api.ApplicationAttachmentView,
)
