"""Hostile input answers 400, never 500; throttles count the real address; sessions and
tokens expire (issue 10; API.md, conventions)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import override_settings
from rest_framework.authtoken.models import Token

from applications.models import Application
from applications.tests.conftest import package
from housing_aid.middleware import json_depth

ALMATY = dt.timezone(dt.timedelta(hours=5))


@pytest.fixture
def intake_day():
    with time_machine.travel(dt.datetime(2025, 4, 14, 11, 0, tzinfo=ALMATY), tick=False):
        yield


def test_json_depth_skips_strings():
    assert json_depth(b'{"a": [1, {"b": "[[[{{{"}]}') == 3
    assert json_depth(b'"plain"') == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/status/?number=HA%00&iin=850315410002",
        "/api/v1/applications/?q=%00",
        "/api/v1/applications/?status=registered%00",
        "/api/v1/documents/HA-1%00/pdf/",
        "/applications/?q=%00",
        "/verify/abc%00def/",
    ],
)
def test_a_nul_byte_in_a_query_or_a_path_answers_400(api, client, officer, url):
    api.as_user(officer)
    client.force_login(officer)

    response = (api if url.startswith("/api/") else client).get(url)

    assert response.status_code == 400


def test_a_nul_byte_in_a_json_body_answers_400_and_creates_nothing(api, clerk, intake_day):
    body = package(last_name="Әбді\x00рахманова")

    response = api.as_user(clerk).post("/api/v1/applications/", body, format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not Application.objects.exists()


def test_a_nul_byte_in_a_form_body_answers_400(client, db):
    multipart = client.post("/login/", {"username": "x\x00", "password": "y"})
    urlencoded = client.post(
        "/login/", "username=x%00&password=y", content_type="application/x-www-form-urlencoded"
    )

    assert multipart.status_code == urlencoded.status_code == 400


def test_a_received_at_of_1900_answers_400(api, clerk, intake_day):
    body = package(received_at="1900-03-20T10:00:00+05:00")

    response = api.as_user(clerk).post("/api/v1/applications/", body, format="json")

    assert response.status_code == 400, response.content
    assert not Application.objects.exists()


def test_a_body_nested_100000_deep_answers_400(api, clerk):
    body = "[" * 100_000 + "]" * 100_000

    response = api.as_user(clerk).post("/api/v1/applications/", body, content_type="application/json")

    assert response.status_code == 400
    assert "nested" in response.json()["non_field_errors"][0] or response.json()["non_field_errors"]


def test_a_json_body_over_the_size_limit_answers_400(api, clerk, settings):
    settings.MAX_JSON_BYTES = 1000
    body = json.dumps({"x": "a" * 2000})

    response = api.as_user(clerk).post("/api/v1/applications/", body, content_type="application/json")

    assert response.status_code == 400


def test_61_lookups_with_61_forwarded_for_values_from_one_address_get_a_429(api, db):
    params = {"number": "HA-710000000-2025-00001", "iin": "850315410002"}
    answers = [
        api.get(
            "/api/v1/status/", params, REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        ).status_code
        for i in range(61)
    ]

    assert answers[:60] == [404] * 60
    assert answers[60] == 429


def test_the_trustee_does_not_read_housing_assistance(api, clerk, trustee, intake_day):
    created = api.as_user(clerk).post("/api/v1/applications/", package(), format="json").json()

    detail = api.as_user(trustee).get(f"/api/v1/applications/{created['id']}/")
    listed = api.as_user(trustee).get("/api/v1/applications/")

    assert detail.status_code == 404
    assert listed.json()["results"] == []


def test_an_api_token_expires_and_a_new_one_is_issued(api, officer, settings):
    settings.API_TOKEN_TTL_SECONDS = 3600
    officer.set_password("pw-123456!")
    officer.save()
    first = api.post("/api/v1/auth/token/", {"username": "officer", "password": "pw-123456!"}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")

    assert api.get("/api/v1/notifications/").status_code == 200
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(hours=2), tick=False):
        expired = api.get("/api/v1/notifications/")
        api.credentials()
        second = api.post("/api/v1/auth/token/", {"username": "officer", "password": "pw-123456!"})

    assert expired.status_code == 401
    assert second.json()["token"] != first


def test_an_api_token_can_be_revoked(api, officer):
    client = api.as_user(officer)

    revoked = client.delete("/api/v1/auth/token/")
    after = client.get("/api/v1/notifications/")

    assert revoked.status_code == 204
    assert after.status_code == 401
    assert not Token.objects.filter(user=officer).exists()


@override_settings(SESSION_IDLE_SECONDS=1800, SESSION_ABSOLUTE_SECONDS=12 * 3600)
def test_a_session_ends_after_30_idle_minutes_and_after_12_hours_whatever_the_activity(client, officer):
    start = dt.datetime(2025, 4, 14, 9, 0, tzinfo=ALMATY)
    with time_machine.travel(start, tick=False) as clock:
        client.force_login(officer)
        assert client.get("/applications/").status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/applications/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        assert client.get("/applications/").status_code == 302  # idle: back to the login page

        client.force_login(officer)
        for _ in range(26):  # active every 28 minutes, 12 h 8 min in all
            clock.shift(dt.timedelta(minutes=28))
            last = client.get("/applications/").status_code
        assert last == 302


def test_the_session_cookie_ends_with_the_browser(client, officer, settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    client.force_login(officer)
    response = client.get("/applications/")

    assert response.status_code == 200
    assert not client.cookies["sessionid"]["expires"]


def test_the_status_lookup_without_its_parameters_answers_400(api, db):
    response = api.get("/api/v1/status/", {"number": "HA-710000000-2025-00001"})

    assert response.status_code == 400
    assert "iin" in response.json()


def test_a_multipart_body_with_too_many_fields_answers_400(api, officer):
    # Found by the fuzzer: the edge read the form, Django refused it, and the view then found
    # the stream spent (500).
    body = "".join(
        f'--b\r\nContent-Disposition: form-data; name="ids"\r\n\r\n{n}\r\n' for n in range(1, 1200)
    )
    response = api.as_user(officer, language="kk").post(
        "/api/v1/notifications/read/",
        data=(body + "--b--\r\n").encode(),
        content_type="multipart/form-data; boundary=b",
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Сұраныстағы форма бүлінген немесе тым үлкен."]}


def test_a_body_that_is_not_json_answers_400_in_the_api_shape(api, officer):
    response = api.as_user(officer).post(
        "/api/v1/notifications/read/", data=b"{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]


def test_a_form_django_refuses_before_the_view_answers_the_api_400_body(api, officer):
    # Found by the fuzzer: more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS got Django's HTML page.
    body = "&".join(f"ids={n}" for n in range(1, 1200))
    response = api.as_user(officer).post(
        "/api/v1/notifications/read/", data=body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"non_field_errors": ["Запрос повреждён или слишком велик."]}


def test_an_api_url_that_matches_no_route_answers_the_json_404(api, officer):
    response = api.as_user(officer).get("/api/v1/applications/not-a-number/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Страница не найдена."}


@pytest.fixture
def registered_id(clerk, intake_day):
    """A registered application, made without its PDFs (the tests below need only the case)."""
    from applications import services
    from applications.serializers import ApplicationCreateSerializer

    data = ApplicationCreateSerializer(data=package())
    data.is_valid(raise_exception=True)
    return services.submit_application(data.to_intake(), clerk).pk


@pytest.mark.parametrize("body", [["executor"], "officer", 7])
@pytest.mark.parametrize(
    "path, who",
    [("transitions/start_review/", "officer"), ("assign/", "head"), ("notes/", "officer")],
)
def test_an_action_body_that_is_not_an_object_answers_400_and_changes_nothing(
    api, officer, head, registered_id, path, who, body
):
    # A JSON list, string or number where the body is an object was read as an empty body:
    # start_review and a head's assignment went through (200) on a body that said nothing.
    user = {"officer": officer, "head": head}[who]

    response = api.as_user(user).post(f"/api/v1/applications/{registered_id}/{path}", body, format="json")

    assert response.status_code == 400, response.content
    assert response.json() == {"non_field_errors": ["Тело запроса должно быть объектом JSON."]}
    application = Application.objects.get(pk=registered_id)
    assert (application.status, application.assignee_id) == ("registered", None)


def test_a_role_that_may_never_act_gets_403_before_a_body_that_is_not_an_object(api, clerk, registered_id):
    response = api.as_user(clerk).post(
        f"/api/v1/applications/{registered_id}/transitions/start_review/", [1], format="json"
    )

    assert response.status_code == 403


@pytest.mark.parametrize(
    "path, who",
    [
        ("transitions/start_review/", "clerk"),
        ("notes/", "auditor"),
        ("assign/", "clerk"),
        ("transitions/sign/", "officer"),
    ],
)
@pytest.mark.parametrize(
    "raw, content_type",
    [(b'{"reason": ', "application/json"), (b"reason=x", "text/plain")],
)
def test_a_role_that_may_never_act_gets_403_before_a_body_that_does_not_parse(
    api, clerk, auditor, officer, registered_id, path, who, raw, content_type
):
    # The views read the body (400 for JSON that does not parse, 415 for a type they do not
    # read) before the runner checked the role: API.md, 403 before the body is validated.
    user = {"clerk": clerk, "auditor": auditor, "officer": officer}[who]

    response = api.as_user(user).post(
        f"/api/v1/applications/{registered_id}/{path}", data=raw, content_type=content_type
    )

    assert response.status_code == 403, response.content


@pytest.mark.parametrize(
    "received_at", ["0001-01-01", "9999-12-31T23:00:00-05:00", "1999-12-31T10:00:00+05:00"]
)
@pytest.mark.parametrize("service", ["applications", "complaints", "certificates"])
def test_a_received_at_at_the_ends_of_time_answers_400_under_the_field(
    api, clerk, complaints_officer, officer, intake_day, service, received_at
):
    # The year 1 and the year 9999 overflowed converting to UTC (500) before the calendar
    # was asked; a year before the calendar answered 400 without naming the field.
    from certificates.tests.conftest import body as certificate_body
    from complaints.tests.conftest import complaint_payload

    user, body = {
        "applications": (clerk, package()),
        "complaints": (complaints_officer, complaint_payload()),
        "certificates": (officer, certificate_body()),
    }[service]
    body["received_at"] = received_at

    response = api.as_user(user).post(f"/api/v1/{service}/", body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["received_at"] == ["Дата вне производственного календаря (2000-2045)."]


@pytest.mark.parametrize("text", ['"\\ud800"', '"\\udc00 after"', '"\\ud83c\\ud83c"'])
def test_half_a_surrogate_pair_in_a_json_body_answers_400(api, clerk, intake_day, text):
    # json.loads turns "\ud800" into a str no UTF-8 encoder takes: a choice field echoed it in
    # its message and the answer could not be written (500); a text field reached the database.
    for field in ('"channel"', '"provider"'):
        raw = json.dumps(package()).replace(f"{field}: ", f"{field}: {text}, {field}_was: ", 1)

        response = api.as_user(clerk, language="kk").post(
            "/api/v1/applications/", raw, content_type="application/json"
        )

        assert response.status_code == 400
        assert response.json() == {"non_field_errors": ["Сұраныста жарамды Юникод емес мәтін бар."]}
    assert not Application.objects.exists()


def test_a_whole_surrogate_pair_in_a_json_body_is_text_like_any_other(api, clerk, intake_day):
    raw = json.dumps(package(address="Астана, үй \U0001f3e0"), ensure_ascii=True)
    assert "\\ud83c\\udfe0" in raw

    response = api.as_user(clerk).post("/api/v1/applications/", raw, content_type="application/json")

    assert response.status_code == 201, response.content
