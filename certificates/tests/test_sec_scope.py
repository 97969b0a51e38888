"""Loans and programs follow their provider; the portal and other providers see 404 (issue 10)."""

from __future__ import annotations

import pytest

from certificates.models import CertificateProgram, Loan
from certificates.tests.conftest import transition
from tests.factories import staff_user

IBAN = "KZ86125KZT5004100100"


@pytest.fixture
def loan(api, officer, trustee, program, create):
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
    return Loan.objects.get(request_id=case["id"])


def test_loans_are_read_only_by_the_roles_api_md_names(
    api, client, loan, officer, head, trustee, auditor, portal, other_officer, admin_user, clerk
):
    url = f"/api/v1/loans/{loan.pk}/"
    answers = {u.username: api.as_user(u).get(url).status_code for u in (officer, head, trustee, auditor)}
    refused = {
        u.username: api.as_user(u).get(url).status_code for u in (portal, other_officer, admin_user, clerk)
    }
    client.force_login(portal)
    screen = client.get(f"/certificates/loans/{loan.pk}/")

    assert answers == {"officer": 200, "head": 200, "trustee": 200, "auditor": 200}
    assert refused == {"portal": 404, "officer_almaty": 404, "admin": 404, "clerk": 404}
    assert screen.status_code == 404


def test_a_repayment_by_the_portal_is_404_for_an_existing_loan_as_for_a_missing_one(api, loan, portal):
    existing = api.as_user(portal).post(f"/api/v1/loans/{loan.pk}/repayments/", {}, format="json")
    missing = api.as_user(portal).post(f"/api/v1/loans/{loan.pk + 999}/repayments/", {}, format="json")

    assert existing.status_code == missing.status_code == 404


def test_an_officer_gets_403_for_a_repayment_before_its_invalid_body_is_validated(api, loan, officer):
    response = api.as_user(officer).post(
        f"/api/v1/loans/{loan.pk}/repayments/", {"amount": "not a number"}, format="json"
    )

    assert response.status_code == 403


def test_a_scoped_administrator_manages_only_its_providers_programs(
    api, provider, other_provider, make_program
):
    mine = make_program()
    theirs = make_program(provider=other_provider, budget="5000000.00")
    scoped_admin = staff_user("admin_astana", "administrator", provider)
    client = api.as_user(scoped_admin)

    patched = client.patch(f"/api/v1/certificate-programs/{theirs.pk}/", {"budget": "1.00"}, format="json")
    read = client.get(f"/api/v1/certificate-programs/{theirs.pk}/")
    listed = client.get("/api/v1/certificate-programs/").json()["results"]
    created = client.post(
        "/api/v1/certificate-programs/",
        {
            "provider": other_provider.code,
            "year": 2026,
            "budget": "1000000.00",
            "amount_rule": {"kind": "fixed", "value": "500000.00"},
        },
        format="json",
    )
    own = client.patch(f"/api/v1/certificate-programs/{mine.pk}/", {"budget": "40000000.00"}, format="json")

    assert patched.status_code == read.status_code == 404
    assert [p["id"] for p in listed] == [mine.pk]
    assert created.status_code == 400 and "provider" in created.json()
    assert not CertificateProgram.objects.filter(provider=other_provider, year=2026).exists()
    theirs.refresh_from_db()
    assert str(theirs.budget) == "5000000.00"
    assert own.status_code == 200


def test_programs_are_not_shown_to_the_portal_or_other_providers(api, program, portal, other_officer):
    for user in (portal, other_officer):
        assert api.as_user(user).get(f"/api/v1/certificate-programs/{program.pk}/").status_code == 404
        assert api.as_user(user).get("/api/v1/certificate-programs/").json()["results"] == []
