"""The monthly amount of housing assistance (DOMAIN.md): pure calculation, no database writes."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from applications import parameters as ha
from applications.models import Application
from housing_aid.models import money
from housing_aid.parameters import value_on

CENT = Decimal("0.01")


def quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: dt.date) -> dt.date:
    return quarter_start(day) + relativedelta(months=3, days=-1)


PAYMENTS = ("maintenance", "utilities", "telecom", "rent")


def calculate(
    application: Application, quarter_income: Decimal, payments: dict[str, Decimal]
) -> dict[str, Any]:
    """The monthly amount (DOMAIN.md): covered payments within the norms minus the share of income.

    "Within norms": each covered payment is capped at the provider's monthly norm in force on
    the registration date; consumption above the norm is not covered. Rent is covered only for
    state housing or housing the akimat rents. Income is the quarter before the application's
    quarter; the assistance runs from the month of application to the end of that quarter.
    """
    on = application.registered_on
    provider = application.provider
    share = value_on(ha.SHARE_PERCENT, on, provider)
    monthly_income = (Decimal(quarter_income) / 3).quantize(CENT, rounding=ROUND_HALF_UP)
    lines = []
    covered_total = Decimal("0")
    for name in PAYMENTS:
        claimed = money(payments.get(name) or 0)
        norm = money(value_on(ha.NORM_BY_PAYMENT[name], on, provider))
        covered = min(claimed, norm)
        covered_total += covered
        lines.append({"payment": name, "claimed": str(claimed), "norm": str(norm), "covered": str(covered)})
    share_amount = (share / 100 * monthly_income).quantize(CENT, rounding=ROUND_HALF_UP)
    amount = max(Decimal("0"), covered_total - share_amount).quantize(CENT)
    this_quarter = quarter_start(on)
    income_to = this_quarter - dt.timedelta(days=1)
    return {
        "quarter_income": money(quarter_income),
        "income_from": quarter_start(income_to),
        "income_to": income_to,
        "monthly_income": monthly_income,
        "share_percent": money(share),
        "covered_payments": money(covered_total),
        "monthly_amount": amount,
        "period_from": on.replace(day=1),
        "period_to": quarter_end(on),
        "breakdown": {"payments": lines, "share_amount": str(share_amount), "parameters_on": on.isoformat()},
    }
