"""The monthly amount (DOMAIN.md): covered payments within norms minus the share of income."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from applications import parameters as ha
from applications.calculation import calculate, quarter_end, quarter_start
from housing_aid.parameters import set_value
from tests import eds

from .conftest import advance


def test_worked_example_of_domain_md(registered, officer):
    application = registered()

    calc = calculate(application, Decimal("300000"), {"maintenance": Decimal("15000")})

    assert calc["monthly_income"] == Decimal("100000.00")
    assert calc["share_percent"] == Decimal("10.00")  # Astana's maslikhat
    assert calc["covered_payments"] == Decimal("15000.00")
    assert calc["monthly_amount"] == Decimal("5000.00")
    assert (calc["period_from"], calc["period_to"]) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert (calc["income_from"], calc["income_to"]) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def test_payments_over_the_norm_are_capped_at_the_norm_in_force(registered):
    application = registered()

    calc = calculate(application, Decimal("0"), {"utilities": Decimal("60000"), "telecom": Decimal("5000")})

    lines = {line["payment"]: line for line in calc["breakdown"]["payments"]}
    assert lines["utilities"] == {
        "payment": "utilities",
        "claimed": "60000.00",
        "norm": "45000.00",
        "covered": "45000.00",
    }
    assert lines["telecom"]["covered"] == "2000.00"
    assert calc["covered_payments"] == Decimal("47000.00")


def test_never_below_zero(registered):
    calc = calculate(registered(), Decimal("3000000"), {"utilities": Decimal("10000")})

    assert calc["monthly_amount"] == Decimal("0.00")


def test_share_is_the_one_in_force_on_the_registration_date(registered, provider):
    set_value(ha.SHARE_PERCENT, dt.date(2025, 5, 1), "12", provider=provider)
    application = registered()  # registered 14.04.2025

    assert calculate(application, Decimal("300000"), {})["share_percent"] == Decimal("10.00")


def test_other_providers_use_their_own_maslikhat_share(api, clerk, at_intake_day):
    from applications.models import Application
    from housing_aid.models import ServiceProvider

    from .conftest import package

    shymkent = ServiceProvider.objects.get(code="790000000")
    clerk.staff.providers.add(shymkent)
    clerk._provider_ids_cache, clerk._providers_cache = False, None
    body = (
        api.as_user(clerk)
        .post("/api/v1/applications/", package(provider_code="790000000"), format="json")
        .json()
    )

    calc = calculate(Application.objects.get(pk=body["id"]), Decimal("300000"), {})

    assert calc["share_percent"] == Decimal("7.00")


def test_the_drafted_calculation_is_a_snapshot(api, registered, officer, head, provider):
    application = advance(
        registered(),
        officer,
        "start_review",
        "start_verification",
        ("draft_assignment", {"quarter_income": "300000", "payments": {"maintenance": "15000"}}),
    )
    set_value(ha.NORM_MAINTENANCE, dt.date(2000, 1, 1), "1000", provider=provider)

    body = (
        api.as_user(head)
        .post(
            f"/api/v1/applications/{application.pk}/transitions/sign/",
            eds.sign_body(api.as_user(head), application, head),
            format="json",
        )
        .json()
    )

    assert body["calculation"]["monthly_amount"] == "5000.00"


def test_rent_is_not_covered_for_an_owner(api, registered, officer):
    application = advance(registered(), officer, "start_review", "start_verification")

    response = api.as_user(officer).post(
        f"/api/v1/applications/{application.pk}/transitions/draft_assignment/",
        {"quarter_income": "300000", "payments": {"rent": "40000"}},
        format="json",
    )

    assert response.status_code == 400
    assert "rent" in response.json()["payments"]


def test_bad_amounts_answer_400_and_save_nothing(api, registered, officer):
    application = advance(registered(), officer, "start_review", "start_verification")

    response = api.as_user(officer).post(
        f"/api/v1/applications/{application.pk}/transitions/draft_assignment/",
        {"quarter_income": "a lot", "payments": {"utilities": "-5"}},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()) == {"quarter_income", "payments"}
    application.refresh_from_db()
    assert application.status == "under_verification"


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(2001, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_quarter_bounds(day):
    start, end = quarter_start(day), quarter_end(day)
    assert start <= day <= end
    assert start.month in (1, 4, 7, 10) and start.day == 1
    assert (end + dt.timedelta(days=1)) == quarter_start(end + dt.timedelta(days=1))
