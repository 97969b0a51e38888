"""Certificate fixtures: a program per test, a valid request body as API.md shows it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from certificates.models import AmountKind, CertificateProgram

ALMATY = ZoneInfo("Asia/Almaty")
# Wednesday 12 March 2025, 10:00: a working day; decision due Monday 17 March.
NOW = dt.datetime(2025, 3, 12, 10, 0, tzinfo=ALMATY)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def make_program(provider):
    def _make(year: int = 2025, budget: str = "30000000.00", **fields) -> CertificateProgram:
        defaults = {
            "amount_kind": AmountKind.FIXED,
            "amount_value": Decimal("1500000.00"),
            "categories": ["Многодетные семьи", "Лица с инвалидностью"],
            "mortgage_programs": ["Наурыз", "Отбасы"],
        }
        defaults.update(fields)
        prov = defaults.pop("provider", provider)
        return CertificateProgram.objects.create(provider=prov, year=year, budget=Decimal(budget), **defaults)

    return _make


@pytest.fixture
def program(make_program):
    return make_program()


def months_before(received: dt.date, count: int = 6) -> list[str]:
    from certificates.income import tested_months

    return [m.strftime("%Y-%m") for m in tested_months(received, count)]


def body(
    *,
    received_at: dt.datetime = NOW,
    monthly: str = "120000.00",
    members: list[dict] | None = None,
    member_monthly: dict[int, str] | None = None,
    provider: str = "710000000",
    channel: str = "administrator",
    iin: str = "850315410002",
    **overrides,
) -> dict:
    """A request body exactly as API.md documents it."""
    months = months_before(received_at.astimezone(ALMATY).date())
    incomes = [{"person": "applicant", "month": m, "amount": monthly} for m in months]
    for index, amount in (member_monthly or {}).items():
        incomes += [{"person": index, "month": m, "amount": amount} for m in months]
    # Every other member: an explicit "no income" for each month (a month left out is a 400).
    for index in range(len(members or [])):
        if index not in (member_monthly or {}):
            incomes += [{"person": index, "month": m, "no_income": True} for m in months]
    data = {
        "provider": provider,
        "channel": channel,
        "received_at": received_at.isoformat(),
        "applicant": {
            "last_name": "Жақсыбекова",
            "first_name": "Айнұр",
            "patronymic": "Серікқызы",
            "iin": iin,
            "birth_date": "1985-03-15",
            "address": "г. Астана, ул. Кенесары, 40, кв. 12",
            "phone": "+7 701 555 12 34",
        },
        "family_members": members if members is not None else [],
        "incomes": incomes,
        "category": "Многодетные семьи",
        "mortgage_program": "Наурыз",
        "bank": "АО «Отбасы банк»",
        "bank_notified_on": "2025-03-10",
        "loan_amount": "15000000.00",
        "down_payment": "3000000.00",
    }
    data.update(overrides)
    return data


@pytest.fixture
def create(api, officer, frozen):
    """POST a request as the officer (a program must exist); returns the response JSON."""

    def _create(**kwargs):
        response = api.as_user(officer).post("/api/v1/certificates/", body(**kwargs), format="json")
        assert response.status_code == 201, response.json()
        return response.json()

    return _create


def transition(api, user, pk: int, name: str, data: dict | None = None):
    return api.as_user(user).post(f"/api/v1/certificates/{pk}/transitions/{name}/", data or {}, format="json")
