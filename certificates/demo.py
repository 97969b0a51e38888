"""Certificate parameters, demo programs (current year only) and a few demo requests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from certificates import income
from certificates import parameters as cp
from certificates.models import AmountKind, CertificateProgram, CertificateRequest
from housing_aid import parameters, workdays
from housing_aid.demo import ALMATY, ASTANA
from housing_aid.identifiers import iin_check_digit
from housing_aid.models import ServiceProvider

LEGAL_BASIS = "Rules for housing certificates (seed 004), in force from 2023"

# Maslikhat decisions seen (DOMAIN.md): Astana a fixed 1,500,000; Almaty 10 % of the loan capped at 1,500,000.
DEMO_PROGRAMS = {
    ASTANA: {
        "decision": "Решение маслихата города Астаны о жилищных сертификатах",
        "budget": Decimal("30000000.00"),
        "amount_kind": AmountKind.FIXED,
        "amount_value": Decimal("1500000.00"),
        "amount_cap": None,
        "categories": ["Многодетные семьи", "Лица с инвалидностью", "Работники бюджетной сферы"],
        "mortgage_programs": ["Наурыз", "Отбасы", "7-20-25"],
    },
    ALMATY: {
        "decision": "Решение маслихата города Алматы о жилищных сертификатах",
        "budget": Decimal("45000000.00"),
        "amount_kind": AmountKind.PERCENT_OF_LOAN,
        "amount_value": Decimal("10.00"),
        "amount_cap": Decimal("1500000.00"),
        "categories": [],
        "mortgage_programs": ["Наурыз", "Отбасы"],
    },
}


def seed_reference() -> None:
    for key, value in cp.DEFAULTS.items():
        parameters.set_value(key, dt.date(2020, 1, 1), value, legal_basis=LEGAL_BASIS)


def seed_demo(with_cases: bool) -> None:
    seed_reference()
    year = workdays.today().year
    for code, fields in DEMO_PROGRAMS.items():
        provider = ServiceProvider.objects.filter(code=code).first()
        if provider is not None:
            CertificateProgram.objects.get_or_create(provider=provider, year=year, defaults=fields)
    if with_cases:
        _seed_cases(year)


def _seed_cases(year: int) -> None:
    from certificates import services

    provider = ServiceProvider.objects.filter(code=ASTANA).first()
    officer = get_user_model().objects.filter(username="officer").first()
    if provider is None or officer is None or CertificateRequest.objects.filter(provider=provider).exists():
        return
    today = workdays.today()
    months = income.tested_months(today, 6)
    families = [
        ("Жақсыбекова", "Айнұр", "Серікқызы", "90041545001", Decimal("180000"), "Наурыз"),
        ("Ахметов", "Ерлан", "Бауыржанұлы", "88021235001", Decimal("560000"), "Отбасы"),
        ("Ким", "Виктория", "Олеговна", "95073045001", Decimal("240000"), "Наурыз"),
    ]
    for last, first, patronymic, first_eleven, monthly, programme in families:
        check = iin_check_digit(first_eleven)
        iin = f"{first_eleven}{check if check is not None else 0}"
        if check is None:
            continue
        data = {
            "provider": provider,
            "channel": "administrator",
            "received_at": None,
            "applicant": {
                "last_name": last,
                "first_name": first,
                "patronymic": patronymic,
                "iin": iin,
                "address": "г. Астана, ул. Кенесары, 40",
                "phone": "+7 701 555 12 34",
            },
            "family_members": [
                {
                    "full_name": "Ребёнок " + first,
                    "iin": "",
                    "birth_date": dt.date(year - 7, 3, 1),
                    "relationship": "child",
                    "full_time_student": False,
                }
            ],
            "incomes": [{"person": "applicant", "month": m, "amount": monthly} for m in months],
            "category": "",
            "mortgage_program": programme,
            "bank": "АО «Отбасы банк»",
            "bank_notified_on": today,
            "loan_amount": Decimal("15000000"),
            "down_payment": Decimal("3000000"),
        }
        services.register_request(officer, data)
