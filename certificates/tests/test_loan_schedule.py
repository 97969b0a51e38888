"""The repayment schedule: annuity at 0.01 % a year, exact to the tenge; repayments and arrears."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from certificates import loans
from certificates.models import Loan
from certificates.tests.conftest import ALMATY, transition

IBAN = "KZ86125KZT5004100100"


def test_schedule_of_1_500_000_over_180_months():
    rows = loans.schedule(Decimal("1500000.00"), Decimal("0.01"), 180, dt.date(2025, 4, 12))

    assert len(rows) == 180
    assert rows[0].amount == Decimal("8340.00")  # 1 500 000 / 180 = 8 333.33 plus 0.01 % a year
    assert rows[0].interest == Decimal("12.50")
    assert rows[-1].balance_after == Decimal("0.00")
    assert sum(r.principal for r in rows) == Decimal("1500000.00")
    assert all(r.amount == rows[0].amount for r in rows[:-1])
    assert rows[-1].due_on == dt.date(2040, 3, 12)


@settings(max_examples=60, deadline=None)
@given(
    principal=st.decimals(min_value=Decimal("10000"), max_value=Decimal("5000000"), places=2),
    months=st.integers(min_value=1, max_value=180),
)
def test_principal_always_sums_exactly_and_the_last_instalment_absorbs_rounding(principal, months):
    rows = loans.schedule(principal, Decimal("0.01"), months, dt.date(2025, 1, 31))

    assert sum(r.principal for r in rows) == principal
    assert rows[-1].balance_after == 0
    assert all(r.amount == r.amount.quantize(Decimal("1")) for r in rows[:-1])
    assert abs(rows[-1].amount - rows[0].amount) <= months  # rounding of at most a tenge a month


def test_trustee_records_repayments_and_arrears_are_flagged(api, officer, trustee, program, create):
    case = create(monthly="400000.00")
    transition(api, officer, case["id"], "approve")
    transition(
        api,
        trustee,
        case["id"],
        "conclude_agreement",
        {
            "visited_on": "2025-03-12",
            "agreement_on": "2025-03-12",
            "account_iban": IBAN,
            "loan": {"term_months": 120, "security_kind": "surety"},
        },
    )
    transition(api, trustee, case["id"], "record_transfer", {"transferred_on": "2025-03-12"})
    loan = Loan.objects.get(request_id=case["id"])
    instalment = loan.instalments.first().amount

    with time_machine.travel(dt.datetime(2025, 5, 20, 10, 0, tzinfo=ALMATY), tick=False):
        paid = api.as_user(trustee).post(
            f"/api/v1/loans/{loan.pk}/repayments/",
            {"paid_on": "2025-04-11", "amount": str(instalment)},
            format="json",
        )
        summary = api.as_user(trustee).get(f"/api/v1/loans/{loan.pk}/").json()
        refused = api.as_user(officer).post(
            f"/api/v1/loans/{loan.pk}/repayments/", {"paid_on": "2025-04-11", "amount": "1.00"}, format="json"
        )

    assert paid.status_code == 201
    assert Decimal(summary["arrears"]) == instalment  # April paid, May (12.05) not
    assert refused.status_code == 403
