"""The head signs with EDS in the browser: the queue shows the draft, the page talks to a
stand-in NCALayer over its WebSocket, the server verifies and embeds the CMS, and the public
verification page behind the QR code shows the signer and "valid"."""

from __future__ import annotations

import re
import socket

import pytest
from playwright.sync_api import expect

from applications import services
from housing_aid.models import IssuedDocument
from tests import eds


@pytest.fixture
def drafted_case(reference, officer, head, clerk, api):
    from applications.tests.conftest import package

    body = api.as_user(clerk).post("/api/v1/applications/", package(received_at=None), format="json").json()
    assert body["status"] == "registered", body
    application = services.Application.objects.get(pk=body["id"])
    for name, data in (
        ("start_review", {}),
        ("start_verification", {}),
        (
            "draft_assignment",
            {"quarter_income": "300000", "payments": {"maintenance": "9000", "utilities": "6000"}},
        ),
    ):
        application = services.transition(application, name, officer, data)
    eds.trust_root()
    eds.give_iin(head)
    head.first_name, head.last_name = "Қанат", "Әбілов"
    head.save()
    head.staff.position = "Руководитель отдела занятости и социальных программ"
    head.staff.save()
    return application


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_head_reads_the_draft_and_signs_through_ncalayer(page, login, shot, settings, drafted_case, head):
    with eds.StandInNCALayer(eds.certificate()) as ncalayer:
        settings.NCALAYER_URL = ncalayer.url
        login(page, head)
        expect(page).to_have_url(re.compile("/applications/signing/"))
        # the draft is in view before anything can be signed
        expect(page.locator("#eds-panel")).to_be_visible()
        preview = page.locator("#eds-preview")
        draft = page.request.get(preview.get_attribute("src"))
        assert draft.headers["content-type"] == "application/pdf"
        shot(page, "eds-queue-with-preview")

        page.click("#eds-sign")
        page.wait_for_url(re.compile("/applications/signing/"), wait_until="networkidle")
        expect(page.locator("#signing-queue")).not_to_contain_text(drafted_case.number)

    (request,) = ncalayer.requests
    assert request["module"] == "kz.gov.pki.knca.basics" and request["args"]["format"] == "cms"
    drafted_case.refresh_from_db()
    assert drafted_case.status == "assigned"
    notice = IssuedDocument.objects.get(object_id=drafted_case.pk, kind="assignment_notice")
    assert notice.signer_iin == eds.HEAD_IIN

    page.goto(f"/verify/{notice.verification_token}/")
    expect(page.locator("#signature-status")).to_have_attribute("data-valid", "true")
    expect(page.locator("#doc-signer")).to_contain_text("ӘБІЛОВ ҚАНАТ СЕРІКҰЛЫ")
    expect(page.locator("#doc-iin")).to_have_text("••••••••" + eds.HEAD_IIN[-4:])
    expect(page.locator("#doc-number")).to_have_text(notice.number)
    shot(page, "eds-verification-page")
    pdf = page.request.get(page.locator("#doc-download").get_attribute("href"))
    assert pdf.body() == bytes(notice.pdf)


def test_the_head_is_told_when_ncalayer_is_not_running_or_cancelled(
    page, login, shot, settings, drafted_case, head
):
    settings.NCALAYER_URL = f"ws://127.0.0.1:{_free_port()}"
    login(page, head)
    page.click("#eds-sign")
    expect(page.locator("#eds-status")).to_contain_text("NCALayer")
    expect(page.locator("#eds-status")).to_have_class(re.compile("error"))
    shot(page, "eds-ncalayer-not-running")

    with eds.StandInNCALayer(mode="cancel") as ncalayer:
        settings.NCALAYER_URL = ncalayer.url
        page.reload()
        page.click("#eds-sign")
        expect(page.locator("#eds-status")).to_contain_text(re.compile("отмен", re.I))

    with eds.StandInNCALayer(eds.certificate(iin="900101300019")) as ncalayer:
        settings.NCALAYER_URL = ncalayer.url
        page.reload()
        page.click("#eds-sign")
        expect(page.locator("#eds-status")).to_contain_text(re.compile("ИИН", re.I))
        shot(page, "eds-wrong-certificate")
    drafted_case.refresh_from_db()
    assert drafted_case.status == "decision_drafted"
