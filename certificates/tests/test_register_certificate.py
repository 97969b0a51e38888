"""POST /api/v1/certificates/ as API.md documents it."""

from __future__ import annotations

from decimal import Decimal

from certificates.models import AmountKind, CertificateRequest
from certificates.tests.conftest import body
from housing_aid.models import CaseStage


def test_officer_registers_a_request_with_the_documented_body(api, officer, program, frozen):
    response = api.as_user(officer).post("/api/v1/certificates/", body(), format="json")

    assert response.status_code == 201
    data = response.json()
    assert data["number"].startswith("HC-710000000-2025-")
    assert data["status"] == "under_consideration"
    assert data["registered_on"] == "2025-03-12"
    assert data["decision_due_date"] == "2025-03-17"  # Wed + 3 working days
    assert data["amount"] == "1500000.00"
    assert set(data["income_test"]) >= {
        "year",
        "msl",
        "threshold",
        "family_size",
        "average_monthly_income",
        "per_capita_income",
        "kind",
    }
    assert data["history"][0]["to"] == "under_consideration"
    case = CertificateRequest.objects.get(pk=data["id"])
    stage = CaseStage.objects.get(object_id=case.pk, service="housing_certificate", closed_at__isnull=True)
    assert (stage.stage, stage.due_date.isoformat()) == ("decision", "2025-03-17")


def test_get_returns_the_request_with_status_history_and_documents(api, officer, program, create):
    created = create()

    data = api.as_user(officer).get(f"/api/v1/certificates/{created['id']}/").json()

    assert data["status"] == "under_consideration"
    assert data["income_test"] == created["income_test"]
    assert data["documents"] == []
    assert len(data["history"]) == 1


def test_after_hours_request_is_registered_on_the_next_working_day(api, officer, program, frozen):
    import datetime as dt

    from certificates.tests.conftest import ALMATY

    evening = dt.datetime(2025, 3, 7, 19, 0, tzinfo=ALMATY)  # Friday evening; Mon 10 March is a day off

    data = (
        api.as_user(officer)
        .post(
            "/api/v1/certificates/", body(received_at=evening, bank_notified_on="2025-03-03"), format="json"
        )
        .json()
    )

    assert data["registered_on"] == "2025-03-11"
    assert data["decision_due_date"] == "2025-03-14"


def test_no_program_for_the_financial_year_is_400(api, officer, make_program, frozen):
    make_program(year=2024)

    response = api.as_user(officer).post("/api/v1/certificates/", body(), format="json")

    assert response.status_code == 400
    assert "provider" in response.json()


def test_category_and_programme_are_checked_against_the_program_lists(api, officer, program, frozen):
    response = api.as_user(officer).post(
        "/api/v1/certificates/", body(category="Unknown", mortgage_program="Other"), format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"category", "mortgage_program"}


def test_category_is_free_when_the_program_defines_no_list(api, officer, make_program, frozen):
    make_program(categories=[], mortgage_programs=[])

    response = api.as_user(officer).post(
        "/api/v1/certificates/", body(category="Any", mortgage_program="Any"), format="json"
    )

    assert response.status_code == 201


def test_category_and_programme_may_be_omitted(api, officer, program, frozen):
    data = body()
    del data["category"], data["mortgage_program"]

    assert api.as_user(officer).post("/api/v1/certificates/", data, format="json").status_code == 201


def test_amount_follows_the_program_rule_with_its_cap(api, officer, make_program, frozen):
    make_program(
        amount_kind=AmountKind.PERCENT_OF_DOWN_PAYMENT,
        amount_value=Decimal("90"),
        amount_cap=Decimal("1500000"),
    )

    small = api.as_user(officer).post("/api/v1/certificates/", body(down_payment="1000000.00"), format="json")
    large = api.as_user(officer).post(
        "/api/v1/certificates/", body(down_payment="4000000.00", iin="061211600012"), format="json"
    )

    assert small.json()["amount"] == "900000.00"
    assert large.json()["amount"] == "1500000.00"


def test_invalid_iin_answers_nested_400_in_kazakh(api, officer, program, frozen):
    data = body()
    data["applicant"]["iin"] = "850315410003"

    response = api.as_user(officer, language="kk").post("/api/v1/certificates/", data, format="json")

    assert response.status_code == 400
    assert "iin" in response.json()["applicant"]


def test_future_receipt_is_400(api, officer, program, frozen):
    import datetime as dt

    from certificates.tests.conftest import NOW

    response = api.as_user(officer).post(
        "/api/v1/certificates/", body(received_at=NOW + dt.timedelta(days=2)), format="json"
    )

    assert response.status_code == 400
    assert "received_at" in response.json()


def test_clerk_creates_only_on_the_state_corporation_channel(api, clerk, program, frozen):
    refused = api.as_user(clerk).post("/api/v1/certificates/", body(channel="administrator"), format="json")
    accepted = api.as_user(clerk).post(
        "/api/v1/certificates/", body(channel="state_corporation"), format="json"
    )

    assert refused.status_code == 403
    assert accepted.status_code == 201
    assert CertificateRequest.objects.get(pk=accepted.json()["id"]).forwarded_at is not None


def test_trustee_and_portal_cannot_create(api, trustee, portal, program, frozen):
    assert api.as_user(trustee).post("/api/v1/certificates/", body(), format="json").status_code == 403
    assert api.as_user(portal).post("/api/v1/certificates/", body(), format="json").status_code == 403


def test_another_providers_request_answers_404(api, other_officer, program, create):
    created = create()

    assert api.as_user(other_officer).get(f"/api/v1/certificates/{created['id']}/").status_code == 404
    response = api.as_user(other_officer).post(f"/api/v1/certificates/{created['id']}/transitions/approve/")
    assert response.status_code == 404


def test_idempotency_key_returns_the_first_response(api, officer, program, frozen):
    client = api.as_user(officer)

    first = client.post("/api/v1/certificates/", body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/api/v1/certificates/", body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.json()["id"] == second.json()["id"]
    assert CertificateRequest.objects.count() == 1


def test_list_is_cursor_paginated_and_scoped(
    api, officer, other_officer, program, create, django_assert_max_num_queries
):
    for iin in ("850315410002", "061211600012"):
        create(iin=iin)

    with django_assert_max_num_queries(8):
        data = api.as_user(officer).get("/api/v1/certificates/").json()
    assert set(data) == {"next", "previous", "results"}
    assert len(data["results"]) == 2
    assert api.as_user(other_officer).get("/api/v1/certificates/").json()["results"] == []


def test_list_query_count_does_not_grow_with_rows(api, officer, program, create):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    create()
    client = api.as_user(officer)
    with CaptureQueriesContext(connection) as one_row:
        client.get("/api/v1/certificates/")
    for iin in ("061211600012", "850315410002", "061211600012"):
        create(iin=iin)
    with CaptureQueriesContext(connection) as four_rows:
        assert len(client.get("/api/v1/certificates/").json()["results"]) == 4

    assert len(four_rows.captured_queries) == len(one_row.captured_queries)


def test_public_status_lookup_finds_the_request(api, program, create):
    created = create()

    response = api.get("/api/v1/status/", {"number": created["number"], "iin": "850315410002"})

    assert response.status_code == 200
    assert response.json()["service"] == "housing_certificate"
