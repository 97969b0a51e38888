from __future__ import annotations

from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("new/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/start-review/", views.start_review, name="start_review"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/delivery/", views.record_delivery, name="record_delivery"),
    path("<int:pk>/court-appeal/", views.record_court_appeal, name="record_court_appeal"),
    path("<int:pk>/attachments/", views.add_attachments, name="add_attachments"),
]
