from django.urls import path

from certificates import api
from housing_aid.api.routes import case_api_urls

urlpatterns = [
    path("certificate-programs/", api.ProgramListView.as_view(), name="api_certificate_programs"),
    path("certificate-programs/<int:pk>/", api.ProgramDetailView.as_view(), name="api_certificate_program"),
    *case_api_urls(
        "certificates",
        "certificate",
        (api.CertificateListView, api.CertificateDetailView, api.CertificateTransitionView),
    ),
    path("loans/<int:pk>/", api.LoanDetailView.as_view(), name="api_loan"),
    path(
        "loans/<int:pk>/repayments/<int:rid>/reverse/",
        api.RepaymentReversalView.as_view(),
        name="api_loan_repayment_reverse",
    ),
    path("loans/<int:pk>/repayments/", api.RepaymentView.as_view(), name="api_loan_repayments"),
]
