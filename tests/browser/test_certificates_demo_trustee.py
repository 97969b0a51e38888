"""The demo as the trustee finds it: a paid-out budget loan with its schedule, and the worklist in several states."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from certificates import demo
from certificates.models import Loan


def test_demo_trustee_sees_the_loan_and_its_schedule(page, login, shot, officer, trustee):
    demo.seed_demo(with_cases=True)  # finds the demo's officer and trustee by their user names
    loan = Loan.objects.select_related("request__applicant").get()

    login(page, trustee)
    page.goto("/certificates/loans/")
    expect(page.locator("table.list")).to_contain_text(loan.request.applicant.full_name)
    expect(page.locator("table.list")).to_contain_text(re.compile(r"1\s500\s000,00"))
    shot(page, "certificates-demo-loans")

    page.click(f"text={loan.number}")
    expect(page.locator("body")).to_contain_text("Залог")
    expect(page.locator("table").last).to_contain_text("120")
    shot(page, "certificates-demo-loan")

    page.click("form[action='/logout/'] button")
    login(page, officer)
    page.goto("/certificates/")
    for status in ("Перечислено", "Одобрено", "На рассмотрении"):
        expect(page.locator("main")).to_contain_text(status)
    shot(page, "certificates-demo-worklist")
