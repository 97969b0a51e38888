"""Effective-dated figures of the certificate service (DOMAIN.md, seed 004)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from housing_aid.parameters import register

INCOME_MULTIPLIER = register(
    "certificate_msl_multiplier", _("Certificates: income limit per person, times the MSL"), "x"
)
CHILD_AGE = register("certificate_child_age", _("Certificates: children counted under this age"), "years")
STUDENT_AGE = register(
    "certificate_student_age", _("Certificates: full-time students counted under this age"), "years"
)
INCOME_MONTHS = register("certificate_income_months", _("Certificates: months of income tested"), "months")
DECISION_DAYS = register("certificate_decision_days", _("Certificates: decision term"), "working days")
VISIT_DAYS = register(
    "certificate_visit_days",
    _("Certificates: applicant comes to conclude the agreement within"),
    "working days",
)
AGREEMENT_DAYS_SOCIAL = register(
    "certificate_agreement_days_social",
    _("Certificates: bilateral agreement after the visit (social assistance)"),
    "working days",
)
AGREEMENT_DAYS_LOAN = register(
    "certificate_agreement_days_loan",
    _("Certificates: tripartite and loan agreement after the visit (budget loan)"),
    "working days",
)
TRANSFER_DAYS = register(
    "certificate_transfer_days", _("Certificates: transfer after the agreement"), "working days"
)
BANK_DOCUMENTS_DAYS = register(
    "certificate_bank_documents_days",
    _("Certificates: copies of the bank loan and mortgage agreements after the mortgage application"),
    "working days",
)
LOAN_RATE = register("certificate_loan_rate", _("Certificates: budget loan rate, % a year"), "%")
LOAN_MAX_MONTHS = register(
    "certificate_loan_max_months", _("Certificates: budget loan term, at most"), "months"
)
# Plausibility limits of what an officer types in (a typo of three zeros is caught, not counted).
INCOME_MAX_MONTHLY = register(
    "certificate_income_max_monthly",
    _("Certificates: plausible net income of one person, at most, KZT a month"),
    "KZT",
)
AMOUNT_MAX = register(
    "certificate_amount_max",
    _("Certificates: plausible mortgage loan or down payment, at most"),
    "KZT",
)

# Values in force since the rules of 2023 (seed 004), seeded by demo.seed_reference().
DEFAULTS = {
    INCOME_MULTIPLIER: "3.1",
    CHILD_AGE: "18",
    STUDENT_AGE: "23",
    INCOME_MONTHS: "6",
    DECISION_DAYS: "3",
    VISIT_DAYS: "2",
    AGREEMENT_DAYS_SOCIAL: "2",
    AGREEMENT_DAYS_LOAN: "3",
    TRANSFER_DAYS: "1",
    BANK_DOCUMENTS_DAYS: "5",
    LOAN_RATE: "0.01",
    LOAN_MAX_MONTHS: "180",
    INCOME_MAX_MONTHLY: "100000000",
    AMOUNT_MAX: "1000000000",
}
