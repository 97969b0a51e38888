from django.urls import path

from applications import services, views
from applications.models import Application
from housing_aid.eds import views as eds_views

app_name = "applications"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("intake/", views.intake, name="intake"),
    path("intake/iin/", views.iin_lookup, name="iin_lookup"),
    path("signing/", views.signing_queue, name="signing_queue"),
    path("events.csv", views.events_export, name="events_export"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/transitions/<str:name>/", views.case_transition, name="transition"),
    path("<int:pk>/attachments/", views.case_attach, name="attach"),
    path("<int:pk>/documents/<str:number>/hand-out/", views.hand_out, name="hand_out"),
    path("<int:pk>/draft.pdf", eds_views.draft_pdf, {"model": Application}, name="draft_pdf"),
    path(
        "<int:pk>/sign/demo/",
        eds_views.demo_sign,
        {"model": Application, "transition": services.transition, "next_name": "applications:case"},
        name="demo_sign",
    ),
]
