from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Housing assistance")

    def ready(self):
        from applications import (
            documents,  # noqa: F401 - registers the signed notices with EDS
            parameters,  # noqa: F401 - registers the effective-dated figures
        )
        from applications.models import Application
        from housing_aid.registry import register_case_model

        register_case_model(Application)
