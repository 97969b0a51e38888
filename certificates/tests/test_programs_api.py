"""Programs: administrators create and edit them; one per provider and year."""

from __future__ import annotations

from decimal import Decimal

from certificates.models import CertificateProgram, ProgramEvent

PROGRAM = {
    "provider": "710000000",
    "year": 2025,
    "budget": "30000000.00",
    "amount_rule": {"kind": "percent_of_loan", "value": "10", "cap": "1500000.00"},
    "categories": ["Многодетные семьи"],
    "mortgage_programs": ["Наурыз", "Отбасы"],
}


def test_administrator_creates_a_program(api, admin_user):
    response = api.as_user(admin_user).post("/api/v1/certificate-programs/", PROGRAM, format="json")

    assert response.status_code == 201
    data = response.json()
    assert data["remaining"] == "30000000.00"
    assert data["committed"] == "0.00"
    assert data["terminated"] is False
    assert data["announcement"] is None
    assert data["amount_rule"] == {"kind": "percent_of_loan", "value": "10.00", "cap": "1500000.00"}


def test_second_program_for_the_same_year_is_400(api, admin_user):
    api.as_user(admin_user).post("/api/v1/certificate-programs/", PROGRAM, format="json")

    response = api.as_user(admin_user, language="kk").post(
        "/api/v1/certificate-programs/", PROGRAM, format="json"
    )

    assert response.status_code == 400
    # DRF's unique-together message came first, in machine-made Russian ("Поля provider, year
    # должны производить массив с уникальными значениями."), not the service's own.
    assert response.json() == {"year": ["Бұл көрсетілетін қызметті берушінің 2025 жылға бағдарламасы бар."]}


def test_officer_may_read_but_not_create(api, officer, admin_user):
    assert (
        api.as_user(officer).post("/api/v1/certificate-programs/", PROGRAM, format="json").status_code == 403
    )
    api.as_user(admin_user).post("/api/v1/certificate-programs/", PROGRAM, format="json")

    listed = api.as_user(officer).get(
        "/api/v1/certificate-programs/", {"provider": "710000000", "year": 2025}
    )

    assert listed.status_code == 200
    assert set(listed.json()["results"][0]) >= {
        "id",
        "provider",
        "year",
        "budget",
        "committed",
        "remaining",
        "terminated",
        "announcement",
    }


def test_list_is_empty_when_there_is_no_program(api, officer, reference):
    data = (
        api.as_user(officer)
        .get("/api/v1/certificate-programs/", {"provider": "710000000", "year": 2031})
        .json()
    )

    assert data["results"] == []
    assert data["next"] is None


def test_budget_cannot_drop_below_the_committed(api, admin_user, make_program):
    program = make_program(budget="3000000.00")
    CertificateProgram.objects.filter(pk=program.pk).update(committed=Decimal("1500000.00"))

    response = api.as_user(admin_user).patch(
        f"/api/v1/certificate-programs/{program.pk}/", {"budget": "1000000.00"}, format="json"
    )

    assert response.status_code == 400
    assert "budget" in response.json()


def test_a_budget_patch_runs_the_declared_action_with_one_event(api, admin_user, make_program):
    program = make_program(budget="3000000.00")
    url = f"/api/v1/certificate-programs/{program.pk}/"

    raised = api.as_user(admin_user).patch(url, {"budget": "4500000.00"}, format="json")
    same = api.as_user(admin_user).patch(url, {"budget": "4500000.00"}, format="json")

    assert raised.status_code == 200 and raised.json()["budget"] == "4500000.00"
    assert same.status_code == 200
    assert list(ProgramEvent.objects.filter(program=program).values_list("kind", "budget_before")) == [
        ("budget_changed", Decimal("3000000.00"))
    ]


def test_anonymous_gets_401(api, reference):
    assert api.get("/api/v1/certificate-programs/").status_code == 401


def test_a_terms_patch_runs_the_declared_action_and_the_provider_stays(
    api, admin_user, make_program, other_provider
):
    program = make_program(budget="3000000.00")
    url = f"/api/v1/certificate-programs/{program.pk}/"

    changed = api.as_user(admin_user).patch(url, {"decision": "Решение маслихата № 12/3"}, format="json")
    moved = api.as_user(admin_user).patch(url, {"provider": other_provider.code}, format="json")

    assert changed.status_code == 200 and changed.json()["decision"] == "Решение маслихата № 12/3"
    assert moved.status_code == 400 and "provider" in moved.json()
    program.refresh_from_db()
    assert program.decision == "Решение маслихата № 12/3" and program.provider_id != other_provider.pk
    assert list(ProgramEvent.objects.filter(program=program).values_list("kind", flat=True)) == [
        "terms_changed"
    ]


def test_an_implausible_certificate_amount_or_cap_is_400_and_creates_nothing(api, admin_user):
    # A fixed certificate of 99 999 999 999 999.99 KZT was accepted (201): API.md, amounts
    # beyond any plausible figure -> 400. The limit is the plausible mortgage loan
    # registration checks a loan against (1 000 000 000.00 in force).
    fixed = {**PROGRAM, "amount_rule": {"kind": "fixed", "value": "99999999999999.99"}}
    capped = {**PROGRAM, "amount_rule": {"kind": "percent_of_loan", "value": "10", "cap": "5000000000.00"}}

    answers = [
        api.as_user(admin_user).post("/api/v1/certificate-programs/", b, format="json")
        for b in (fixed, capped)
    ]

    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json() == {
        "amount_rule": {
            "value": [
                "99\u00a0999\u00a0999\u00a0999\u00a0999.99 тенге больше правдоподобных 1\u00a0000\u00a0000\u00a0000.00 тенге: проверьте сумму."
            ]
        }
    }
    assert list(answers[1].json()["amount_rule"]) == ["cap"]
    assert not CertificateProgram.objects.exists()
