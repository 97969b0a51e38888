"""The income test (seed 004; API.md income_test): who counts, the average, the threshold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from certificates import parameters as cert_parameters
from housing_aid import parameters

CENT = Decimal("0.01")


def age_on(birth_date: dt.date, on: dt.date) -> int:
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def tested_months(received_on: dt.date, months: int) -> list[dt.date]:
    """The ``months`` calendar months before the month of application, oldest first (1st of each)."""
    year, month = received_on.year, received_on.month
    out = []
    for _i in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(dt.date(year, month, 1))
    return list(reversed(out))


def is_counted(
    relationship: str, birth_date: dt.date, full_time_student: bool, on: dt.date, provider=None
) -> bool:
    """Spouse always; a child under 18, or a full-time student under 23, on the registration date."""
    if relationship == "spouse":
        return True
    age = age_on(birth_date, on)
    if age < parameters.int_value_on(cert_parameters.CHILD_AGE, on, provider):
        return True
    return full_time_student and age < parameters.int_value_on(cert_parameters.STUDENT_AGE, on, provider)


@dataclass(frozen=True)
class IncomeTest:
    year: int
    msl: Decimal
    multiplier: Decimal
    threshold: Decimal
    family_size: int
    total_income: Decimal
    average_monthly_income: Decimal
    per_capita_income: Decimal
    kind: str

    def columns(self) -> dict:
        """The request's columns that keep this test."""
        return {_column(f.name): getattr(self, f.name) for f in fields(self)}

    @classmethod
    def kept_on(cls, request) -> IncomeTest:
        """The test as a request keeps it."""
        return cls(**{f.name: getattr(request, _column(f.name)) for f in fields(cls)})


def _column(name: str) -> str:
    """A request keeps each field of its test in a column of the same name, the year as ``test_year``."""
    return "test_year" if name == "year" else name


def run_income_test(
    registered_on: dt.date, family_size: int, incomes: Iterable[Decimal], provider=None
) -> IncomeTest:
    """Per person at most multiplier x MSL of the year -> social assistance, else a budget loan."""
    months = parameters.int_value_on(cert_parameters.INCOME_MONTHS, registered_on, provider)
    msl = parameters.value_on(parameters.MSL, registered_on, provider)
    multiplier = parameters.value_on(cert_parameters.INCOME_MULTIPLIER, registered_on, provider)
    threshold = (msl * multiplier).quantize(CENT, ROUND_HALF_UP)
    total = sum(incomes, Decimal("0")).quantize(CENT)
    average = (total / months).quantize(CENT, ROUND_HALF_UP)
    per_capita = (average / family_size).quantize(CENT, ROUND_HALF_UP)
    kind = "social_assistance" if per_capita <= threshold else "budget_loan"
    return IncomeTest(
        year=registered_on.year,
        msl=msl,
        multiplier=multiplier,
        threshold=threshold,
        family_size=family_size,
        total_income=total,
        average_monthly_income=average,
        per_capita_income=per_capita,
        kind=kind,
    )


def month_label(month: dt.date) -> str:
    """A month in the user's words: «январь 2025», «қаңтар 2025»."""
    from django.utils.formats import date_format
    from django.utils.translation import get_language

    label = date_format(month, "F Y")
    return label if (get_language() or "ru").startswith("en") else label.lower()
