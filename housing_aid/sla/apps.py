from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "housing_aid.sla"
    label = "sla"
    verbose_name = _("Deadlines and notifications")
