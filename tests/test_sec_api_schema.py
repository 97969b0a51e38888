"""The schema documents every operation's error answers, and the list APIs validate their
query parameters (issue 10; API.md, conventions)."""

from __future__ import annotations

import re

import pytest

ERROR_BODY = {
    "400": "#/components/schemas/ValidationErrorBody",
    "401": "#/components/schemas/ErrorBody",
    "403": "#/components/schemas/ErrorBody",
    "404": "#/components/schemas/ErrorBody",
    "409": "#/components/schemas/ConflictBody",
}
# Operations with no role to check (403): public ones, and those of the caller's own things.
NO_ROLES = {
    "POST /api/v1/auth/token/",
    "DELETE /api/v1/auth/token/",
    "GET /api/v1/providers/",
    "GET /api/v1/calendar/working-days/",
    "GET /api/v1/calendar/add-working-days/",
    "GET /api/v1/status/",
    "GET /api/v1/notifications/",
    "POST /api/v1/notifications/read/",
    "POST /api/v1/notifications/{id}/read/",
}
PUBLIC = {"POST /api/v1/auth/token/", "GET /api/v1/status/"}
CASE_ACTION = re.compile(r"^/api/v1/(applications|certificates|complaints|\{service\})/\{id\}/.+")


@pytest.fixture
def schema(api, db):
    response = api.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", method.upper(), path, operation


def _expected(label: str, method: str, path: str) -> set[str]:
    expected = {"400"}
    if label not in PUBLIC:
        expected.add("401")
    if label not in NO_ROLES:
        expected.add("403")
    if "{" in path:
        expected.add("404")
    if method == "POST" and CASE_ACTION.match(path):
        expected.add("409")
    return expected


def test_every_operation_documents_its_error_answers_with_their_bodies(schema):
    missing = {}
    for label, method, path, operation in _operations(schema):
        responses = operation["responses"]
        for status in _expected(label, method, path):
            body = responses.get(status, {}).get("content", {}).get("application/json", {}).get("schema")
            if body != {"$ref": ERROR_BODY[status]}:
                missing.setdefault(label, []).append(status)

    assert len(list(_operations(schema))) >= 40
    assert missing == {}


def test_the_error_bodies_are_the_api_md_shapes(schema):
    components = schema["components"]["schemas"]

    assert components["ValidationErrorBody"]["properties"]["non_field_errors"]["items"] == {"type": "string"}
    assert components["ErrorBody"]["required"] == ["detail"]
    assert set(components["ConflictBody"]["required"]) == {"detail", "code", "status", "allowed_transitions"}


def test_the_throttled_status_lookup_documents_429(schema):
    assert "429" in schema["paths"]["/api/v1/status/"]["get"]["responses"]


def test_query_parameters_and_action_names_are_documented_with_their_values(schema):
    def parameters(path, method="get"):
        return {p["name"]: p["schema"] for p in schema["paths"][path][method]["parameters"]}

    applications = parameters("/api/v1/applications/")
    transitions = parameters("/api/v1/applications/{id}/transitions/{name}/", "post")

    assert set(applications["stage"]["enum"]) >= {"review", "verification", "decision"}
    assert "under_review" in applications["status"]["items"]["enum"]
    assert applications["overdue"]["type"] == "boolean"
    assert applications["page_size"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert "start_review" in transitions["name"]["enum"]
    assert parameters("/api/v1/{service}/bulk-assign/", "post")["service"]["enum"] == [
        "applications",
        "certificates",
        "complaints",
    ]
    assert set(parameters("/api/v1/complaints/")["addressee"]["enum"]) >= {"service_provider"}
    assert parameters("/api/v1/certificate-programs/")["year"]["type"] == "integer"
    assert parameters("/api/v1/notifications/")["unread"]["type"] == "boolean"


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/applications/?stage=archive", "stage"),
        ("/api/v1/applications/?status=registered,lost", "status"),
        ("/api/v1/applications/?channel=fax", "channel"),
        ("/api/v1/applications/?overdue=maybe", "overdue"),
        ("/api/v1/applications/?page_size=null", "page_size"),
        ("/api/v1/applications/?page_size=abc", "page_size"),
        ("/api/v1/applications/?page_size=0", "page_size"),
        ("/api/v1/applications/?page_size=201", "page_size"),
        ("/api/v1/applications/?cursor=not-a-cursor", "cursor"),
        ("/api/v1/applications/?cursor=cD1hYmM%3D", "cursor"),  # base64 of p=abc: no id
        ("/api/v1/certificates/?status=lost", "status"),
        ("/api/v1/certificates/?kind=gift", "kind"),
        ("/api/v1/complaints/?status=lost", "status"),
        ("/api/v1/complaints/?addressee=president", "addressee"),
        ("/api/v1/certificate-programs/?year=twenty", "year"),
        ("/api/v1/certificate-programs/?year=1900", "year"),
        ("/api/v1/notifications/?unread=perhaps", "unread"),
        ("/api/v1/calendar/working-days/?from=2025-13-01&to=2025-12-31", "from"),
        ("/api/v1/calendar/working-days/?from=1900-01-01&to=1900-01-31", "from"),
        ("/api/v1/calendar/add-working-days/?start=2025-02-30&days=5", "start"),
    ],
)
def test_an_invalid_query_parameter_answers_400_naming_it_in_the_callers_language(api, officer, url, field):
    response = api.as_user(officer, language="kk").get(url)

    assert response.status_code == 400, response.content
    messages = response.json()[field]
    assert messages and all(isinstance(m, str) and m for m in messages)
    assert not any(m.isascii() for m in messages), messages  # Kazakh, not English


def test_the_same_message_comes_in_russian_by_default(api, officer):
    unknown_stage = api.as_user(officer).get("/api/v1/applications/?stage=archive").json()
    not_a_number = api.as_user(officer).get("/api/v1/applications/?page_size=null").json()

    assert unknown_stage == {"stage": ["Значения archive нет среди допустимых вариантов."]}
    assert not_a_number == {"page_size": ["Введите правильное число."]}


def test_a_nul_byte_in_a_query_parameter_answers_400(api, officer):
    response = api.as_user(officer).get("/api/v1/complaints/?q=a%00b")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_valid_query_parameters_still_filter(api, officer):
    client = api.as_user(officer)

    for url in (
        "/api/v1/applications/?stage=review&status=registered,under_review&overdue=true&page_size=5",
        "/api/v1/applications/?status=registered&status=assigned&channel=&q=",
        "/api/v1/certificates/?status=approved&kind=budget_loan&overdue=false",
        "/api/v1/complaints/?status=registered&addressee=service_provider&overdue=1",
        "/api/v1/certificate-programs/?year=2025&provider=710000000",
        "/api/v1/notifications/?unread=true",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        assert response.json()["results"] == []


def test_a_lookup_documents_its_404_and_a_body_its_415(schema):
    assert "404" in schema["paths"]["/api/v1/status/"]["get"]["responses"]
    assert "415" in schema["paths"]["/api/v1/applications/"]["post"]["responses"]
    assert "415" not in schema["paths"]["/api/v1/applications/"]["get"]["responses"]


@pytest.mark.parametrize("service", ["applications", "certificates", "complaints"])
def test_every_create_answer_documents_its_warnings(schema, service):
    # API.md: "A create response may carry warnings". The schema named no warnings, so a client
    # generated from it dropped them; certificates and complaints left the key out when empty
    # while applications always sent it.
    ref = schema["paths"][f"/api/v1/{service}/"]["post"]["responses"]["201"]["content"]["application/json"]
    component = schema["components"]["schemas"][ref["schema"]["$ref"].rsplit("/", 1)[1]]

    assert "warnings" in component["required"]
    assert component["properties"]["warnings"]["items"] == {"$ref": "#/components/schemas/Warning"}
    assert schema["components"]["schemas"]["Warning"]["required"] == ["code", "message"]
