from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Housing certificates")

    def ready(self):
        from certificates import parameters  # noqa: F401 - registers the effective-dated figures
        from certificates.models import CertificateRequest
        from housing_aid.registry import register_case_model

        register_case_model(CertificateRequest)
