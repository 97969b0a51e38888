"""Reference data and demo users for ``seed_demo`` (idempotent)."""

from __future__ import annotations

import datetime as dt

from housing_aid import parameters
from housing_aid.models import ProviderKind, ServiceProvider, StaffProfile
from housing_aid.roles import Role
from housing_aid.staff import create_staff_user

DEMO_PASSWORD = "demo-pass-2025"  # noqa: S105 - demo data only, printed by seed_demo

# code, name_ru, name_kk, name_en, region, kind
PROVIDERS = [
    (
        "710000000",
        "ГУ «Управление занятости и социальных программ города Астаны»",
        "«Астана қаласының жұмыспен қамту және әлеуметтік бағдарламалар басқармасы» ММ",
        "Astana City Department of Employment and Social Programs",
        "Астана",
        ProviderKind.REPUBLICAN_CITY,
    ),
    (
        "711100000",
        "Отдел жилищной помощи района Алматы (Астана)",
        "Алматы ауданының тұрғын үй көмегі бөлімі (Астана)",
        "Almaty District Housing Aid Office (Astana)",
        "Астана",
        ProviderKind.DISTRICT,
    ),
    (
        "711300000",
        "Отдел жилищной помощи района Есиль (Астана)",
        "Есіл ауданының тұрғын үй көмегі бөлімі (Астана)",
        "Yesil District Housing Aid Office (Astana)",
        "Астана",
        ProviderKind.DISTRICT,
    ),
    (
        "750000000",
        "ГУ «Управление занятости и социальных программ города Алматы»",
        "«Алматы қаласының жұмыспен қамту және әлеуметтік бағдарламалар басқармасы» ММ",
        "Almaty City Department of Employment and Social Programs",
        "Алматы",
        ProviderKind.REPUBLICAN_CITY,
    ),
    (
        "751500000",
        "Отдел жилищной помощи Медеуского района (Алматы)",
        "Медеу ауданының тұрғын үй көмегі бөлімі (Алматы)",
        "Medeu District Housing Aid Office (Almaty)",
        "Алматы",
        ProviderKind.DISTRICT,
    ),
    (
        "790000000",
        "ГУ «Управление занятости и социальных программ города Шымкент»",
        "«Шымкент қаласының жұмыспен қамту және әлеуметтік бағдарламалар басқармасы» ММ",
        "Shymkent City Department of Employment and Social Programs",
        "Шымкент",
        ProviderKind.REPUBLICAN_CITY,
    ),
    (
        "791100000",
        "Отдел жилищной помощи Абайского района (Шымкент)",
        "Абай ауданының тұрғын үй көмегі бөлімі (Шымкент)",
        "Abai District Housing Aid Office (Shymkent)",
        "Шымкент",
        ProviderKind.DISTRICT,
    ),
    (
        "191610000",
        "ГУ «Отдел занятости и социальных программ города Қонаев»",
        "«Қонаев қаласының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі» ММ",
        "Konaev City Department of Employment and Social Programs",
        "Алматинская область",
        ProviderKind.REGIONAL_CITY,
    ),
]

ASTANA, ALMATY, SHYMKENT = "710000000", "750000000", "790000000"

# username, role, provider codes, first name, last name
USERS = [
    ("clerk", Role.INTAKE_CLERK, [ASTANA, "711100000", "711300000"], "Айгерим", "Сейткали"),
    ("officer", Role.CASE_OFFICER, [ASTANA], "Нұрлан", "Әбенов"),
    ("officer2", Role.CASE_OFFICER, [ASTANA], "Гүлнұр", "Қасымова"),
    ("head", Role.HEAD, [ASTANA], "Ерлан", "Жұмабаев"),
    ("complaints", Role.COMPLAINTS_OFFICER, [ASTANA], "Сәуле", "Омарова"),
    ("quality", Role.QUALITY_OFFICER, [], "Дәурен", "Ілиясов"),
    ("trustee", Role.TRUSTEE, [ASTANA], "Мадина", "Үсенова"),
    ("auditor", Role.AUDITOR, [], "Бекзат", "Нұрғалиев"),
    ("admin", Role.ADMINISTRATOR, [], "Әкімші", "Жүйе"),
    ("portal", Role.PORTAL, [], "egov", "portal"),
    ("officer_almaty", Role.CASE_OFFICER, [ALMATY], "Асель", "Ермекова"),
    ("head_almaty", Role.HEAD, [ALMATY], "Тимур", "Сағынтаев"),
]

# DOMAIN.md: MSL per year (KZT a month), from the republican budget law of each year.
MSL_BY_YEAR = {2023: "40567", 2024: "43407", 2025: "46228", 2026: "50851"}


def seed_reference_data() -> None:
    for code, name_ru, name_kk, name_en, region, kind in PROVIDERS:
        ServiceProvider.objects.update_or_create(
            code=code,
            defaults={
                "name_ru": name_ru,
                "name_kk": name_kk,
                "name_en": name_en,
                "region": region,
                "kind": kind,
            },
        )
    for year, value in MSL_BY_YEAR.items():
        parameters.set_value(
            parameters.MSL, dt.date(year, 1, 1), value, legal_basis=f"Law on the republican budget for {year}"
        )


def seed_users() -> list[tuple[str, str, list[str]]]:
    out = []
    for username, role, codes, first, last in USERS:
        create_staff_user(
            username,
            role=role,
            provider_codes=codes,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
        )
        out.append((username, role, codes))
    # Appendix 3 prints the clerk's State Corporation department, its address and phone.
    StaffProfile.objects.filter(user__username="clerk").update(
        position="Главный менеджер",
        department_number="3",
        department_address="г. Астана, пр. Мәңгілік Ел, 11",
        phone="+7 7172 55-44-33",
    )
    return out
