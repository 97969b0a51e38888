"""The income test of API.md / DOMAIN.md: threshold 3.1 x MSL, at it and one tenge above."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from certificates.tests.conftest import ALMATY, body

THRESHOLDS = {
    2023: Decimal("125757.70"),  # 3.1 x 40 567
    2024: Decimal("134561.70"),
    2025: Decimal("143306.80"),
    2026: Decimal("157638.10"),
}


def _post(api, officer, make_program, year: int, monthly: Decimal, **kwargs):
    received = dt.datetime(year, 4, 15, 10, 0, tzinfo=ALMATY)  # a working day in every year tested
    if year == 2026:
        received = dt.datetime(2026, 4, 15, 10, 0, tzinfo=ALMATY)
    make_program(year=year)
    with time_machine.travel(received + dt.timedelta(hours=1), tick=False):
        response = api.as_user(officer).post(
            "/api/v1/certificates/",
            body(received_at=received, monthly=str(monthly), bank_notified_on=f"{year}-04-01", **kwargs),
            format="json",
        )
    assert response.status_code == 201, response.json()
    return response.json()["income_test"]


@pytest.mark.parametrize("year", sorted(THRESHOLDS))
def test_income_exactly_at_the_threshold_is_social_assistance(api, officer, make_program, year):
    test = _post(api, officer, make_program, year, THRESHOLDS[year])

    assert test["year"] == year
    assert Decimal(test["threshold"]) == THRESHOLDS[year]
    assert test["family_size"] == 1
    assert Decimal(test["average_monthly_income"]) == THRESHOLDS[year]
    assert Decimal(test["per_capita_income"]) == THRESHOLDS[year]
    assert test["kind"] == "social_assistance"


@pytest.mark.parametrize("year", sorted(THRESHOLDS))
def test_income_one_tenge_above_the_threshold_is_a_budget_loan(api, officer, make_program, year):
    test = _post(api, officer, make_program, year, THRESHOLDS[year] + 1)

    assert Decimal(test["per_capita_income"]) == THRESHOLDS[year] + 1
    assert test["kind"] == "budget_loan"


def test_msl_of_the_year_is_reported(api, officer, make_program):
    test = _post(api, officer, make_program, 2024, Decimal("100000"))

    assert test["msl"] == "43407.00"
    assert test["threshold"] == "134561.70"


def test_family_counts_spouse_minor_children_and_students_under_23(api, officer, make_program):
    members = [
        {"full_name": "Жақсыбеков Серік", "iin": "", "birth_date": "1983-01-10", "relationship": "spouse"},
        {"full_name": "Child 17", "birth_date": "2007-05-01", "relationship": "child"},  # 17 on 15.04.2025
        {
            "full_name": "Student 22",
            "birth_date": "2002-06-01",
            "relationship": "child",
            "full_time_student": True,
        },
        {"full_name": "Adult 19", "birth_date": "2006-01-01", "relationship": "child"},  # not a student
        {
            "full_name": "Student 23",
            "birth_date": "2002-01-01",
            "relationship": "child",
            "full_time_student": True,
        },
    ]
    test = _post(
        api,
        officer,
        make_program,
        2025,
        Decimal("300000"),
        members=members,
        member_monthly={0: "129000.00"},
    )

    assert test["family_size"] == 4
    assert test["average_monthly_income"] == "429000.00"
    assert test["per_capita_income"] == "107250.00"
    assert test["kind"] == "social_assistance"


def test_child_turning_18_before_registration_is_not_counted(api, officer, make_program):
    members = [{"full_name": "Turned 18", "birth_date": "2007-04-15", "relationship": "child"}]

    test = _post(api, officer, make_program, 2025, Decimal("150000"), members=members)

    assert test["family_size"] == 1


def test_income_of_an_uncounted_member_is_refused(api, officer, make_program, frozen):
    make_program(year=2025)
    members = [{"full_name": "Adult 30", "birth_date": "1995-01-01", "relationship": "child"}]

    response = api.as_user(officer).post(
        "/api/v1/certificates/", body(members=members, member_monthly={0: "50000"}), format="json"
    )

    assert response.status_code == 400
    assert "incomes" in response.json()


def test_the_six_months_before_the_month_of_application_are_averaged(api, officer, make_program, frozen):
    make_program(year=2025)
    data = body(monthly="0")
    amounts = ["60000", "120000", "0", "90000", "30000", "0"]  # Sep 2024 .. Feb 2025
    for entry, amount in zip(data["incomes"], amounts, strict=True):
        entry["amount"] = amount

    response = api.as_user(officer).post("/api/v1/certificates/", data, format="json")

    assert [e["month"] for e in data["incomes"]][0] == "2024-09"
    assert response.json()["income_test"]["average_monthly_income"] == "50000.00"


def test_a_month_outside_the_six_is_refused(api, officer, make_program, frozen):
    make_program(year=2025)
    data = body()
    data["incomes"][0]["month"] = "2025-03"  # the month of application itself

    response = api.as_user(officer).post("/api/v1/certificates/", data, format="json")

    assert response.status_code == 400
    assert "март 2025" in response.json()["incomes"][0]
