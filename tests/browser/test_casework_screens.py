"""Working the cases in the browser: an officer takes a case and leaves a note; a head sets a
substitute; a person's cases across services. axe finds nothing on these screens."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from applications.models import Application
from applications.tests.conftest import package
from housing_aid.casework.models import CaseNote, Substitution

from . import axe
from .axe import axe_violations

axe_source = axe.axe_source  # the fixture, for this module's tests


def _registered(api, clerk) -> Application:
    response = api.as_user(clerk).post("/api/v1/applications/", package(received_at=None), format="json")
    assert response.status_code == 201, response.json()
    return Application.objects.get(pk=response.json()["id"])


def test_an_officer_takes_a_case_and_leaves_a_note(page, login, shot, api, clerk, officer, axe_source):
    application = _registered(api, clerk)
    login(page, officer)
    page.goto(f"/applications/{application.pk}/")

    page.click("#assign-to-me")
    expect(page.locator("#work-heading")).to_contain_text(officer.get_full_name())
    page.fill("#note-text", "Позвонить заявителю: справка о доходах за март.")
    page.click("#note-submit")

    expect(page.locator("#notes")).to_contain_text("справка о доходах за март")
    assert Application.objects.get(pk=application.pk).assignee == officer
    assert CaseNote.objects.get().author == officer
    assert axe_violations(page, axe_source) == []
    shot(page, "casework-case-panel-ru")


def test_a_head_sets_a_substitute_and_finds_a_person_in_kazakh(
    page, login, shot, api, clerk, officer, officer2, head, axe_source
):
    application = _registered(api, clerk)
    login(page, head)
    page.goto("/work/absences/")
    page.select_option("#absent", "officer")
    page.select_option("#substitute", "officer2")
    page.type("#from", "06012030")  # the desk's dd.mm.yyyy mask
    page.type("#to", "17012030")
    page.click("form.panel button[type=submit]")
    expect(page.locator("table.list")).to_contain_text("17.01.2030")
    assert Substitution.objects.get().substitute == officer2
    assert axe_violations(page, axe_source) == []
    shot(page, "casework-absences-ru")

    page.select_option("#language-switcher", "kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")  # the page drawn again in Kazakh
    page.goto(f"/work/persons/{application.applicant.iin}/")
    expect(page.locator("main")).to_contain_text(application.number)
    expect(page.locator("h1")).to_have_text(re.compile(r"\S"))
    assert axe_violations(page, axe_source) == []
    shot(page, "casework-person-kk")


def _three(api, clerk) -> list[Application]:
    from applications.tests.conftest import make_iin

    made = []
    for n in (11, 12, 13):
        response = api.as_user(clerk).post(
            "/api/v1/applications/", package(received_at=None, iin=make_iin(n)), format="json"
        )
        assert response.status_code == 201, response.json()
        made.append(Application.objects.get(pk=response.json()["id"]))
    return made


def _focus(page, selector: str, key: str = "Tab", limit: int = 80) -> None:
    """Press ``key`` until ``selector`` has the focus, as a keyboard user moves through the page."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} never got the focus by {key}")


def test_a_head_bulk_assigns_three_cases_by_keyboard(
    page, login, shot, api, clerk, head, officer2, axe_source
):
    cases = _three(api, clerk)
    login(page, head)
    page.goto("/applications/")
    expect(page.locator("#result-count")).to_contain_text("3")

    # select each case with Space, moving by Tab
    for case in cases:
        _focus(page, f"#sel-{case.pk}")
        page.keyboard.press("Space")
    expect(page.locator("#bulk-selected")).to_contain_text("3")
    # back up to the executor (Shift+Tab), choose it with the arrow keys, type a reason, Enter
    _focus(page, "#bulk-executor", "Shift+Tab")
    for _ in range(10):
        if page.eval_on_selector("#bulk-executor", "e => e.value") == officer2.username:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Распределение на неделю")
    shot(page, "casework-bulk-selected-ru")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "bulk-submit"
    page.keyboard.press("Enter")

    expect(page.locator("#bulk-assigned li")).to_have_count(3)
    assert {c.assignee_id for c in Application.objects.filter(pk__in=[c.pk for c in cases])} == {officer2.pk}
    assert axe_violations(page, axe_source) == []
    shot(page, "casework-bulk-result-ru")

    with page.expect_navigation():
        page.select_option("#language-switcher", "kk")
    page.goto("/applications/")
    expect(page.locator("#bulk-submit")).to_have_text("Таңдалғандарды тағайындау")
    _focus(page, "#select-all")
    page.keyboard.press("Space")
    expect(page.locator("input.row-select:checked")).to_have_count(3)
    assert axe_violations(page, axe_source) == []
    shot(page, "casework-worklist-head-kk")


def test_an_officer_takes_a_case_from_the_worklist_and_leaves_a_note(page, login, shot, api, clerk, officer):
    application = _registered(api, clerk)
    login(page, officer)
    page.goto("/applications/?scope=unassigned")
    shot(page, "casework-worklist-officer-ru")
    page.click(f"form[action$='/applications/{application.pk}/assign/'] button.take-case")

    expect(page.locator(".messages")).to_contain_text(application.number)
    assert Application.objects.get(pk=application.pk).assignee == officer
    page.goto("/applications/?scope=mine")
    page.click(f"text={application.number}")
    page.fill("#note-text", "Запросить справку о составе семьи.")
    page.click("#note-submit")
    expect(page.locator("#notes")).to_contain_text("справку о составе семьи")


def test_sort_chips_saved_filter_and_export_on_a_worklist(page, login, shot, api, clerk, head, axe_source):
    cases = _three(api, clerk)
    login(page, head)
    page.goto("/applications/?status=registered")
    expect(page.locator("#filter-chips .chip")).to_have_count(1)

    # sort by number (newest first): the column says so to a screen reader
    page.click("#worklist thead a.sort-link >> nth=0")
    expect(page.locator("#worklist thead th[aria-sort='descending']")).to_have_count(1)
    expect(page.locator("#worklist tbody tr").first).to_contain_text(cases[-1].number)

    # save the filters by name, then remove the status chip
    page.click("#saved-filters summary")
    page.fill("#sf-name", "Новые, сначала свежие")
    page.click("#save-filter button[type=submit]")
    expect(page.locator("#saved-filters")).to_contain_text("Новые, сначала свежие")
    page.click("#filter-chips .chip")
    assert "status=" not in page.url and "order=newest" in page.url
    expect(page.locator("#filter-chips")).to_have_count(0)
    page.click("#saved-filters a:has-text('Новые, сначала свежие')")
    assert "status=registered" in page.url
    assert axe_violations(page, axe_source) == []
    shot(page, "casework-worklist-filters-ru")

    with page.expect_download() as download:
        page.click("#export-csv")
    text = open(download.value.path(), encoding="utf-8").read()  # noqa: PTH123, SIM115
    assert text.startswith("\ufeff") and ";" in text
    assert all(c.number in text for c in cases)

    with page.expect_navigation():
        page.select_option("#language-switcher", "kk")
    page.goto("/applications/?status=registered&order=newest")
    expect(page.locator("#filter-chips")).to_contain_text("Мәртебе")
    assert axe_violations(page, axe_source) == []
    shot(page, "casework-worklist-filters-kk")


def test_the_complaint_desk_warns_of_an_open_complaint_elsewhere_before_submitting(
    page, login, shot, api, complaints_officer, other_provider, axe_source
):
    from complaints.tests.conftest import complaint_payload
    from tests.factories import staff_user

    almaty = staff_user("complaints_almaty", "complaints_officer", other_provider)
    payload = complaint_payload(provider=other_provider.code)
    payload.pop("received_at")  # now
    elsewhere = api.as_user(almaty).post("/api/v1/complaints/", payload, format="json")
    assert elsewhere.status_code == 201, elsewhere.json()
    login(page, complaints_officer)
    with page.expect_navigation():
        page.select_option("#language-switcher", "kk")
    page.goto("/complaints/new/")
    page.fill("#id_complainant_iin", "850315410002")
    page.keyboard.press("Tab")
    expect(page.locator("#open-elsewhere")).to_contain_text(elsewhere.json()["number"])
    assert axe_violations(page, axe_source) == []
    shot(page, "casework-complaint-open-elsewhere-kk")
