from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("new/", views.intake, name="intake"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<str:name>/", views.act, name="act"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("loans/", views.loans, name="loans"),
    path("loans/<int:pk>/", views.loan_detail, name="loan"),
    path("announcements/", views.announcements, name="announcements"),
]
