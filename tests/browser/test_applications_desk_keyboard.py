"""The desk in Chromium (issue 12): a complete application typed by keyboard alone, the question
before the Appendix 3 refusal receipt, the hand-out of para 10, and axe-core on the desk."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from applications.models import Application, HandOut

from . import axe
from .axe import axe_violations

axe_source = axe.axe_source  # the fixture, for this module's tests

IBAN = "KZ86125KZT5004100100"


class Keys:
    """The keyboard, counting the Tab presses a clerk spends."""

    def __init__(self, page):
        self.page = page
        self.tabs = 0

    def tab(self, times: int = 1):
        for _ in range(times):
            self.page.keyboard.press("Tab")
            self.tabs += 1

    def type(self, text: str):
        self.page.keyboard.type(text)

    def press(self, key: str):
        self.page.keyboard.press(key)

    def focused_id(self) -> str:
        return self.page.evaluate("document.activeElement.id")


def test_a_complete_application_by_keyboard_alone(page, login, shot, clerk, axe_source):
    login(page, clerk)
    expect(page).to_have_url(re.compile("/applications/intake/"))
    assert axe_violations(page, axe_source) == []
    keys = Keys(page)

    # the IIN first: it suggests the birth date as dd.mm.yyyy
    assert keys.focused_id() == "id_iin"
    keys.type("850315410002")
    expect(page.locator("#id_birth_date")).to_have_value("15.03.1985")
    for field, text in (
        ("id_last_name", "Сейтқалиева"),
        ("id_first_name", "Ақмарал"),
        ("id_patronymic", "Бауыржанқызы"),
    ):
        keys.tab()
        assert keys.focused_id() == field
        keys.type(text)
    keys.tab(2)  # the birth date is already there
    assert keys.focused_id() == "id_id_document_number"
    keys.type("045612378")
    keys.tab()
    keys.type("МВД РК")
    keys.tab()
    assert keys.focused_id() == "id_address"
    keys.type("Астана, ул. Сарыарқа, 15, кв. 3")
    keys.tab()
    keys.type("+77011234567")
    keys.tab(2)  # e-mail left empty
    assert keys.focused_id() == "id_tenure"
    keys.tab()
    assert keys.focused_id() == "id_provider"
    assert page.locator("#id_provider").input_value()  # preselected: the clerk's provider
    keys.tab(2)  # the language of the documents stays Russian
    assert keys.focused_id() == "add-family"
    keys.press("Enter")  # a family row on demand
    assert keys.focused_id() == "id_family-0-full_name"
    keys.type("Сейтқалиев Дамир")
    keys.tab(2)
    assert keys.focused_id() == "id_family-0-birth_date"
    keys.type("01052012")  # the mask puts the dots
    expect(page.locator("#id_family-0-birth_date")).to_have_value("01.05.2012")
    keys.tab()
    keys.press("ArrowDown")
    keys.press("ArrowDown")  # — -> spouse -> child
    expect(page.locator("#id_family-0-relationship")).to_have_value("child")
    keys.tab(3)  # social status, the add button
    assert keys.focused_id() == "id_iban"
    keys.type(IBAN)
    keys.tab()
    keys.type("АО «Халык Банк»")
    keys.tab(2)  # not a re-application
    assert keys.focused_id() == "doc-identity"
    keys.press("Space")
    keys.tab(2)  # family income: from the state information systems
    assert keys.focused_id() == "reg-family_income"
    keys.press("Space")
    keys.tab()
    assert keys.focused_id() == "doc-employment_status"
    keys.press("Space")
    keys.tab(2)
    for code in ("alimony", "bank_account", "maintenance_invoice", "utility_bills", "telecom_bill"):
        assert keys.focused_id() == f"doc-{code}"
        keys.press("Space")
        keys.tab()
    # the rent invoice is hidden for an owner and takes no Tab stop
    assert keys.focused_id() == "id_consent"
    keys.press("Space")
    shot(page, "desk-keyboard-filled-ru")
    keys.tab()
    assert keys.focused_id() == "submit-intake"
    with page.expect_navigation(timeout=60_000):
        keys.press("Enter")

    expect(page.locator("#case-status")).to_contain_text(re.compile("Зарегистрировано|Registered"))
    application = Application.objects.get()
    assert application.applicant.birth_date.isoformat() == "1985-03-15"
    assert application.family_members.get().birth_date.isoformat() == "2012-05-01"
    assert application.documents_from_registries == ["family_income"]
    print(f"\nTab presses for a complete application with one family member: {keys.tabs}")
    Path(__file__).resolve().parents[2].joinpath("artifacts", "desk-tab-count.json").write_text(
        json.dumps({"tabs": keys.tabs})
    )
    assert keys.tabs <= 40


def test_the_desk_asks_before_the_refusal_receipt(page, login, shot, clerk, axe_source):
    login(page, clerk)
    page.fill("#id_iin", "061211600012")
    page.fill("#id_last_name", "Сейтқалиева")
    page.fill("#id_first_name", "Ақмарал")
    page.fill("#id_address", "Астана, пр. Тәуелсіздік, 8")
    page.fill("#id_iban", IBAN)
    for code in ("identity", "family_income", "employment_status", "alimony", "bank_account"):
        page.check(f"#doc-{code}")
    page.check("#id_consent")
    with page.expect_navigation(timeout=60_000):
        page.locator("#id_address").press("Enter")

    # nothing issued yet: the missing documents and the question, the form intact
    confirm = page.locator("#refusal-confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_be_focused()
    expect(confirm).to_contain_text(re.compile("коммунальн", re.I))
    expect(page.locator("#id_last_name")).to_have_value("Сейтқалиева")
    expect(page.locator("#doc-identity")).to_be_checked()
    assert Application.objects.count() == 0
    assert axe_violations(page, axe_source) == []
    shot(page, "desk-refusal-question-ru")

    # the clerk goes back and ticks what the applicant does have
    page.click("#back-to-checklist")
    expect(page.locator("#doc-maintenance_invoice")).to_be_focused()
    page.keyboard.press("Space")
    with page.expect_navigation(timeout=60_000):
        page.click("#submit-intake")
    expect(page.locator("#refusal-confirm")).not_to_contain_text(re.compile("содержани", re.I))
    assert Application.objects.count() == 0

    with page.expect_navigation(timeout=60_000):
        page.click("#confirm-refusal")
    expect(page.locator("#documents a[data-kind=intake_refusal_receipt]")).to_be_visible()
    application = Application.objects.get()
    assert application.status == "rejected_at_intake"
    assert application.missing_documents == ["utility_bills", "telecom_bill"]


def test_the_desk_in_kazakh(page, login, shot, clerk, axe_source):
    login(page, clerk)
    page.context.add_cookies([{"name": "django_language", "value": "kk", "url": page.url}])
    page.reload()
    expect(page.locator("h1")).to_contain_text("Тұрғын үй")
    expect(page.locator("#id_birth_date")).to_have_attribute("placeholder", "кк.аа.жжжж")
    page.click("#add-family")
    assert axe_violations(page, axe_source) == []
    shot(page, "desk-kk")
    # a wrong date and an empty form: messages from the server, naming the fields, in Kazakh
    page.fill("#id_birth_date", "31.12.2099")
    with page.expect_navigation(timeout=60_000):
        page.click("#submit-intake")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Туған күні болашақта болуы мүмкін емес")
    expect(summary).to_contain_text("«ЖСН» өрісін толтырыңыз")
    expect(summary).not_to_contain_text("Заполните")
    assert axe_violations(page, axe_source) == []
    shot(page, "desk-kk-errors")


@pytest.fixture
def signed_refusal(api, clerk, officer, head):
    from applications.documents import issue_due_documents
    from applications.services import transition
    from applications.tests.conftest import package
    from housing_aid.documents import documents_of

    body = api.as_user(clerk).post("/api/v1/applications/", package(received_at=None), format="json").json()
    application = Application.objects.get(pk=body["id"])
    Application.objects.filter(pk=application.pk).update(id_document_number="045612378")
    for name, data in (
        ("start_review", {}),
        ("start_verification", {}),
        ("draft_refusal", {"ground": "non_compliance", "reason": "Не соответствует требованиям."}),
    ):
        application = transition(Application.objects.get(pk=application.pk), name, officer, data)
    from tests import eds

    application.refresh_from_db()
    transition(application, "sign", head, eds.sign_in_python(application, head))
    issue_due_documents(application, head)
    return application, documents_of(application).get(kind="refusal_notice")


def test_hand_out_refused_for_a_wrong_id_and_given_to_a_representative(
    page, login, shot, clerk, signed_refusal, axe_source
):
    application, notice = signed_refusal
    login(page, clerk)
    page.goto(f"/applications/{application.pk}/")
    form = page.locator(f"#hand-out-{notice.pk}")

    form.locator("input[name=id_number]").fill("N12345678")
    with page.expect_navigation(timeout=60_000):
        form.locator("button[type=submit]").click()
    form = page.locator(f"#hand-out-{notice.pk}")
    expect(form.locator(".errorlist")).to_contain_text("N12345678")
    expect(form.locator(".errorlist")).to_contain_text(re.compile("не совпадает с данными заявителя"))
    form.scroll_into_view_if_needed()
    shot(page, "case-hand-out-refused-wrong-id")
    assert not HandOut.objects.exists()

    form.locator("input[value=representative]").check()
    form.locator("input[name=full_name]").fill("Ахметов Бауыржан Серікұлы")
    form.locator("input[name=id_number]").fill("011223344")
    form.locator("input[name=poa_number]").fill("2-1455")
    form.locator("input[name=poa_date]").type("10042025")
    form.locator("input[name=notary]").fill("Сәрсенбаева Г. Қ.")
    violations = axe_violations(page, axe_source)
    assert [v for v in violations if "hand-out" in json.dumps(v["nodes"])] == [], violations
    with page.expect_navigation(timeout=60_000):
        form.locator("button[type=submit]").click()

    handed = page.locator(f"#handed-{notice.pk}")
    expect(handed).to_contain_text("Ахметов Бауыржан Серікұлы")
    expect(handed).to_contain_text("2-1455")
    expect(handed).to_contain_text("10.04.2025")
    expect(page.locator("#timeline")).to_contain_text(re.compile("Документы выданы"))
    shot(page, "case-handed-out-to-representative")
    row = HandOut.objects.get()
    assert (row.recipient_kind, row.poa_date.isoformat()) == ("representative", "2025-04-10")
