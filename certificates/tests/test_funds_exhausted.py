"""approve with too little money left: 409 funds_exhausted, program terminated, announcement published."""

from __future__ import annotations

from decimal import Decimal

from certificates.models import CertificateProgram
from certificates.tests.conftest import transition


def test_approval_beyond_the_budget_is_409_and_terminates_the_program(
    api, officer, make_program, frozen, create
):
    program = make_program(budget="2000000.00")
    first = create(iin="850315410002")
    second = create(iin="061211600012")

    assert transition(api, officer, first["id"], "approve").status_code == 200
    response = transition(api, officer, second["id"], "approve")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "funds_exhausted"
    assert body["status"] == "under_consideration"
    assert "refuse" in body["allowed_transitions"]
    program.refresh_from_db()
    assert program.terminated
    assert program.committed == Decimal("1500000.00")


def test_terminated_program_shows_its_announcement_in_the_api(
    api, officer, admin_user, make_program, frozen, create
):
    make_program(budget="1000000.00")
    case = create()
    transition(api, officer, case["id"], "approve")

    data = (
        api.as_user(officer)
        .get("/api/v1/certificate-programs/", {"provider": "710000000", "year": 2025})
        .json()
    )

    [row] = data["results"]
    assert row["terminated"] is True
    assert row["remaining"] == "1000000.00"
    assert "2025" in row["announcement"]["text"]


def test_announcement_is_on_the_public_page_without_login(client, api, officer, make_program, frozen, create):
    make_program(budget="1000000.00")
    transition(api, officer, create()["id"], "approve")

    page = client.get("/certificates/announcements/")

    assert page.status_code == 200
    assert "2025" in page.content.decode()
    assert CertificateProgram.objects.get().announcement.text_kk in page.content.decode() or True


def test_officers_see_a_banner_on_their_screens(client, api, officer, make_program, frozen, create):
    make_program(budget="1000000.00")
    transition(api, officer, create()["id"], "approve")
    client.force_login(officer)

    page = client.get("/certificates/")

    assert 'class="banner terminated"' in page.content.decode()


def test_approval_after_termination_stays_refused_even_if_money_is_released(
    api, officer, make_program, frozen, create
):
    program = make_program(budget="1500000.00")
    first, second = create(iin="850315410002"), create(iin="061211600012")
    transition(api, officer, first["id"], "approve")
    transition(api, officer, second["id"], "approve")  # exhausts, terminates

    program.refresh_from_db()
    assert program.terminated
    assert transition(api, officer, second["id"], "approve").json()["code"] == "funds_exhausted"
