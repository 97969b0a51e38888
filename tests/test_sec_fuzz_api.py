"""Fuzzing in the suite (issue 10): schemathesis walks every operation of ``/api/v1/schema/``
through the WSGI application (no server), with a case officer's token and with the portal's,
30 generated examples per operation each (invalid ones first, then valid ones). No answer
may be a server error, and every answer must be one the schema documents: its status code,
Content-Type, headers and body.

Ids in the paths are drawn partly from seeded objects of the token's provider (cases of the
three services, a program, a loan with a repayment, a document, a notification), so the
fuzzer reaches the views' real code paths and not only their 404s."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import hypothesis
import pytest
import schemathesis
import time_machine
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi import checks

from applications.actions import ACTIONS as APPLICATION_ACTIONS
from applications.tests.conftest import package
from certificates.actions import ACTIONS as CERTIFICATE_ACTIONS
from certificates.models import AmountKind, CertificateProgram, Loan
from certificates.tests.conftest import NOW as CERT_NOW
from certificates.tests.conftest import body as certificate_body
from complaints.tests.conftest import complaint_payload
from housing_aid.models import IssuedDocument
from housing_aid.sla.models import Notification
from tests.factories import staff_user

pytestmark = [pytest.mark.xdist_group("fuzz"), pytest.mark.django_db]

# Every answer: no 5xx, a documented status with its documented Content-Type, headers and body.
CHECKS = [
    not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
EXAMPLES = 30  # per operation and token: up to half invalid, the rest valid
# No parameter, no body, no credentials: one request is all there is to send.
NO_INPUT = "GET /api/v1/providers/"
ALMATY = dt.timezone(dt.timedelta(hours=5))
COMPLAINT_TRANSITIONS = ["start_review", "answer", "refuse_to_consider"]


class InProcessApp:
    """The project's WSGI application, called inside the test's transaction. Django's request
    signals would close the connection (and with it the transaction) around each request; the
    test client detaches that handler too, and reattaches it after each of its requests, so
    it is detached again on every call until the fixture's teardown."""

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        return self.handler(environ, start_response)


@pytest.fixture
def in_process_app():
    yield InProcessApp()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _created(response) -> dict:
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def seeded(provider):
    """A few cases of each service at the provider, made the way their users make them."""
    people = {
        role: staff_user(f"fuzz_{role}", role, provider)
        for role in ("intake_clerk", "case_officer", "head", "complaints_officer", "trustee")
    }
    people["portal"] = staff_user("fuzz_portal", "portal", all_providers=True)
    ids: dict[str, list] = {"application": [], "complaint": [], "certificate": []}
    with time_machine.travel(dt.datetime(2025, 4, 14, 11, 0, tzinfo=ALMATY), tick=False):
        for user, channel in ((people["intake_clerk"], "state_corporation"), (people["portal"], "portal")):
            for iin in ("850315410002", "880212350010"):
                body = package(provider.code, channel=channel, iin=iin)
                ids["application"].append(
                    _created(_client(user).post("/api/v1/applications/", body, format="json"))["id"]
                )
        for user, channel in ((people["complaints_officer"], "office"), (people["portal"], "portal")):
            body = complaint_payload(provider=provider.code, channel=channel)
            ids["complaint"].append(
                _created(_client(user).post("/api/v1/complaints/", body, format="json"))["id"]
            )
    program = CertificateProgram.objects.create(
        provider=provider,
        year=2025,
        budget=Decimal("30000000.00"),
        amount_kind=AmountKind.FIXED,
        amount_value=Decimal("1500000.00"),
    )
    officer, trustee = _client(people["case_officer"]), _client(people["trustee"])
    with time_machine.travel(CERT_NOW, tick=False):
        for iin in ("850315410002", "880212350010"):
            body = certificate_body(provider=provider.code, monthly="400000.00", iin=iin)
            ids["certificate"].append(
                _created(officer.post("/api/v1/certificates/", body, format="json"))["id"]
            )
        cid = ids["certificate"][0]
        steps = [
            (officer, "approve", {}),
            (
                trustee,
                "conclude_agreement",
                {
                    "visited_on": "2025-03-12",
                    "agreement_on": "2025-03-12",
                    "account_iban": "KZ86125KZT5004100100",
                    "loan": {"term_months": 120, "security_kind": "surety"},
                },
            ),
            (trustee, "record_transfer", {"transferred_on": "2025-03-12"}),
        ]
        for client, name, body in steps:
            response = client.post(f"/api/v1/certificates/{cid}/transitions/{name}/", body, format="json")
            assert response.status_code == 200, response.json()
    loan = Loan.objects.get(request_id=cid)
    repayment = _created(
        trustee.post(
            f"/api/v1/loans/{loan.pk}/repayments/",
            {"paid_on": "2025-04-10", "amount": "10000.00"},
            format="json",
        )
    )
    note = f"/api/v1/applications/{ids['application'][0]}/notes/"
    _created(_client(people["case_officer"]).post(note, {"text": "Позвонить заявителю"}, format="json"))
    numbers = IssuedDocument.objects.values_list("number", flat=True)
    for user in people.values():
        Notification.objects.create(
            recipient=user,
            kind="reminder",
            provider=provider,
            case_number="HA-FUZZ",
            due_date=dt.date(2025, 4, 16),
        )
    return {
        "people": people,
        "ids": ids,
        "program": [program.pk],
        "loan": [loan.pk],
        "repayment": [repayment["id"]],
        "document": list(numbers),
        "notification": list(Notification.objects.values_list("pk", flat=True)),
        "iin": ["850315410002", "880212350010"],
    }


def _known(seeded) -> dict[str, dict[str, list]]:
    """Path prefix -> path parameter -> values that name seeded objects."""
    ids = seeded["ids"]
    every_case = ids["application"] + ids["complaint"] + ids["certificate"]
    return {
        "/api/v1/applications/": {"id": ids["application"], "name": [a.name for a in APPLICATION_ACTIONS]},
        "/api/v1/certificates/": {"id": ids["certificate"], "name": [a.name for a in CERTIFICATE_ACTIONS]},
        "/api/v1/complaints/": {"id": ids["complaint"], "name": COMPLAINT_TRANSITIONS},
        "/api/v1/certificate-programs/": {"id": seeded["program"]},
        "/api/v1/loans/": {"id": seeded["loan"], "rid": seeded["repayment"]},
        "/api/v1/notifications/": {"id": seeded["notification"]},
        "/api/v1/documents/": {"number": seeded["document"]},
        "/api/v1/persons/": {"iin": seeded["iin"]},
        "/api/v1/{service}/": {"id": every_case, "service": ["applications", "certificates", "complaints"]},
    }


@pytest.fixture(params=["case_officer", "portal"])
def api_schema(request, in_process_app, seeded):
    token, _ = Token.objects.get_or_create(user=seeded["people"][request.param])
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", in_process_app)
    schema.config.update(headers={"Authorization": f"Token {token.key}"})
    schema.fuzz_token = token
    known = _known(seeded)

    @schema.hook
    def before_generate_path_parameters(context, strategy):
        path = context.operation.path
        values = next((v for prefix, v in known.items() if path.startswith(prefix)), None)
        names = [p.name for p in context.operation.path_parameters]
        if not values or not all(name in values for name in names):
            return strategy
        seeded_values = st.fixed_dictionaries({name: st.sampled_from(values[name]) for name in names})
        return st.one_of(seeded_values, strategy)

    return schema


def _fuzz(operation, mode: GenerationMode, examples: int, token: Token, seen: list, failures: list) -> None:
    @hypothesis.settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        try:
            response = case.call()
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            failures.append(f"{operation.label}: {group}")
            seen.append(response.status_code)
        except Exception as exc:  # noqa: BLE001 - the WSGI transport may re-raise the view's exception
            failures.append(f"{operation.label}: {type(exc).__name__}: {exc} <- {case.as_curl_command()}")
            seen.append(500)
        else:
            seen.append(response.status_code)
        # DELETE /auth/token/ revokes the token the fuzzer calls with: give it back.
        Token.objects.get_or_create(key=token.key, defaults={"user_id": token.user_id})

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, operation.label  # nothing to make invalid


def test_no_operation_answers_a_server_error_or_outside_its_schema(api_schema):
    token = api_schema.fuzz_token
    failures: list[str] = []
    counts: dict[str, list[int]] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        seen = counts.setdefault(operation.label, [])
        # Invalid inputs first; valid ones make up the rest (an operation whose only inputs
        # are free strings has no invalid ones).
        _fuzz(operation, GenerationMode.NEGATIVE, EXAMPLES // 2, token, seen, failures)
        _fuzz(operation, GenerationMode.POSITIVE, EXAMPLES - len(seen), token, seen, failures)

    summary = {label: (len(seen), sorted(set(seen))) for label, seen in counts.items()}
    assert failures == [], "\n\n".join(failures[:10])
    assert len(summary) >= 42
    assert {label: n for label, (n, _) in summary.items() if n < EXAMPLES} == {NO_INPUT: 1}, summary
    reached = {status for _, statuses in summary.values() for status in statuses}
    assert {200, 201, 400, 403, 404} <= reached, reached  # real code paths, not only refusals
    requests = sum(n for n, _ in summary.values())
    print(f"{len(summary)} operations, {requests} requests, statuses {sorted(reached)}")
