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
    page.wait_for_load_state("networkidle")
    page.goto(f"/work/persons/{application.applicant.iin}/")
    expect(page.locator("main")).to_contain_text(application.number)
    expect(page.locator("h1")).to_have_text(re.compile(r"\S"))
    assert axe_violations(page, axe_source) == []
    shot(page, "casework-person-kk")
