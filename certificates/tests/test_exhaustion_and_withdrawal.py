"""API.md: the announcement at the approval that leaves less than one more certificate, the
funds_exhausted refusal ground, the warning at intake, and the applicant's written refusal."""

from __future__ import annotations

from decimal import Decimal

from certificates.models import AmountKind, Announcement, CertificateProgram
from certificates.tests.conftest import transition


def test_the_approval_that_exhausts_the_budget_publishes_the_announcement(api, officer, make_program, create):
    program = make_program(budget="4000000.00")  # fixed 1 500 000: two fit, 1 000 000 is left
    first, second = create(iin="850315410002"), create(iin="061211600012")

    transition(api, officer, first["id"], "approve")
    program.refresh_from_db()
    assert not program.terminated and not Announcement.objects.exists()

    assert transition(api, officer, second["id"], "approve").status_code == 200

    program.refresh_from_db()
    assert program.terminated and program.committed == Decimal("3000000.00")
    assert Announcement.objects.get(program=program).text_ru
    row = api.as_user(officer).get("/api/v1/certificate-programs/", {"provider": "710000000"}).json()
    assert row["results"][0]["terminated"] is True and row["results"][0]["announcement"]


def test_percent_rule_is_exhausted_when_less_than_its_cap_remains(api, officer, make_program, create):
    program = make_program(
        budget="2500000.00",
        amount_kind=AmountKind.PERCENT_OF_LOAN,
        amount_value=Decimal("10"),
        amount_cap=Decimal("1000000.00"),
    )
    case = create(loan_amount="15000000.00")  # 10 % = 1 500 000, capped at 1 000 000

    transition(api, officer, case["id"], "approve")

    program.refresh_from_db()
    assert program.remaining == Decimal("1500000.00") and not program.terminated
    transition(api, officer, create(iin="061211600012")["id"], "approve")
    program.refresh_from_db()
    assert program.remaining == Decimal("500000.00") and program.terminated


def test_requests_for_a_terminated_program_are_warned_and_refused_on_funds_exhausted(
    api, officer, make_program, create
):
    make_program(budget="1500000.00")
    transition(api, officer, create()["id"], "approve")  # exhausts at once

    late = create(iin="061211600012")

    assert [w["code"] for w in late["warnings"]] == ["funds_exhausted"]
    refused = transition(
        api, officer, late["id"], "refuse", {"ground": "funds_exhausted", "reason": "Средства исчерпаны"}
    )
    assert refused.status_code == 200
    assert (refused.json()["status"], refused.json()["refusal_ground"]) == ("refused", "funds_exhausted")


def test_funds_exhausted_is_not_a_ground_while_money_remains(api, officer, program, create):
    case = create()

    response = transition(
        api, officer, case["id"], "refuse", {"ground": "funds_exhausted", "reason": "Нет денег"}
    )

    assert response.status_code == 400
    assert "ground" in response.json()
    assert case["warnings"] == []


def test_written_refusal_lapses_at_once_and_releases_the_money(api, officer, program, create):
    case = create()
    transition(api, officer, case["id"], "approve")

    early = transition(api, officer, case["id"], "lapse", {"reason": "Передумал"})
    withdrawn = transition(
        api,
        officer,
        case["id"],
        "lapse",
        {"reason": "Письменный отказ заявителя от 12.03.2025", "withdrawn": True},
    )

    assert early.status_code == 400
    assert withdrawn.status_code == 200
    body = withdrawn.json()
    assert (body["status"], body["lapse_withdrawn"]) == ("lapsed", True)
    assert body["history"][-1]["reason"] == "Письменный отказ заявителя от 12.03.2025"
    assert CertificateProgram.objects.get().committed == Decimal("0.00")
