"""Which case models exist: the status lookup and the SLA engine iterate over them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CASE_MODELS: list[type] = []

# Each service's name in lists, filters and groupings (the dashboard, the admin, a person's cases).
SERVICE_LABELS = {
    "housing_assistance": _("Housing assistance"),
    "housing_certificate": _("Housing certificates"),
    "complaint": _("Complaints"),
}


def register_case_model(model: type) -> type:
    if model not in CASE_MODELS:
        CASE_MODELS.append(model)
    return model


def model_for_service(service: str):
    for model in CASE_MODELS:
        if model.SERVICE == service:
            return model
    return None


def model_for_number(number: str):
    """Numbers start with the model's series (``HA-``, ``HC-``, ``CM-``)."""
    series = (number or "").split("-", 1)[0]
    for model in CASE_MODELS:
        if model.NUMBER_SERIES == series:
            return model
    return None
