"""Certificate parameters, demo programs (current year only) and a few demo requests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from certificates import income
from certificates import parameters as cp
from certificates.models import AmountKind, CertificateProgram, CertificateRequest, Kind, SecurityKind, Status
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


# surname, name, patronymic, first 11 IIN digits, net monthly income, mortgage programme, how far it goes.
# Families of two (the applicant and a child): 180,000 a month is 90,000 a person, social assistance;
# 560,000 is 280,000 a person, above 3.1 x MSL of any demo year, so a budget loan.
DEMO_FAMILIES = [
    ("Жақсыбекова", "Айнұр", "Серікқызы", "90041545001", Decimal("180000"), "Наурыз", Status.TRANSFERRED),
    ("Ахметов", "Ерлан", "Бауыржанұлы", "88021235001", Decimal("560000"), "Отбасы", Status.TRANSFERRED),
    ("Ким", "Виктория", "Олеговна", "95073045001", Decimal("240000"), "Наурыз", Status.UNDER_CONSIDERATION),
    ("Сейтқали", "Мадина", "Ерболқызы", "87110245001", Decimal("150000"), "Отбасы", Status.APPROVED),
]
# The order a demo request walks; each step runs through the real service as the right person.
STEPS = [Status.UNDER_CONSIDERATION, Status.APPROVED, Status.AGREEMENT_CONCLUDED, Status.TRANSFERRED]
DEMO_IBAN = "KZ86125KZT5004100100"


def _seed_cases(year: int) -> None:
    """Astana requests in several states: waiting, approved, and two paid out (one of them a budget
    loan the trustee services). Each run picks every family up where it stands, so a second run
    (or a database seeded by an older version) adds nothing twice and never skips a step."""
    provider = ServiceProvider.objects.filter(code=ASTANA).first()
    users = get_user_model().objects.in_bulk(["officer", "trustee"], field_name="username")
    if provider is None or len(users) < 2:
        return
    for family in DEMO_FAMILIES:
        check = iin_check_digit(family[3])
        if check is None:
            continue
        iin = f"{family[3]}{check}"
        request = (
            CertificateRequest.objects.filter(provider=provider, applicant__iin=iin).order_by("id").first()
        )
        if request is None:
            request = _register(provider, users["officer"], family, iin, year)
        _advance(request, family[6], users["officer"], users["trustee"])


def _register(provider, officer, family, iin: str, year: int) -> CertificateRequest:
    from certificates import services

    last, first, patronymic, _iin, monthly, programme, _target = family
    received_on = _last_working_day_before(workdays.today())
    data = {
        "provider": provider,
        "channel": "administrator",
        "received_at": timezone.make_aware(dt.datetime.combine(received_on, dt.time(10, 0))),
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
        "incomes": [
            {"person": "applicant", "month": m, "amount": monthly}
            for m in income.tested_months(received_on, 6)
        ]
        + [{"person": 0, "month": m, "no_income": True} for m in income.tested_months(received_on, 6)],
        "category": "",
        "mortgage_program": programme,
        "bank": "АО «Отбасы банк»",
        "bank_notified_on": received_on,
        "loan_amount": Decimal("15000000"),
        "down_payment": Decimal("3000000"),
    }
    return services.register_request(officer, data)


def _last_working_day_before(today: dt.date) -> dt.date:
    """The demo requests came in on the previous working day (within this financial year), so the
    decision taken today never predates the registration, even when the demo is loaded on a Sunday."""
    day = today - dt.timedelta(days=1)
    while not workdays.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day if day.year == today.year else today


def _advance(request: CertificateRequest, target: str, officer, trustee) -> CertificateRequest:
    """Walk the request up to ``target`` from wherever it stands (dates: today, as at the desk)."""
    from certificates import services

    if request.status not in STEPS or target not in STEPS:
        return request
    today = workdays.today()
    # Social assistance: the Administrator's officer signs and pays; a budget loan: the trustee.
    party = trustee if request.kind == Kind.BUDGET_LOAN else officer
    while STEPS.index(request.status) < STEPS.index(target):
        if request.status == Status.UNDER_CONSIDERATION:
            request = services.approve(request, officer)
        elif request.status == Status.APPROVED:
            agreement = {
                "visited_on": today,
                "agreement_on": today,
                "agreement_number": "",
                "account_iban": DEMO_IBAN,
                "account_bank": "АО «Отбасы банк»",
            }
            if request.kind == Kind.BUDGET_LOAN:
                agreement["loan"] = {
                    "number": "",
                    "concluded_on": today,
                    "term_months": 120,
                    "security_kind": SecurityKind.PLEDGE,
                    "security_details": "приобретаемая квартира, г. Астана, ул. Кенесары, 40",
                }
            request = services.conclude_agreement(request, party, agreement)
        else:
            request = services.record_transfer(
                request, party, transferred_on=today, reference=f"PP-{request.number}"
            )
    return request
