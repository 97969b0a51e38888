"""Reference parameters and demo cases of the housing-assistance service (idempotent)."""

from __future__ import annotations

import datetime as dt

from applications import parameters as ha
from housing_aid.models import ServiceProvider
from housing_aid.parameters import set_value

SINCE = dt.date(2000, 1, 1)
RULES = "Order No. 539 of 16.10.2020, Appendix 2 and para 9"

# Share of family income spent on housing (%), set by each maslikhat; by the provider's region.
SHARE_BY_REGION = {"Астана": "10", "Алматы": "8", "Шымкент": "7"}
NATIONAL_SHARE = "5"

# Monthly caps (KZT) per covered payment: the norms of consumption priced at the tariffs.
NATIONAL_NORMS = {
    ha.NORM_MAINTENANCE: "12000",
    ha.NORM_UTILITIES: "35000",
    ha.NORM_TELECOM: "1500",
    ha.NORM_RENT: "60000",
}
NORMS_BY_REGION = {
    "Астана": {
        ha.NORM_MAINTENANCE: "15000",
        ha.NORM_UTILITIES: "45000",
        ha.NORM_TELECOM: "2000",
        ha.NORM_RENT: "90000",
    },
    "Алматы": {
        ha.NORM_MAINTENANCE: "14000",
        ha.NORM_UTILITIES: "40000",
        ha.NORM_TELECOM: "2000",
        ha.NORM_RENT: "85000",
    },
}


def seed_reference() -> None:
    """The seed's terms for every date (8 = 2 + 5 + 1 wd), the share and the norms."""
    for key, days in (
        (ha.TERM_TOTAL, 8),
        (ha.TERM_REVIEW, 2),
        (ha.TERM_VERIFICATION, 5),
        (ha.TERM_DECISION, 1),
    ):
        set_value(key, SINCE, days, legal_basis=RULES)
    set_value(ha.SHARE_PERCENT, SINCE, NATIONAL_SHARE, legal_basis="Maslikhat decisions (default)")
    for key, value in NATIONAL_NORMS.items():
        set_value(key, SINCE, value, legal_basis="Maslikhat decisions (default)")
    for provider in ServiceProvider.objects.all():
        share = SHARE_BY_REGION.get(provider.region)
        if share is not None:
            set_value(
                ha.SHARE_PERCENT,
                SINCE,
                share,
                provider=provider,
                legal_basis=f"Maslikhat of {provider.region}",
            )
        for key, value in NORMS_BY_REGION.get(provider.region, {}).items():
            set_value(key, SINCE, value, provider=provider, legal_basis=f"Maslikhat of {provider.region}")


def seed_demo(with_cases: bool = True) -> None:
    seed_reference()
    if with_cases:
        create_demo_cases()


# surname, name, patronymic, IIN, tenure, documents, steps
DEMO_APPLICANTS = [
    ("Әбдірахманова", "Гүлжан", "Серікқызы", "850315410002", "owner", None, []),
    ("Жақсыбеков", "Ерлан", "Болатұлы", "061211600012", "state_rental", None, ["start_review"]),
    ("Иванова", "Мария", "Петровна", "", "owner", None, ["start_review", "start_verification"]),
    (
        "Серікбаев",
        "Дәулет",
        "",
        "",
        "owner",
        None,
        ["start_review", "start_verification", "draft_assignment"],
    ),
    ("Омарова", "Айжан", "Қайратқызы", "", "leb_private_rental", ["identity", "family_income"], []),
]


def create_demo_cases() -> None:
    """A handful of Astana cases in different states, created once through the services."""
    from django.contrib.auth import get_user_model

    from applications import services
    from applications.models import Application
    from housing_aid.identifiers import iin_check_digit

    provider = ServiceProvider.objects.filter(code="710000000").first()
    users = get_user_model().objects.in_bulk(["clerk", "officer"], field_name="username")
    if provider is None or len(users) < 2 or Application.objects.filter(provider=provider).exists():
        return
    full = list(services.required_documents("state_corporation", "owner", False))
    for n, (last, first, patronymic, iin, tenure, documents, steps) in enumerate(DEMO_APPLICANTS):
        if not iin:
            base = f"9{n}0101{3}0000{n}"[:11]
            check = iin_check_digit(base)
            iin = base + str(check if check is not None else 0)
        data = services.IntakeData(
            provider=provider,
            channel="state_corporation",
            applicant={"last_name": last, "first_name": first, "patronymic": patronymic, "iin": iin},
            tenure=tenure,
            address=f"Астана, ул. Кенесары, {10 + n}, кв. {n + 1}",
            family_members=[{"full_name": f"{last} (ребёнок)", "relationship": "child", "birth_date": None}],
            iban="KZ86125KZT5004100100",
            bank_name="АО «Халык Банк»",
            consent=True,
            documents=documents
            if documents is not None
            else full + (["rent_invoice"] if tenure != "owner" else []),
        )
        application = services.submit_application(data, users["clerk"])
        for step in steps:
            body = {}
            if step == "draft_assignment":
                body = {"quarter_income": "270000", "payments": {"maintenance": "8000", "utilities": "14000"}}
            application = services.transition(application, step, users["officer"], body)
