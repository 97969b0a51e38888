"""The permanent scoping sweep (issue 10): every URL pattern of the project that takes an
object key is tried by every role of provider A against provider B's object of that kind
(404, exactly as a missing object) and against A's own (some role reads it, so the 404s
are not vacuous). A new URL with an object key and no entry in KIND_OF fails the test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from applications.tests.conftest import package
from certificates.models import AmountKind, CertificateProgram, Loan
from certificates.tests.conftest import NOW as CERT_NOW
from certificates.tests.conftest import body as certificate_body
from complaints.tests.conftest import complaint_payload
from housing_aid.models import IssuedDocument
from housing_aid.sla.models import Notification
from tests.factories import staff_user

pytestmark = pytest.mark.xdist_group("scoping_sweep")

# URL name -> the kind of object its key names. Public by design (no scope): the document
# verification page answers anyone holding the QR code's token.
KIND_OF = {
    "document_pdf": "document",
    "api_document_pdf": "document",
    "api_application": "application",
    "api_application_transition": "application",
    "api_application_attachments": "application",
    "api_certificate_program": "program",
    "api_certificate": "certificate",
    "api_certificate_transition": "certificate",
    "api_loan": "loan",
    "api_loan_repayments": "loan",
    "api_complaint": "complaint",
    "api_complaint_transition": "complaint",
    "api_complaint_escalate": "complaint",
    "api_complaint_delivery": "complaint",
    "api_complaint_court_appeal": "complaint",
    "api_complaint_attachments": "complaint",
    "api_notification_read": "notification",
    "applications:case": "application",
    "applications:transition": "application",
    "applications:attach": "application",
    "certificates:detail": "certificate",
    "certificates:act": "certificate",
    "certificates:program": "program",
    "certificates:loan": "loan",
    "complaints:detail": "complaint",
    "complaints:answer": "complaint",
    "complaints:action": "complaint",
    "sla:mark_read": "notification",
    "sla:open_notification": "notification",
    "api_loan_repayment_reverse": "loan",
    # "Working the cases": the same views serve the three services (the sweep walks them with
    # applications; tests/test_casework_api.py checks 404 for certificates and complaints too).
    "api_application_signing_sessions": "application",
    "applications:draft_pdf": "application",
    "api_case_assign": "application",
    "api_case_notes": "application",
    "casework:assign": "application",
    "casework:add_note": "application",
    "casework:resolve_duplicate": "application",
}
PUBLIC = {"verify_document", "verify_document_pdf"}
# Keys that are not another provider's object, each with where its scope is proven.
COVERED_ELSEWHERE = {
    "attachment_file": "applications/tests/test_reader_language_and_files.py (404 outside the case's scope)",
    "applications:hand_out": "applications/tests/test_desk.py (the document of a visible case only)",
    "api_person_cases": "tests/test_casework_api.py (another provider's head sees no case)",
    "casework:person": "the same selector as api_person_cases",
    "api_case_bulk_assign": "tests/test_casework_api.py (ids outside the scope: not found)",
    "casework:bulk_assign": "the same service as api_case_bulk_assign",
    "casework:save_filter": "the key is a service: a filter is saved for the caller only",
    "casework:delete_filter": "tests/test_casework_worklists.py (another user's saved filter is 404)",
    "casework:open_elsewhere": "the key is a service; number and provider only, as API.md's warning",
    "casework:export": "tests/test_casework_worklists.py (the list through the caller's scope)",
    "applications:demo_sign": "exists only with DJANGO_DEBUG=1 (404 for everyone otherwise)",
}
ROLES = [
    "intake_clerk",
    "case_officer",
    "head",
    "complaints_officer",
    "quality_officer",
    "trustee",
    "auditor",
    "administrator",
    "portal",
]
# Transition names the sweep posts for URLs that take one (each service's first action).
TRANSITION = {"application": "start_review", "certificate": "approve", "complaint": "start_review"}


def object_urls():
    """(route, name) of every URL pattern, UI and API, whose route takes an object key."""

    def walk(resolver, prefix="", namespace=None):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                full = f"{namespace}:{ns}" if namespace and ns else ns or namespace
                yield from walk(pattern, prefix + str(pattern.pattern), full)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
                yield prefix + str(pattern.pattern), name

    return [
        (route, name)
        for route, name in walk(get_resolver())
        if "<" in route and not route.startswith("admin/")
    ]


def test_every_object_url_is_covered():
    uncovered = [
        (route, name)
        for route, name in object_urls()
        if name not in KIND_OF and name not in PUBLIC and name not in COVERED_ELSEWHERE
    ]

    assert uncovered == [], "add these URL names to KIND_OF (or PUBLIC, with a reason)"


def _objects(provider_code: str, people: dict) -> dict:
    """One object of each kind at the provider, made the way users make them."""
    api = APIClient()

    def as_user(user):
        from rest_framework.authtoken.models import Token

        token, _ = Token.objects.get_or_create(user=user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api

    with time_machine.travel(
        dt.datetime(2025, 4, 14, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=5))), tick=False
    ):
        app = as_user(people["intake_clerk"]).post(
            "/api/v1/applications/", package(provider_code=provider_code), format="json"
        )
        assert app.status_code == 201, app.json()
        complaint = as_user(people["complaints_officer"]).post(
            "/api/v1/complaints/", complaint_payload(provider=provider_code), format="json"
        )
        assert complaint.status_code == 201, complaint.json()
    program = CertificateProgram.objects.create(
        provider=people["provider"],
        year=2025,
        budget=Decimal("30000000.00"),
        amount_kind=AmountKind.FIXED,
        amount_value=Decimal("1500000.00"),
    )
    with time_machine.travel(CERT_NOW, tick=False):
        certificate = as_user(people["case_officer"]).post(
            "/api/v1/certificates/",
            certificate_body(provider=provider_code, monthly="400000.00"),
            format="json",
        )
        assert certificate.status_code == 201, certificate.json()
        cid = certificate.json()["id"]
        as_user(people["case_officer"]).post(
            f"/api/v1/certificates/{cid}/transitions/approve/", {}, format="json"
        )
        as_user(people["trustee"]).post(
            f"/api/v1/certificates/{cid}/transitions/conclude_agreement/",
            {
                "visited_on": "2025-03-12",
                "agreement_on": "2025-03-12",
                "account_iban": "KZ86125KZT5004100100",
                "loan": {"term_months": 120, "security_kind": "surety"},
            },
            format="json",
        )
        as_user(people["trustee"]).post(
            f"/api/v1/certificates/{cid}/transitions/record_transfer/",
            {"transferred_on": "2025-03-12"},
            format="json",
        )
    loan = Loan.objects.get(request_id=cid)
    document = IssuedDocument.objects.filter(case_number=app.json()["number"]).first()
    notification = Notification.objects.create(
        recipient=people["head"],
        kind="reminder",
        provider=people["provider"],
        case_number=app.json()["number"],
        due_date=dt.date(2025, 4, 16),
    )
    return {
        "application": app.json()["id"],
        "complaint": complaint.json()["id"],
        "program": program.pk,
        "certificate": cid,
        "loan": loan.pk,
        "document": document.number,
        "notification": notification.pk,
    }


def _people(provider, suffix: str) -> dict:
    people = {"provider": provider}
    for role in ROLES:
        people[role] = staff_user(f"{role}_{suffix}", role, provider)
    return people


def _url(route: str, key) -> str:
    import re

    url = re.sub(r"<(?:int|path):pk>|<str:number>|<int:pk>", str(key), route, count=1)
    url = url.replace("<service:service>", "applications").replace("<int:rid>", "1")
    return "/" + re.sub(r"<str:name>", "{name}", url)


def _call(client, url: str):
    response = client.get(url)
    if response.status_code == 405:
        response = (
            client.post(url, {}, format="json") if isinstance(client, APIClient) else client.post(url, {})
        )
    return response.status_code


@pytest.fixture
def sweep(provider, other_provider):
    mine = _people(provider, "a")
    theirs = _people(other_provider, "b")
    return mine, _objects(provider.code, mine), _objects(other_provider.code, theirs)


def test_every_role_of_a_gets_404_for_every_object_url_of_b(sweep):
    mine, own, foreign = sweep
    leaks = []
    reachable = set()
    for route, name in object_urls():
        if name in PUBLIC or name in COVERED_ELSEWHERE:
            continue
        kind = KIND_OF[name]
        for role in ROLES:
            user = mine[role]
            client = APIClient()
            client.force_authenticate(user) if route.startswith("api/") else client.force_login(user)
            template = _url(route, foreign[kind])
            url = template.replace("{name}", TRANSITION.get(kind, "x"))
            status = _call(client, url)
            if status != 404:
                leaks.append((url, role, status))
            own_url = _url(route, own[kind]).replace("{name}", TRANSITION.get(kind, "x"))
            if _call(client, own_url) != 404:
                reachable.add(name)

    assert len(object_urls()) >= len(KIND_OF)
    assert not leaks, "\n".join(map(str, leaks))
    assert set(KIND_OF) - reachable == set(), (sorted(set(KIND_OF) - reachable), own, sorted(reachable))


ADMIN_KINDS = {
    "applications.application": "application",
    "certificates.certificaterequest": "certificate",
    "certificates.certificateprogram": "program",
    "certificates.loan": "loan",
    "complaints.complaint": "complaint",
}


def test_a_scoped_administrator_opens_b_objects_in_the_admin_as_missing_ones(sweep, client):
    from django.contrib import admin

    mine, own, foreign = sweep
    client.force_login(mine["administrator"])
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert set(ADMIN_KINDS) <= registered
    leaks = []
    for label, kind in ADMIN_KINDS.items():
        app_label, model_name = label.split(".")
        base = f"/admin/{app_label}/{model_name}/"
        missing = client.get(f"{base}999999999/change/")
        theirs = client.get(f"{base}{foreign[kind]}/change/")
        ours = client.get(f"{base}{own[kind]}/change/")
        if theirs.status_code != missing.status_code or ours.status_code != 200:
            leaks.append((label, theirs.status_code, missing.status_code, ours.status_code))

    assert leaks == []
