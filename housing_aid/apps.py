from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingAidConfig(AppConfig):
    name = "housing_aid"
    verbose_name = _("Shared kernel")

    def ready(self):
        # The EDS trusted certificates' admin (housing_aid/eds is a part of this app).
        from housing_aid.eds import admin as _eds_admin  # noqa: F401
