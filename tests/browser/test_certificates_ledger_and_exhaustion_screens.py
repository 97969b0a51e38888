"""Issue 13 screens, ru and kk: the loan ledger (paid, overdue, days past due, a reversal) and the
program page at exhaustion (announcement, requests awaiting the funds_exhausted refusal)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from playwright.sync_api import expect

from certificates import demo, services
from certificates.actions import LOAN_ACTIONS
from certificates.models import AmountKind, CertificateProgram, Kind, Loan
from housing_aid import workdays
from housing_aid.actions import run_action
from housing_aid.identifiers import iin_check_digit
from housing_aid.models import ServiceProvider

ALMATY = ZoneInfo("Asia/Almaty")


def _family(surname: str, digits: str, monthly: str) -> tuple:
    return (surname, "Айнұр", "Серікқызы", digits, Decimal(monthly), "Наурыз", None)


def _iin(digits: str) -> str:
    return f"{digits}{iin_check_digit(digits)}"


def test_loan_ledger_and_exhausted_program_in_russian_and_kazakh(page, login, shot, officer, trustee):
    provider = ServiceProvider.objects.get(code="710000000")
    today = workdays.today()
    start = today - dt.timedelta(days=130)
    while not workdays.is_working_day(start) or start.year != today.year:
        start += dt.timedelta(days=1)
    program = CertificateProgram.objects.create(
        provider=provider,
        year=today.year,
        budget=Decimal("3500000"),
        amount_kind=AmountKind.FIXED,
        amount_value=Decimal("1500000"),
        decision="Решение маслихата города Астаны № 112/14-VIII",
    )
    # Four months ago: a budget loan approved, concluded and paid out; two repayments, one wrong.
    with time_machine.travel(dt.datetime.combine(start, dt.time(11, 0), tzinfo=ALMATY), tick=False):
        loan_case = demo._register(
            provider, officer, _family("Ахметова", "88021245001", "560000"), _iin("88021245001"), today.year
        )
        assert loan_case.kind == Kind.BUDGET_LOAN
        demo._advance(loan_case, "transferred", officer, trustee)
    loan = Loan.objects.get(request=loan_case)
    instalment = loan.instalments.first().amount
    with time_machine.travel(
        dt.datetime.combine(start + dt.timedelta(days=40), dt.time(11, 0), tzinfo=ALMATY), tick=False
    ):
        paid_on = (start + dt.timedelta(days=33)).isoformat()
        wrong = run_action(
            LOAN_ACTIONS,
            loan_case,
            "record_repayment",
            trustee,
            {"paid_on": paid_on, "amount": instalment * 10},
        ).result
        run_action(
            LOAN_ACTIONS,
            loan_case,
            "reverse_repayment",
            trustee,
            {"repayment": wrong.pk, "reason": "Лишний ноль в сумме платежа"},
        )
        run_action(
            LOAN_ACTIONS, loan_case, "record_repayment", trustee, {"paid_on": paid_on, "amount": instalment}
        )
    # Today: the approval that leaves 500 000 (< one certificate) terminates the program.
    second = demo._register(
        provider, officer, _family("Сейтқали", "87110245001", "150000"), _iin("87110245001"), today.year
    )
    services.approve(second, officer)
    waiting = demo._register(
        provider, officer, _family("Ким", "95073045001", "240000"), _iin("95073045001"), today.year
    )
    program.refresh_from_db()
    assert program.terminated

    login(page, trustee)
    for lang in ("ru", "kk"):
        if lang == "kk":
            page.select_option("#language-switcher", "kk")
            expect(page.locator("html")).to_have_attribute("lang", "kk")
        page.goto(f"/certificates/loans/{loan.pk}/")
        expect(page.locator("#schedule tbody tr").first).to_contain_text(
            "төленді" if lang == "kk" else "оплачен"
        )
        expect(page.locator("#schedule tr.arrears").first).to_be_visible()
        expect(page.locator("#repayments tr.reversal")).to_contain_text("Лишний ноль в сумме платежа")
        expect(page.locator("#arrears")).not_to_have_text("0")
        shot(page, f"certificates-loan-ledger-{lang}")

    page.click("form[action='/logout/'] button")
    login(page, officer)
    for lang in ("kk", "ru"):
        page.select_option("#language-switcher", lang)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        page.goto(f"/certificates/programs/{program.pk}/")
        expect(page.locator("#announcement")).to_contain_text(str(today.year))
        expect(page.locator("#awaiting")).to_contain_text(waiting.number)
        expect(page.locator("#remaining")).to_contain_text("500")
        shot(page, f"certificates-program-exhausted-{lang}")
