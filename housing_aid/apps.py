from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingAidConfig(AppConfig):
    name = "housing_aid"
    verbose_name = _("Shared kernel")
