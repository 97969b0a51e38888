"""API.md conventions: "A POST that creates a case accepts an Idempotency-Key header: the same
key from the same caller returns the first response again and creates nothing new." A key is
the caller's own: another caller sending the same key creates its own case."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications.models import Application
from applications.tests.conftest import make_iin, package
from certificates.models import AmountKind, CertificateProgram, CertificateRequest
from certificates.tests.conftest import NOW as CERTIFICATE_RECEIVED
from certificates.tests.conftest import body as certificate_body
from complaints.models import Complaint
from complaints.tests.conftest import complaint_payload
from tests.factories import staff_user

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
NOW = dt.datetime(2025, 4, 14, 11, 0, tzinfo=ALMATY)
KEY = "portal-request-7f1c2a"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def program(provider):
    return CertificateProgram.objects.create(
        provider=provider,
        year=2025,
        budget="30000000.00",
        amount_kind=AmountKind.FIXED,
        amount_value="1500000.00",
        categories=[],
        mortgage_programs=[],
    )


def _application(n: int) -> dict:
    return package(iin=make_iin(n))


def _certificate(n: int) -> dict:
    return certificate_body(received_at=CERTIFICATE_RECEIVED, iin=make_iin(n))


def _complaint(n: int) -> dict:
    return complaint_payload(complainant={"iin": make_iin(n)})


@pytest.fixture
def services(program, clerk, officer, complaints_officer, provider):
    """For each create endpoint: its URL, model, body builder, a caller and a second caller of the same role,
    and the transition that changes the case after the first response."""
    return {
        "applications": (
            "/api/v1/applications/",
            Application,
            _application,
            clerk,
            staff_user("clerk2", "intake_clerk", provider),
        ),
        "certificates": (
            "/api/v1/certificates/",
            CertificateRequest,
            _certificate,
            officer,
            staff_user("officer2", "case_officer", provider),
        ),
        "complaints": (
            "/api/v1/complaints/",
            Complaint,
            _complaint,
            complaints_officer,
            staff_user("complaints2", "complaints_officer", provider),
        ),
    }


SERVICES = ["applications", "certificates", "complaints"]


def _post(api, user, url: str, body: dict, key: str | None = KEY):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return api.as_user(user).post(url, body, format="json", **headers)


@pytest.mark.parametrize("service", SERVICES)
def test_same_key_from_the_same_caller_replays_the_first_response(api, services, service):
    # given a case created with an Idempotency-Key
    url, model, body, caller, _other = services[service]
    first = _post(api, caller, url, body(1))
    assert first.status_code == 201, first.json()

    # when the same caller retries with the same key (the retry even carries a changed body)
    retry = _post(api, caller, url, body(1))
    changed = _post(api, caller, url, body(2))

    # then both retries answer the first response again and nothing new is created
    assert retry.status_code == changed.status_code == 201
    assert retry.json() == first.json()
    assert changed.json() == first.json()
    assert list(model.objects.values_list("number", flat=True)) == [first.json()["number"]]


@pytest.mark.parametrize("service", SERVICES)
def test_replay_is_the_first_response_even_after_the_case_moved_on(
    api, services, service, officer, complaints_officer
):
    # given a case created with a key, which then moves to another status
    url, model, body, caller, _other = services[service]
    first = _post(api, caller, url, body(1))
    case_id = first.json()["id"]
    mover, name = {
        "applications": (officer, "start_review"),
        "certificates": (officer, "approve"),
        "complaints": (complaints_officer, "start_review"),
    }[service]
    moved = api.as_user(mover).post(f"{url}{case_id}/transitions/{name}/", {}, format="json")
    assert moved.status_code == 200, moved.json()
    assert moved.json()["status"] != first.json()["status"]

    # when the caller retries with the same key
    retry = _post(api, caller, url, body(1))

    # then it gets the first response (the creation), not the case's current state, and no new case
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert model.objects.count() == 1


@pytest.mark.parametrize("service", SERVICES)
def test_same_key_from_another_caller_creates_a_new_case(api, services, service):
    # given a case created by one caller with a key
    url, model, body, caller, other = services[service]
    first = _post(api, caller, url, body(1))
    assert first.status_code == 201

    # when another caller of the same role sends the same key with its own request
    second = _post(api, other, url, body(2))

    # then a second case is created with its own id and number
    assert second.status_code == 201, second.json()
    assert second.json()["id"] != first.json()["id"]
    assert second.json()["number"] != first.json()["number"]
    assert model.objects.count() == 2
    assert model.objects.get(pk=second.json()["id"]).created_by == other


@pytest.mark.parametrize("service", SERVICES)
def test_without_a_key_each_post_creates_a_case(api, services, service):
    # given no Idempotency-Key
    url, model, body, caller, _other = services[service]

    # when the caller posts twice
    first = _post(api, caller, url, body(1), key=None)
    second = _post(api, caller, url, body(2), key=None)

    # then there are two cases: the key is what makes a retry safe
    assert first.status_code == second.status_code == 201
    assert model.objects.count() == 2


@pytest.mark.parametrize("service", SERVICES)
def test_a_rejected_request_does_not_use_up_the_key(api, services, service):
    # given a first request with the key that is refused (400: the provider is unknown)
    url, model, body, caller, _other = services[service]
    bad = body(1)
    bad["provider"] = "000000000"
    refused = _post(api, caller, url, bad)
    assert refused.status_code == 400

    # when the caller corrects it and sends it with the same key
    corrected = _post(api, caller, url, body(1))

    # then the corrected request is processed and creates the case
    assert corrected.status_code == 201, corrected.json()
    assert model.objects.count() == 1
