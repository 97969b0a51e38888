"""axe-core finds no violation on the screens people work in (issue 12): login, the desk,
worklists, case pages, the signing queue, complaints screens, the dashboard and the public
status page, in Chromium at 1366x900.

axe-core comes from npm: ``AXE_CORE_JS`` names a copy, else the test setup installs the pinned
version into ``artifacts/axe-core/`` once (``npm`` is a test dependency, scripts/system-deps.sh).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

AXE_VERSION = "4.10.3"
AXE_DIR = Path(__file__).resolve().parents[2] / "artifacts" / "axe-core"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_js() -> Path:
    configured = os.environ.get("AXE_CORE_JS")
    if configured:
        return Path(configured)
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm not found: scripts/system-deps.sh test installs it (axe-core comes from npm).")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603 - a fixed command line
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR), f"axe-core@{AXE_VERSION}"],
            check=True,
            timeout=300,
        )
    return AXE_JS


def axe_violations(page, axe_js: Path) -> list[dict]:
    # Evaluated through the DevTools protocol: a <script> tag would be refused by the CSP.
    page.evaluate(axe_js.read_text())
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
            id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n')[1])
        }))"""
    )


# -- what each screen needs ----------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _application(clerk, **changes):
    from applications.models import Application
    from applications.tests.conftest import package

    response = _api(clerk).post("/api/v1/applications/", package(**changes), format="json")
    assert response.status_code == 201, response.content
    return Application.objects.get(pk=response.json()["id"])


def _drafted_application(clerk, officer):
    from applications import services

    application = _application(clerk)
    for name, body in (
        ("start_review", {}),
        ("start_verification", {}),
        ("draft_assignment", {"quarter_income": "300000", "payments": {"maintenance": "15000"}}),
    ):
        application = services.transition(application, name, officer, body)
    return application


def _certificate(officer, provider):
    from certificates.models import AmountKind, CertificateProgram
    from certificates.tests.conftest import NOW
    from certificates.tests.conftest import body as certificate_body

    CertificateProgram.objects.create(
        provider=provider,
        year=NOW.year,
        budget="30000000.00",
        amount_kind=AmountKind.FIXED,
        amount_value="1500000.00",
        categories=[],
        mortgage_programs=[],
    )
    response = _api(officer).post("/api/v1/certificates/", certificate_body(received_at=NOW), format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _complaint(complaints_officer, review: bool = False):
    from complaints.tests.conftest import complaint_payload

    response = _api(complaints_officer).post("/api/v1/complaints/", complaint_payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    if review:
        _api(complaints_officer).post(
            f"/api/v1/complaints/{body['id']}/transitions/start_review/", {}, format="json"
        )
    return body


# screen -> (who, how to get there); each returns the URL to check, after creating what it shows
SCREENS = {
    "login": lambda f: (None, "/login/"),
    "status_page": lambda f: (None, "/status/"),
    "status_result": lambda f: (None, ("status", _complaint(f["complaints_officer"]))),
    "desk": lambda f: (f["clerk"], "/applications/intake/"),
    "applications_worklist": lambda f: (
        f["officer"],
        _application(f["clerk"]) and "/applications/",
    ),
    "application_case": lambda f: (f["officer"], f"/applications/{_application(f['clerk']).pk}/"),
    "signing_queue": lambda f: (
        f["head"],
        _drafted_application(f["clerk"], f["officer"]) and "/applications/signing/",
    ),
    "signing_case": lambda f: (
        f["head"],
        f"/applications/{_drafted_application(f['clerk'], f['officer']).pk}/",
    ),
    "certificates_worklist": lambda f: (
        f["officer"],
        _certificate(f["officer"], f["provider"]) and "/certificates/",
    ),
    "certificate_case": lambda f: (
        f["officer"],
        f"/certificates/{_certificate(f['officer'], f['provider'])}/",
    ),
    "complaints_worklist": lambda f: (
        f["complaints_officer"],
        _complaint(f["complaints_officer"]) and "/complaints/",
    ),
    "complaint_register": lambda f: (f["complaints_officer"], "/complaints/new/"),
    "complaint_case": lambda f: (
        f["complaints_officer"],
        f"/complaints/{_complaint(f['complaints_officer'], review=True)['id']}/",
    ),
    "complaint_answer": lambda f: (
        f["complaints_officer"],
        f"/complaints/{_complaint(f['complaints_officer'], review=True)['id']}/answer/",
    ),
    "dashboard": lambda f: (f["head"], "/sla/dashboard/"),
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_no_axe_violations(
    screen, page, login, shot, axe_js, clerk, officer, head, complaints_officer, provider
):
    # given what the screen shows, and its user signed in
    people = {
        "clerk": clerk,
        "officer": officer,
        "head": head,
        "complaints_officer": complaints_officer,
        "provider": provider,
    }
    user, target = SCREENS[screen](people)
    if user is not None:
        login(page, user)

    # when the screen is open (the status page: after a lookup, in Kazakh)
    if isinstance(target, tuple):
        _kind, complaint = target
        page.goto("/status/")
        page.select_option("#language-switcher", "kk")
        expect(page.locator("html")).to_have_attribute("lang", "kk")  # the page drawn again in Kazakh
        page.fill("#id_number", complaint["number"])
        page.fill("#id_iin", "850315410002")
        page.click(".status-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.locator("#status-steps li").count() >= 2
    else:
        response = page.goto(target)
        assert response is not None and response.status == 200, f"{target}: {response and response.status}"
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page, axe_js)
    shot(page, f"axe_{screen}")

    # then axe finds nothing, and says what when it does
    assert violations == [], "\n".join(f"{v['id']} ({v['impact']}): {v['nodes'][:5]}" for v in violations)
