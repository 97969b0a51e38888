"""Issue 13: the intake form keeps the family table and the income grid after an error, and
the error names the person and the month in the officer's words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from certificates import income
from certificates.models import AmountKind, CertificateProgram, CertificateRequest
from housing_aid import workdays
from housing_aid.models import ServiceProvider


def test_intake_keeps_the_family_and_the_income_grid_after_an_error(page, login, shot, officer):
    provider = ServiceProvider.objects.get(code="710000000")
    year = workdays.registration_date(timezone.now(), provider).year
    CertificateProgram.objects.create(
        provider=provider,
        year=year,
        budget=Decimal("30000000"),
        amount_kind=AmountKind.FIXED,
        amount_value=Decimal("1500000"),
    )
    months = income.tested_months(workdays.today(), 6)
    login(page, officer)
    page.goto("/certificates/new/")
    for field, value in {
        "#id_last_name": "Жақсыбекова",
        "#id_first_name": "Айнұр",
        "#id_iin": "850315410002",
        "#id_address": "г. Астана, ул. Кенесары, 40, кв. 12",
        "#id_bank": "АО «Отбасы банк»",
        "#id_bank_notified_on": workdays.today().isoformat(),
        "#id_loan_amount": "15000000",
        "#id_down_payment": "3000000",
    }.items():
        page.fill(field, value)
    page.fill("input[name=member-0-full_name]", "Жақсыбеков Серік")
    page.fill("input[name=member-0-birth_date]", "1983-01-10")
    page.select_option("select[name=member-0-relationship]", "spouse")
    page.fill("input[name=member-1-full_name]", "Жақсыбекова Әсем")
    page.fill("input[name=member-1-birth_date]", (workdays.today() - dt.timedelta(days=365 * 8)).isoformat())
    page.check("input[name=member-1-student]")
    for k in range(len(months)):
        page.fill(f"input[name=income-a-{k}]", f"21{k}000")
        if k != 3:  # the spouse's fourth month is left blank by mistake
            page.fill(f"input[name=income-0-{k}]", "150000")
        page.check(f"input[name=income-1-{k}-none]")

    page.click("text=Зарегистрировать обращение")

    errors = page.locator("#intake-errors")
    expect(errors).to_contain_text(f"Член семьи 1, Жақсыбеков Серік, {income.month_label(months[3])}")
    expect(errors).not_to_contain_text("incomes")
    expect(page.locator("input[name=member-0-full_name]")).to_have_value("Жақсыбеков Серік")
    expect(page.locator("select[name=member-0-relationship]")).to_have_value("spouse")
    expect(page.locator("input[name=member-1-birth_date]")).to_have_value(
        (workdays.today() - dt.timedelta(days=365 * 8)).isoformat()
    )
    expect(page.locator("input[name=member-1-student]")).to_be_checked()
    for k in range(len(months)):
        expect(page.locator(f"input[name=income-a-{k}]")).to_have_value(f"21{k}000")
        expect(page.locator(f"input[name=income-1-{k}-none]")).to_be_checked()
    expect(page.locator("input[name=income-0-0]")).to_have_value("150000")
    expect(page.locator("input[name=income-0-3]")).to_have_value("")
    shot(page, "certificates-intake-error-kept")
    assert CertificateRequest.objects.count() == 0

    page.fill("input[name=income-0-3]", "150000")
    page.click("text=Зарегистрировать обращение")

    expect(page.locator("#status")).to_contain_text("На рассмотрении")
    case = CertificateRequest.objects.get()
    assert case.family_size == 3
    assert case.total_income == Decimal("6") * Decimal("150000") + sum(Decimal(f"21{k}000") for k in range(6))
