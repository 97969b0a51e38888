from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from housing_aid import two_factor, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", two_factor.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("verify/<str:token>/", views.verify_document, name="verify_document"),
    path("status/", views.status_page, name="status_page"),
    path("verify/<str:token>/pdf/", views.verify_document_pdf, name="verify_document_pdf"),
    path("documents/<str:number>/", views.document_pdf, name="document_pdf"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("healthz/", views.healthz, name="healthz"),
    path("admin/login/", two_factor.admin_login),
    path("admin/", admin.site.urls),
    path("api/v1/", include("housing_aid.api.urls")),
    path("applications/", include("applications.urls")),
    path("certificates/", include("certificates.urls")),
    path("complaints/", include("complaints.urls")),
    path("sla/", include("housing_aid.sla.urls")),
    path("work/", include("housing_aid.casework.urls")),
]

handler400 = "housing_aid.api.errors.bad_request"
handler404 = "housing_aid.api.errors.page_not_found"
