"""The answer terms of complaints (seed 000, para 13): effective-dated, never hard-coded."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from housing_aid import parameters

ANSWER_DAYS = parameters.register(
    "complaint_answer_days",
    _("Complaint to the service provider or the authorized body: answer term, working days"),
    "working_days",
)
QUALITY_CONTROL_ANSWER_DAYS = parameters.register(
    "complaint_quality_control_answer_days",
    _("Complaint to the quality-control body: answer term, working days"),
    "working_days",
)
