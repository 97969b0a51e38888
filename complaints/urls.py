from __future__ import annotations

from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("new/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/actions/<str:name>/", views.act, name="action"),
]
