"""API.md "Status for the applicant": one endpoint answers for all three services.

``GET /api/v1/status/?number=&iin=`` needs no credentials, answers exactly the documented
keys, translates ``status_display`` by ``Accept-Language`` and gives a wrong IIN and an
unknown number the very same 404.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation
from rest_framework.test import APIClient

from applications.models import ApplicationStatus
from applications.tests.conftest import make_iin, package
from certificates.models import AmountKind, CertificateProgram, Status
from certificates.tests.conftest import NOW as CERTIFICATE_RECEIVED
from certificates.tests.conftest import body as certificate_body
from complaints.models import PUBLIC_STATUS_LABELS, ComplaintStatus
from complaints.tests.conftest import complaint_payload

ALMATY = ZoneInfo("Asia/Almaty")
NOW = dt.datetime(2025, 4, 14, 11, 0, tzinfo=ALMATY)
STATUS_KEYS = {"number", "service", "status", "status_display", "due_date", "history"}
APPLICANT_IIN = make_iin(11)
CERTIFICATE_IIN = make_iin(22)
COMPLAINANT_IIN = make_iin(33)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cases(api, clerk, officer, complaints_officer, provider, frozen):
    """One case of each service, each for a different person, created through the API."""
    CertificateProgram.objects.create(
        provider=provider,
        year=2025,
        budget="30000000.00",
        amount_kind=AmountKind.FIXED,
        amount_value="1500000.00",
        categories=[],
        mortgage_programs=[],
    )
    application = api.as_user(clerk).post("/api/v1/applications/", package(iin=APPLICANT_IIN), format="json")
    certificate = api.as_user(officer).post(
        "/api/v1/certificates/",
        certificate_body(received_at=CERTIFICATE_RECEIVED, iin=CERTIFICATE_IIN),
        format="json",
    )
    complaint = api.as_user(complaints_officer).post(
        "/api/v1/complaints/", complaint_payload(complainant={"iin": COMPLAINANT_IIN}), format="json"
    )
    assert [r.status_code for r in (application, certificate, complaint)] == [201, 201, 201]
    return {
        "housing_assistance": (application.json(), APPLICANT_IIN),
        "housing_certificate": (certificate.json(), CERTIFICATE_IIN),
        "complaint": (complaint.json(), COMPLAINANT_IIN),
    }


def _lookup(number: str, iin: str, language: str | None = None, **headers):
    client = APIClient()  # nobody logged in, no token
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    return client.get("/api/v1/status/", {"number": number, "iin": iin}, **headers)


def _label(choices_label, language: str) -> str:
    with translation.override(language):
        return str(choices_label)


EXPECTED = {
    # service: (status, label of that status, history statuses, due date)
    "housing_assistance": (
        "registered",
        dict(ApplicationStatus.choices)["registered"],
        ["registered"],
        "2025-04-24",
    ),
    "housing_certificate": (
        "under_consideration",
        dict(Status.choices)["under_consideration"],
        ["under_consideration"],
        None,  # filled from the 201 body
    ),
    "complaint": (
        "registered",
        PUBLIC_STATUS_LABELS[ComplaintStatus.REGISTERED],
        ["delivered", "registered"],
        None,
    ),
}


@pytest.mark.parametrize("service", list(EXPECTED))
def test_right_number_and_iin_answer_exactly_the_documented_shape(cases, service):
    # given a case of the service, registered through the API
    created, iin = cases[service]
    status, _label_text, history, due_date = EXPECTED[service]

    # when the applicant looks it up without any credentials
    response = _lookup(created["number"], iin)

    # then the answer has exactly API.md's keys and values
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == STATUS_KEYS
    assert body["number"] == created["number"]
    assert body["service"] == service
    assert body["status"] == status
    expected_due = due_date or created.get("due_date") or created.get("decision_due_date")
    assert body["due_date"] == expected_due
    assert [item["status"] for item in body["history"]] == history
    for item in body["history"]:
        assert dt.datetime.fromisoformat(item["at"]).tzinfo is not None


@pytest.mark.parametrize(
    "service",
    [
        "housing_assistance",
        "housing_certificate",
        "complaint",
    ],
)
def test_history_items_are_exactly_status_and_at(cases, service):
    # given a case of the service
    created, iin = cases[service]

    # when the applicant looks it up
    history = _lookup(created["number"], iin).json()["history"]

    # then every history item has exactly API.md's two keys, as for the other services
    assert history
    assert [set(item) for item in history] == [{"status", "at"}] * len(history)


@pytest.mark.parametrize("service", list(EXPECTED))
def test_history_times_are_written_like_every_other_date_time_of_the_api(cases, service):
    # The lookup wrote its times in UTC with microseconds ("2025-03-04T05:00:00.123456+00:00")
    # while the case's own history, received_at and every other date-time of the API are
    # Almaty time (+05:00): the same moment must read the same everywhere.
    created, iin = cases[service]

    history = _lookup(created["number"], iin).json()["history"]

    registered = next(item["at"] for item in history if item["status"] == created["status"])
    assert registered == created["history"][0]["at"]
    assert all(item["at"].endswith("+05:00") for item in history), history


@pytest.mark.parametrize("service", list(EXPECTED))
def test_a_bogus_token_does_not_matter_to_the_public_lookup(cases, service):
    # given a case and a client that sends a token nobody issued
    created, iin = cases[service]

    # when it looks the case up
    response = _lookup(created["number"], iin, HTTP_AUTHORIZATION="Token not-a-real-token")

    # then the endpoint ignores authentication altogether and answers
    assert response.status_code == 200
    assert response.json()["number"] == created["number"]


@pytest.mark.parametrize("service", list(EXPECTED))
def test_wrong_iin_and_unknown_number_give_the_same_404(cases, service):
    # given a case of the service, and the IIN of a person of another service's case
    created, iin = cases[service]
    someone_else = next(other_iin for key, (_c, other_iin) in cases.items() if key != service)
    series = created["number"].split("-")[0]
    unknown_number = f"{series}-710000000-2025-09999"

    # when the lookup uses the wrong IIN, an unknown number or a malformed number
    wrong_iin = _lookup(created["number"], someone_else)
    unknown = _lookup(unknown_number, iin)
    malformed = _lookup("XX-1", iin)

    # then every one answers the very same 404, so nothing tells a number exists
    # (a lookup without an IIN is a 400 naming it, whatever the number: API.md)
    assert wrong_iin.status_code == unknown.status_code == malformed.status_code == 404
    assert wrong_iin.json() == unknown.json() == malformed.json()
    assert _lookup(created["number"], "").status_code == 400
    assert wrong_iin.content == unknown.content


@pytest.mark.parametrize("service", list(EXPECTED))
def test_status_display_follows_accept_language(cases, service):
    # given a case of the service
    created, iin = cases[service]
    label = EXPECTED[service][1]

    # when the applicant looks it up with no language, ru, kk and en
    default = _lookup(created["number"], iin).json()["status_display"]
    ru = _lookup(created["number"], iin, "ru").json()["status_display"]
    kk = _lookup(created["number"], iin, "kk").json()["status_display"]
    en = _lookup(created["number"], iin, "en").json()["status_display"]

    # then Russian is the default and each language has its own wording from the catalogue
    assert default == ru == _label(label, "ru")
    assert kk == _label(label, "kk")
    assert en == _label(label, "en")
    assert len({ru, kk, en}) == 3
    assert any("а" <= ch.lower() <= "я" for ch in ru)
    assert en.isascii()


def test_status_lookup_says_registered_in_english_for_all_services(cases):
    # given one case of each service
    # when each is looked up in English
    displays = {
        service: _lookup(created["number"], iin, "en").json()["status_display"]
        for service, (created, iin) in cases.items()
    }

    # then the English wording is the one the product defines
    assert displays == {
        "housing_assistance": "Registered",
        "housing_certificate": "Under consideration",
        "complaint": "Registered",
    }


def test_status_lookup_is_throttled_per_client_address(cases):
    # given the default rate of 60 lookups a minute per client address
    created, iin = cases["complaint"]

    # when one address asks 61 times within the minute, and another address once
    answers = [_lookup(created["number"], iin, REMOTE_ADDR="203.0.113.7").status_code for _ in range(61)]
    other = _lookup(created["number"], iin, REMOTE_ADDR="203.0.113.8")

    # then the first 60 are answered, the 61st is refused with 429, and the other address is not affected
    assert answers[:60] == [200] * 60
    assert answers[60] == 429
    assert other.status_code == 200
