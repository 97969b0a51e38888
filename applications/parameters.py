"""Effective-dated figures of the housing-assistance service (DOMAIN.md, seed 000).

Terms come from the public-service standard (Appendix 2: 8 working days, split
2 + 5 + 1 by para 9); the share and the norms are the maslikhat's. Every case reads
the values in force on its registration date.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from housing_aid.parameters import register

TERM_TOTAL = register("ha_term_days", _("Housing assistance: term of the service, working days"), "wd")
TERM_REVIEW = register("ha_review_days", _("Housing assistance: review of completeness, working days"), "wd")
TERM_VERIFICATION = register(
    "ha_verification_days", _("Housing assistance: verification, working days"), "wd"
)
TERM_DECISION = register("ha_decision_days", _("Housing assistance: notice or refusal, working days"), "wd")

SHARE_PERCENT = register(
    "ha_share_percent",
    _("Housing assistance: share of family income spent on housing, %"),
    "%",
    per_provider=True,
)

# A covered payment is capped at the maslikhat's monthly norm in force (consumption
# over the norms is not covered): one cap per payment type, KZT a month.
NORM_MAINTENANCE = register(
    "ha_norm_maintenance",
    _("Housing assistance: norm for building maintenance, KZT a month"),
    "KZT",
    per_provider=True,
)
NORM_UTILITIES = register(
    "ha_norm_utilities", _("Housing assistance: norm for utilities, KZT a month"), "KZT", per_provider=True
)
NORM_TELECOM = register(
    "ha_norm_telecom",
    _("Housing assistance: norm for the telecom subscription-fee increment, KZT a month"),
    "KZT",
    per_provider=True,
)
NORM_RENT = register(
    "ha_norm_rent",
    _("Housing assistance: norm for rent of state or akimat-rented housing, KZT a month"),
    "KZT",
    per_provider=True,
)

NORM_BY_PAYMENT = {
    "maintenance": NORM_MAINTENANCE,
    "utilities": NORM_UTILITIES,
    "telecom": NORM_TELECOM,
    "rent": NORM_RENT,
}
