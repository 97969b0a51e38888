"""The loan as a ledger (API.md Loans): shape, term, arrears only from the transfer, repayments
between the transfer and today, corrections by reversing entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.contrib.contenttypes.models import ContentType

from certificates.models import CertificateRequest, Loan, Repayment
from certificates.tests.conftest import ALMATY, transition
from housing_aid.models import CaseEvent

IBAN = "KZ86125KZT5004100100"


def _agreement(term: int = 120) -> dict:
    return {
        "visited_on": "2025-03-12",
        "agreement_on": "2025-03-12",
        "account_iban": IBAN,
        "loan": {"term_months": term, "security_kind": "surety"},
    }


def _concluded_loan(api, officer, trustee, create) -> tuple[dict, Loan]:
    case = create(monthly="400000.00")  # a budget loan
    transition(api, officer, case["id"], "approve")
    assert transition(api, trustee, case["id"], "conclude_agreement", _agreement()).status_code == 200
    return case, Loan.objects.get(request_id=case["id"])


def _at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10, 0), tzinfo=ALMATY), tick=False)


def test_term_above_180_months_is_400_not_500(api, officer, trustee, program, create):
    case = create(monthly="400000.00")
    transition(api, officer, case["id"], "approve")

    response = transition(api, trustee, case["id"], "conclude_agreement", _agreement(term=200))

    assert response.status_code == 400
    assert "180" in response.json()["term_months"][0]
    assert CertificateRequest.objects.get(pk=case["id"]).status == "approved"


def test_loan_has_the_api_shape_and_no_arrears_before_the_transfer(api, officer, trustee, program, create):
    case, loan = _concluded_loan(api, officer, trustee, create)

    with _at(dt.date(2025, 7, 20)):  # four instalments have fallen due, the money never left
        data = api.as_user(trustee).get(f"/api/v1/loans/{loan.pk}/").json()

    assert {"id", "number", "principal", "rate_percent", "term_months", "status", "transferred_on"} <= set(
        data
    )
    assert (data["principal"], data["rate_percent"], data["term_months"]) == ("1500000.00", "0.0100", 120)
    assert data["status"] == "not_transferred" and data["transferred_on"] is None
    assert data["arrears"] == "0.00"
    first = data["schedule"][0]
    assert set(first) >= {"due_on", "principal", "interest", "paid", "days_past_due"}
    assert (first["due_on"], first["paid"], first["days_past_due"]) == ("2025-04-12", "0.00", 0)
    assert all(row["days_past_due"] == 0 for row in data["schedule"])


def test_arrears_and_days_past_due_count_from_the_transfer(api, officer, trustee, program, create):
    case, loan = _concluded_loan(api, officer, trustee, create)
    with _at(dt.date(2025, 6, 2)):  # late transfer: 12.04 and 12.05 fell due before it
        transition(api, trustee, case["id"], "record_transfer", {"transferred_on": "2025-06-02"})
        on_the_day = api.as_user(trustee).get(f"/api/v1/loans/{loan.pk}/").json()
    with _at(dt.date(2025, 6, 22)):
        later = api.as_user(trustee).get(f"/api/v1/loans/{loan.pk}/").json()

    instalment = Decimal(later["schedule"][0]["principal"]) + Decimal(later["schedule"][0]["interest"])
    assert on_the_day["arrears"] == "0.00"
    assert later["status"] == "in_arrears"
    # 12.04 and 12.05: 20 days from the transfer; 12.06: 10 days from its due date.
    assert [r["days_past_due"] for r in later["schedule"][:4]] == [20, 20, 10, 0]
    assert Decimal(later["arrears"]) == 3 * instalment


def test_repayment_before_the_transfer_or_in_the_future_is_400(api, officer, trustee, program, create):
    case, loan = _concluded_loan(api, officer, trustee, create)
    with _at(dt.date(2025, 3, 14)):
        not_yet = api.as_user(trustee).post(
            f"/api/v1/loans/{loan.pk}/repayments/",
            {"paid_on": "2025-03-13", "amount": "100.00"},
            format="json",
        )
        transition(api, trustee, case["id"], "record_transfer", {"transferred_on": "2025-03-13"})
        before = api.as_user(trustee).post(
            f"/api/v1/loans/{loan.pk}/repayments/",
            {"paid_on": "2020-01-10", "amount": "100.00"},
            format="json",
        )
        future = api.as_user(trustee).post(
            f"/api/v1/loans/{loan.pk}/repayments/",
            {"paid_on": "2025-03-20", "amount": "100.00"},
            format="json",
        )
        on_the_day = api.as_user(trustee).post(
            f"/api/v1/loans/{loan.pk}/repayments/",
            {"paid_on": "2025-03-13", "amount": "100.00"},
            format="json",
        )

    assert not_yet.status_code == 400
    assert before.status_code == 400 and "13.03.2025" in before.json()["paid_on"][0]
    assert future.status_code == 400
    assert on_the_day.status_code == 201
    assert Repayment.objects.filter(loan=loan).count() == 1


def test_a_wrong_repayment_is_corrected_by_a_reversing_entry(api, officer, trustee, program, create):
    case, loan = _concluded_loan(api, officer, trustee, create)
    transition(api, trustee, case["id"], "record_transfer", {"transferred_on": "2025-03-12"})
    instalment = loan.instalments.first().amount
    with _at(dt.date(2025, 4, 14)):
        wrong = (
            api.as_user(trustee)
            .post(
                f"/api/v1/loans/{loan.pk}/repayments/",
                {"paid_on": "2025-04-12", "amount": "83400.00"},
                format="json",
            )
            .json()
        )
        no_reason = api.as_user(trustee).post(
            f"/api/v1/loans/{loan.pk}/repayments/{wrong['id']}/reverse/", {"reason": ""}, format="json"
        )
        by_officer = api.as_user(officer).post(
            f"/api/v1/loans/{loan.pk}/repayments/{wrong['id']}/reverse/", {"reason": "x"}, format="json"
        )
        reversal = api.as_user(trustee).post(
            f"/api/v1/loans/{loan.pk}/repayments/{wrong['id']}/reverse/",
            {"reason": "Лишний ноль: платёж 8 340,00"},
            format="json",
        )
        twice = api.as_user(trustee).post(
            f"/api/v1/loans/{loan.pk}/repayments/{wrong['id']}/reverse/", {"reason": "ещё раз"}, format="json"
        )
        right = api.as_user(trustee).post(
            f"/api/v1/loans/{loan.pk}/repayments/",
            {"paid_on": "2025-04-12", "amount": str(instalment + 100)},
            format="json",
        )
        data = api.as_user(trustee).get(f"/api/v1/loans/{loan.pk}/").json()

    assert no_reason.status_code == 400 and by_officer.status_code == 403
    assert reversal.status_code == 201
    assert reversal.json()["amount"] == "-83400.00" and reversal.json()["reverses"] == wrong["id"]
    assert twice.status_code == 400
    assert right.status_code == 201
    assert data["paid_total"] == str(instalment + 100)
    assert [r["amount"] for r in data["repayments"]] == ["83400.00", "-83400.00", str(instalment + 100)]
    assert data["repayments"][0]["reversed_by"] == reversal.json()["id"]
    # The right payment settles April's instalment and 100.00 of May's, not due yet.
    assert [(r["paid"], r["days_past_due"], r["state"]) for r in data["schedule"][:3]] == [
        (str(instalment), 0, "paid"),
        ("100.00", 0, "partly_paid"),
        ("0.00", 0, "due"),
    ]
    assert Repayment.objects.get(pk=wrong["id"]).amount == Decimal("83400.00")  # never edited
    ct = ContentType.objects.get_for_model(CertificateRequest)
    event = CaseEvent.objects.get(content_type=ct, object_id=case["id"], transition="reverse_repayment")
    assert event.reason == "Лишний ноль: платёж 8 340,00" and event.data["repayment"] == wrong["id"]
