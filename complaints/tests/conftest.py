from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

ALMATY_TZ = ZoneInfo("Asia/Almaty")


def at(year, month, day, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ALMATY_TZ)


def complaint_payload(**overrides) -> dict:
    payload = {
        "provider": "710000000",
        "addressee": "service_provider",
        "channel": "office",
        "received_at": "2025-03-04T10:00:00+05:00",
        "complainant": {
            "last_name": "Сейітқали",
            "first_name": "Әсел",
            "patronymic": "Болатқызы",
            "postal_address": "010000, г. Астана, ул. Сарайшық, 5, кв. 12",
            "iin": "850315410002",
        },
        "text": "Заявление о жилищной помощи не рассмотрено в срок.",
    }
    complainant = overrides.pop("complainant", None)
    if complainant is not None:
        payload["complainant"] = {**payload["complainant"], **complainant}
    payload.update(overrides)
    return payload


@pytest.fixture
def register(api, complaints_officer):
    """Register a complaint through the API and return its JSON body."""

    def _register(user=None, **overrides):
        response = api.as_user(user or complaints_officer).post(
            "/api/v1/complaints/", complaint_payload(**overrides), format="json"
        )
        assert response.status_code == 201, response.json()
        return response.json()

    return _register


@pytest.fixture
def transition(api):
    def _transition(user, complaint_id, name, body=None):
        return api.as_user(user).post(
            f"/api/v1/complaints/{complaint_id}/transitions/{name}/", body or {}, format="json"
        )

    return _transition
