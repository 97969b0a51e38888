"""Token endpoint, 401/403/404 rules, Accept-Language, OpenAPI."""

from __future__ import annotations

from rest_framework.test import APIClient


def test_token_for_right_credentials(api, officer):
    response = api.post(
        "/api/v1/auth/token/", {"username": "officer", "password": "pass-12345"}, format="json"
    )

    assert response.status_code == 200
    assert len(response.json()["token"]) >= 20


def test_wrong_credentials_answer_400(api, officer):
    response = api.post(
        "/api/v1/auth/token/",
        {"username": "officer", "password": "nope"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Wrong username or password."]}


def test_wrong_credentials_message_in_russian_by_default(api, officer):
    response = api.post("/api/v1/auth/token/", {"username": "officer", "password": "nope"}, format="json")

    assert response.json()["non_field_errors"] == ["Неверное имя пользователя или пароль."]


def test_missing_fields_answer_400_per_field(api, db):
    response = api.post("/api/v1/auth/token/", {}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_no_credentials_answer_401(db):
    response = APIClient().get("/api/v1/documents/D-710000000-2025-00001/pdf/")

    assert response.status_code == 401


def test_unknown_document_answers_404(api, officer):
    response = api.as_user(officer).get("/api/v1/documents/D-710000000-2025-00001/pdf/")

    assert response.status_code == 404


def test_openapi_schema_and_docs(api, db):
    schema = api.get("/api/v1/schema/")
    docs = api.get("/api/v1/docs/")

    assert schema.status_code == 200
    assert b"/api/v1/calendar/add-working-days/" in schema.content
    assert docs.status_code == 200


def test_status_lookup_is_404_for_unknown_numbers(api, db):
    response = api.get("/api/v1/status/", {"number": "HA-710000000-2025-00001", "iin": "850315410002"})

    assert response.status_code == 404


def test_health(client, db):
    assert client.get("/healthz/").json() == {"status": "ok"}


def test_status_lookup_is_throttled_per_client_address(api, db):
    params = {"number": "HA-710000000-2025-00001", "iin": "850315410002"}
    answers = [api.get("/api/v1/status/", params, REMOTE_ADDR="10.1.1.1").status_code for _ in range(61)]
    other_client = api.get("/api/v1/status/", params, REMOTE_ADDR="10.1.1.2")

    assert answers[:60] == [404] * 60
    assert answers[60] == 429
    assert other_client.status_code == 404


def test_openapi_schema_generates_without_warnings(tmp_path, db):
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yml"))

    schema = (tmp_path / "schema.yml").read_text()
    for path in (
        "/api/v1/applications/",
        "/api/v1/certificates/",
        "/api/v1/complaints/",
        "/api/v1/notifications/",
    ):
        assert path in schema


def test_kazakh_screens_group_money_and_write_dates_like_russian_ones():
    from decimal import Decimal

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{{ amount|floatformat:"2g" }} {{ day|date:"SHORT_DATE_FORMAT" }}')
    context = Context({"amount": Decimal("1500000"), "day": __import__("datetime").date(2026, 11, 22)})
    with translation.override("kk"):
        kk = template.render(context)
    with translation.override("ru"):
        ru = template.render(context)

    assert kk == ru == "1\xa0500\xa0000,00 22.11.2026"
