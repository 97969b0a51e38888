"""Housing assistance in the browser: the desk with a complete and an incomplete package,
then an officer and a head through to a signed notice whose PDF text is checked."""

from __future__ import annotations

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from tests import eds

IBAN = "KZ86125KZT5004100100"


def _pdf_text(page, href: str) -> str:
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    return re.sub(r"\s+", " ", text)


def _fill_applicant_by_keyboard(page, iin: str):
    # autofocus is on the IIN; the clerk tabs through the form in reading order
    expect(page.locator("#id_iin")).to_be_focused()
    page.keyboard.type(iin)
    page.keyboard.press("Tab")
    expect(page.locator("#id_last_name")).to_be_focused()
    page.keyboard.type("Сейтқалиева")
    page.keyboard.press("Tab")
    page.keyboard.type("Ақмарал")
    page.keyboard.press("Tab")
    page.keyboard.type("Бауыржанқызы")


def test_clerk_registers_a_complete_package_by_keyboard(page, login, shot, clerk):
    login(page, clerk)
    expect(page).to_have_url(re.compile("/applications/intake/"))
    _fill_applicant_by_keyboard(page, "850315410002")
    # the IIN suggests the birth date
    expect(page.locator("#id_birth_date")).to_have_value("15.03.1985")
    page.fill("#id_id_document_number", "045612378")
    page.fill("#id_address", "Астана, ул. Сарыарқа, 15, кв. 3")
    page.click("#add-family")
    page.fill("#id_family-0-full_name", "Сейтқалиев Дамир")
    page.select_option("#id_family-0-relationship", "child")
    page.fill("#id_iban", IBAN)
    page.fill("#id_bank_name", "АО «Халык Банк»")

    # rent_invoice is shown only for housing the akimat rents in the private stock
    expect(page.locator("li[data-code=rent_invoice]")).to_be_hidden()
    page.select_option("#id_tenure", "leb_private_rental")
    expect(page.locator("li[data-code=rent_invoice]")).to_be_visible()
    page.select_option("#id_tenure", "owner")
    expect(page.locator("li[data-code=rent_invoice]")).to_be_hidden()
    # re-application shows only income and utility bills
    page.check("#id_is_reapplication")
    expect(page.locator("li[data-code=alimony]")).to_be_hidden()
    expect(page.locator("li[data-code=utility_bills]")).to_be_visible()
    page.uncheck("#id_is_reapplication")

    for code in (
        "identity",
        "alimony",
        "bank_account",
        "maintenance_invoice",
        "utility_bills",
        "telecom_bill",
        "employment_status",
    ):
        page.locator(f"#doc-{code}").focus()
        page.keyboard.press("Space")
    page.locator("#reg-family_income").focus()
    page.keyboard.press("Space")
    page.locator("#id_consent").focus()
    page.keyboard.press("Space")
    shot(page, "applications-desk-complete-filled")

    page.locator("#id_bank_name").focus()
    with page.expect_navigation(timeout=60_000):  # issuing the PDFs takes a while on a busy machine
        page.keyboard.press("Enter")

    expect(page.locator("#case-status")).to_contain_text(re.compile("Registered|Зарегистрировано"))
    expect(page.locator("#documents a[data-kind=acceptance_receipt]")).to_be_visible()
    expect(page.locator("#documents a[data-kind=application_form]")).to_be_visible()
    shot(page, "applications-desk-complete-registered")
    number = page.locator("h1").inner_text().split(" ")[0]
    text = _pdf_text(page, page.locator("#documents a[data-kind=acceptance_receipt]").get_attribute("href"))
    assert number in text and "Сейтқалиева Ақмарал Бауыржанқызы" in text


def test_clerk_refuses_an_incomplete_package_with_the_receipt(page, login, shot, clerk):
    login(page, clerk)
    _fill_applicant_by_keyboard(page, "061211600012")
    page.fill("#id_address", "Астана, пр. Тәуелсіздік, 8")
    page.check("#doc-identity")
    page.check("#doc-family_income")
    page.check("#id_consent")
    page.locator("#id_address").press("Enter")
    page.wait_for_load_state("networkidle")
    # the desk asks first; the explicit confirmation issues the receipt
    expect(page.locator("#refusal-confirm")).to_be_visible()
    with page.expect_navigation(timeout=60_000):
        page.click("#confirm-refusal")

    expect(page.locator("#case-status")).to_contain_text(re.compile("intake|приёме|приеме|қабылдау", re.I))
    link = page.locator("#documents a[data-kind=intake_refusal_receipt]")
    expect(link).to_be_visible()
    shot(page, "applications-desk-incomplete-refused")
    text = _pdf_text(page, link.get_attribute("href"))
    assert "Сейтқалиева Ақмарал Бауыржанқызы" in text
    assert text.count("2") >= 1


def test_officer_and_head_take_a_case_to_a_signed_notice(
    page, login, shot, clerk, officer, head, api, settings
):
    from applications.tests.conftest import package

    body = (
        api.as_user(clerk)
        .post("/api/v1/applications/", package(received_at=None, language="ru"), format="json")
        .json()
    )
    assert body["status"] == "registered", body

    login(page, officer)
    expect(page.locator("#worklist")).to_contain_text(body["number"])
    shot(page, "applications-worklist")
    page.click(f"text={body['number']}")
    page.click("#action-start_review button[type=submit]")
    page.click("#action-start_verification button[type=submit]")
    page.fill("#quarter_income", "300000")
    page.fill("#p-maintenance", "9000")
    page.fill("#p-utilities", "6000")
    page.click("#action-draft_assignment button[type=submit]")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#monthly-amount")).to_have_text(re.compile(r"5\s?000[.,]00"))
    expect(page.locator("#actions")).to_contain_text(re.compile("head|руководител|басшы", re.I))
    shot(page, "applications-case-drafted")

    page.click("form[action='/logout/'] button")
    eds.trust_root()
    eds.give_iin(head)
    login(page, head)
    expect(page).to_have_url(re.compile("/applications/signing/"))
    expect(page.locator("#signing-queue")).to_contain_text(re.compile(r"5\s?000[.,]00"))
    shot(page, "applications-signing-queue")
    with eds.StandInNCALayer(eds.certificate()) as ncalayer:
        settings.NCALAYER_URL = ncalayer.url
        page.reload()
        page.click("#eds-sign")
        page.wait_for_load_state("networkidle")
        expect(page.locator("#signing-queue")).not_to_contain_text(body["number"])

    page.goto(f"/applications/{body['id']}/")
    expect(page.locator("#case-status")).to_contain_text(re.compile("assigned|назначена|тағайындалды", re.I))
    notice = page.locator("#documents a[data-kind=assignment_notice]")
    expect(notice).to_be_visible()
    expect(page.locator("#timeline li")).to_have_count(5)
    shot(page, "applications-case-assigned")
    page.click("form[action='/logout/'] button")
    login(page, clerk)
    page.goto(f"/applications/{body['id']}/")
    # para 10: the ready notice is handed out at the State Corporation on presentation of an ID
    page.fill("#documents form.hand-out input[name=id_number]", "850315410002")  # the applicant's IIN
    page.locator("#documents form.hand-out button").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#documents .handed")).to_contain_text("850315410002")
    shot(page, "applications-case-handed-out")
    text = _pdf_text(page, notice.get_attribute("href"))
    assert body["number"] in text
    assert "Әбдірахманова Гүлжан Серікқызы" in text
    assert re.search(r"5\s?000[.,]00", text) and re.search(r"100\s?000[.,]00", text)
