"""Helpers of the housing-assistance tests: a complete Appendix 1 package and cases in each state."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from applications import services
from applications.models import Application
from housing_aid.identifiers import iin_check_digit

ALMATY_TZ = ZoneInfo("Asia/Almaty")
# Monday 14 April 2025, 10:00: a working day; review due 16.04, term due 24.04.
RECEIVED = dt.datetime(2025, 4, 14, 10, 0, tzinfo=ALMATY_TZ)
IBAN = "KZ86125KZT5004100100"
FULL_PACKAGE = [
    "identity",
    "family_income",
    "employment_status",
    "alimony",
    "bank_account",
    "maintenance_invoice",
    "utility_bills",
    "telecom_bill",
]


def make_iin(n: int) -> str:
    """A valid IIN for a person born in the 1980s (check digit of DOMAIN.md)."""
    while True:
        first = f"8{n % 10}0315{4}{n:04d}"[:11]
        check = iin_check_digit(first)
        if check is not None:
            return first + str(check)
        n += 1


def package(provider_code: str = "710000000", channel: str = "state_corporation", **changes) -> dict:
    data = {
        "provider": provider_code,
        "channel": channel,
        "received_at": RECEIVED.isoformat(),
        "is_reapplication": False,
        "applicant": {
            "last_name": "Әбдірахманова",
            "first_name": "Гүлжан",
            "patronymic": "Серікқызы",
            "iin": "850315410002",
            "address": "Астана, ул. Кенесары, 40, кв. 12",
            "phone": "+77011234567",
            "email": "",
            "tenure": "owner",
        },
        "family_members": [
            {
                "full_name": "Әбдірахманов Нұрлан",
                "iin": "",
                "birth_date": "2012-05-01",
                "relationship": "child",
                "social_status": "школьник",
            }
        ],
        "bank_account": {"iban": IBAN, "bank_name": "АО «Халык Банк»"},
        "consent": True,
        "documents": list(FULL_PACKAGE),
    }
    for key, value in changes.items():
        if key in data["applicant"] and key not in data:
            data["applicant"][key] = value
        else:
            data[key] = value
    return data


@pytest.fixture
def at_intake_day():
    with time_machine.travel(dt.datetime(2025, 4, 14, 11, 0, tzinfo=ALMATY_TZ), tick=False) as traveller:
        yield traveller


@pytest.fixture
def registered(api, clerk, at_intake_day):  # noqa: F811
    """A complete package registered at the desk on Monday 14.04.2025."""

    def make(**changes) -> Application:
        response = api.as_user(clerk).post("/api/v1/applications/", package(**changes), format="json")
        assert response.status_code == 201, response.json()
        return Application.objects.get(pk=response.json()["id"])

    return make


def advance(application: Application, user, *names_and_bodies) -> Application:
    for item in names_and_bodies:
        name, body = item if isinstance(item, tuple) else (item, {})
        if name == "sign" and not body:
            from tests import eds

            body = eds.sign_in_python(application, user)
        application = services.transition(application, name, user, body)
    return application
