"""A housing certificate from intake to transfer, through the screens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from certificates import income
from certificates.models import AmountKind, CertificateProgram
from housing_aid import workdays
from housing_aid.models import ServiceProvider


def test_officer_takes_a_request_from_intake_to_transfer(page, login, shot, officer):
    provider = ServiceProvider.objects.get(code="710000000")
    year = workdays.registration_date(timezone.now(), provider).year
    CertificateProgram.objects.create(
        provider=provider,
        year=year,
        budget=Decimal("30000000"),
        amount_kind=AmountKind.FIXED,
        amount_value=Decimal("1500000"),
        decision="Решение маслихата города Астаны № 112/14-VIII",
        categories=[],
        mortgage_programs=["Наурыз", "Отбасы"],
    )
    login(page, officer)

    page.goto("/certificates/")
    page.click("text=Новое обращение")
    page.fill("#id_last_name", "Жақсыбекова")
    page.fill("#id_first_name", "Айнұр")
    page.fill("#id_patronymic", "Серікқызы")
    page.fill("#id_iin", "850315410002")
    page.fill("#id_address", "г. Астана, ул. Кенесары, 40, кв. 12")
    page.fill("#id_bank", "АО «Отбасы банк»")
    page.fill("#id_bank_notified_on", workdays.today().isoformat())
    page.fill("#id_loan_amount", "15000000")
    page.fill("#id_down_payment", "3000000")
    page.fill("#id_mortgage_program", "Наурыз")
    page.fill("#id_property_region", "Астана")
    page.fill("#id_property_locality", "Есильский район")
    page.fill("input[name=member-0-full_name]", "Жақсыбеков Серік")
    page.fill("input[name=member-0-birth_date]", "1983-01-10")
    page.select_option("select[name=member-0-relationship]", "spouse")
    page.fill("input[name=member-1-full_name]", "Жақсыбекова Әсем")
    page.fill("input[name=member-1-birth_date]", (workdays.today() - dt.timedelta(days=365 * 8)).isoformat())
    for k in range(len(income.tested_months(workdays.today(), 6))):
        page.fill(f"input[name=income-a-{k}]", "210000")
        page.fill(f"input[name=income-0-{k}]", "150000")
        page.check(f"input[name=income-1-{k}-none]")  # the daughter: "no income", said explicitly
    shot(page, "certificates-intake")
    page.click("text=Зарегистрировать обращение")

    expect(page.locator("#status")).to_contain_text("На рассмотрении")
    expect(page.locator("#income-test")).to_contain_text("120 000,00")  # 360 000 / 3
    expect(page.locator("#income-test")).to_contain_text("Социальная помощь")
    shot(page, "certificates-request")

    page.click("#confirm-approve summary")
    expect(page.locator("#confirm-approve")).to_contain_text("1 500 000,00")
    page.click("button[name=approve]")
    expect(page.locator("#status")).to_contain_text("Одобрено")
    expect(page.locator("#budget")).to_contain_text("28 500 000,00")
    shot(page, "certificates-approved")

    page.fill("#id_conclude_agreement-account_iban", "KZ86125KZT5004100100")
    page.fill("#id_conclude_agreement-account_bank", "АО «Отбасы банк»")
    page.click("#form-conclude_agreement button[type=submit]")
    expect(page.locator("#status")).to_contain_text("Договор заключён")

    page.click("#form-record_transfer button[type=submit]")
    expect(page.locator("#status")).to_contain_text("Перечислено")
    expect(page.locator("text=Решение о выдаче жилищного сертификата")).to_be_visible()
    shot(page, "certificates-transferred")

    page.goto("/certificates/")
    expect(page.locator("#requests")).to_contain_text("Жақсыбекова Айнұр Серікқызы")
    shot(page, "certificates-worklist")
