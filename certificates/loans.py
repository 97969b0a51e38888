"""The budget loan's repayment schedule: annuity at 0.01 % a year, exact to the tenge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

CENT = Decimal("0.01")
TENGE = Decimal("1")


@dataclass(frozen=True)
class Row:
    number: int
    due_on: dt.date
    amount: Decimal
    principal: Decimal
    interest: Decimal
    balance_after: Decimal


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    return day + relativedelta(months=months)


def annuity_payment(principal: Decimal, annual_rate_percent: Decimal, months: int) -> Decimal:
    """The level monthly instalment in whole tenge: rounded half up, or down when rounding up
    would pay the loan off before its last month (tiny loans over many months)."""
    r = annual_rate_percent / Decimal(100) / Decimal(12)
    if r == 0:
        exact = principal / months
    else:
        exact = principal * r / (1 - (1 + r) ** -months)
    payment = exact.quantize(TENGE, ROUND_HALF_UP)
    if (payment - exact) * (months - 1) >= exact:
        payment = exact.quantize(TENGE, ROUND_FLOOR)
    return payment


def schedule(
    principal: Decimal, annual_rate_percent: Decimal, months: int, first_due_on: dt.date
) -> list[Row]:
    """Level instalments in whole tenge; interest on the balance to the tiyn; the last
    instalment pays whatever balance is left, so the principal column sums exactly."""
    if months < 1:
        raise ValueError("months must be at least 1")
    r = annual_rate_percent / Decimal(100) / Decimal(12)
    payment = annuity_payment(principal, annual_rate_percent, months)
    balance = principal
    rows = []
    for n in range(1, months + 1):
        interest = (balance * r).quantize(CENT, ROUND_HALF_UP)
        if n == months:
            part = balance
        else:
            part = min(payment - interest, balance)
        balance -= part
        rows.append(Row(n, add_months(first_due_on, n - 1), part + interest, part, interest, balance))
    return rows


@dataclass(frozen=True)
class LedgerRow:
    number: int
    due_on: dt.date
    amount: Decimal
    principal: Decimal
    interest: Decimal
    paid: Decimal
    days_past_due: int

    @property
    def state(self) -> str:
        """``paid``, ``overdue``, ``partly_paid`` or ``due`` (to come)."""
        if self.paid >= self.amount:
            return "paid"
        if self.days_past_due > 0:
            return "overdue"
        return "partly_paid" if self.paid > 0 else "due"


@dataclass(frozen=True)
class Ledger:
    rows: list[LedgerRow]
    arrears: Decimal
    days_past_due: int


def ledger(instalments, paid_total: Decimal, transferred_on: dt.date | None, today: dt.date) -> Ledger:
    """Each instalment's paid part and days past due, from the net repaid total.

    Repayments settle the oldest instalment first. Nothing is owed before the money reached
    the borrower: an instalment is past due only after both its due date and the transfer,
    and days past due count from the later of the two (API.md: arrears start from the transfer).
    """
    left = paid_total
    rows: list[LedgerRow] = []
    arrears = Decimal("0.00")
    worst = 0
    for inst in instalments:
        paid = min(inst.amount, max(left, Decimal("0.00")))
        left -= paid
        days = 0
        if transferred_on is not None and paid < inst.amount:
            days = max(0, (today - max(inst.due_on, transferred_on)).days)
        if days > 0:
            arrears += inst.amount - paid
            worst = max(worst, days)
        rows.append(
            LedgerRow(inst.number, inst.due_on, inst.amount, inst.principal, inst.interest, paid, days)
        )
    return Ledger(rows, arrears, worst)
