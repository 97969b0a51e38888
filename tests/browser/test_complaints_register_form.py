"""The complaint registration form speaks through the server (novalidate): an empty form names
every field as the officer sees it, dates are typed dd.mm.yyyy hh:mm, and axe finds nothing."""

from __future__ import annotations

from playwright.sync_api import expect

from complaints.models import Complaint

from . import axe
from .axe import axe_violations

axe_source = axe.axe_source  # the fixture, for this module's tests


def test_empty_complaint_form_names_the_fields(page, login, shot, complaints_officer, provider, axe_source):
    login(page, complaints_officer)
    page.goto("/complaints/new/")
    assert axe_violations(page, axe_source) == []
    received = page.locator("#id_received_at")
    expect(received).to_have_attribute("data-date-mask", "datetime")
    received.fill("")
    received.type("040320251000")
    expect(received).to_have_value("04.03.2025 10:00")
    page.fill("#id_text", "")
    with page.expect_navigation(timeout=60_000):
        page.click("#register-form button[type=submit]")

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    for label in ("Фамилия", "Имя", "Почтовый адрес"):
        expect(summary.locator("a", has_text=label).first).to_be_visible()
    expect(received).to_have_value("04.03.2025 10:00")  # nothing typed is lost
    assert axe_violations(page, axe_source) == []
    shot(page, "complaints-register-errors-ru")
    assert not Complaint.objects.exists()
