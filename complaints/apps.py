from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from complaints import parameters  # noqa: F401 - registers the answer terms
        from complaints.models import Complaint
        from housing_aid.registry import register_case_model

        register_case_model(Complaint)
