from django.urls import path

from certificates import api

urlpatterns = [
    path("certificate-programs/", api.ProgramListView.as_view(), name="api_certificate_programs"),
    path("certificate-programs/<int:pk>/", api.ProgramDetailView.as_view(), name="api_certificate_program"),
    path("certificates/", api.CertificateListView.as_view(), name="api_certificates"),
    path("certificates/<int:pk>/", api.CertificateDetailView.as_view(), name="api_certificate"),
    path(
        "certificates/<int:pk>/transitions/<str:name>/",
        api.CertificateTransitionView.as_view(),
        name="api_certificate_transition",
    ),
    path("loans/<int:pk>/", api.LoanDetailView.as_view(), name="api_loan"),
    path(
        "loans/<int:pk>/repayments/<int:rid>/reverse/",
        api.RepaymentReversalView.as_view(),
        name="api_loan_repayment_reverse",
    ),
    path("loans/<int:pk>/repayments/", api.RepaymentView.as_view(), name="api_loan_repayments"),
]
