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


def appeal_terms(on, provider=None) -> dict[str, int]:
    """The answer terms a decision names where it explains the right to appeal (para 13), as in
    force on ``on``; a term that is not configured is left out (the decision still names where
    to appeal)."""
    terms = {}
    for name, key in (("answer_days", ANSWER_DAYS), ("quality_days", QUALITY_CONTROL_ANSWER_DAYS)):
        try:
            terms[name] = parameters.int_value_on(key, on, provider)
        except parameters.ParameterMissing:
            pass
    return terms
