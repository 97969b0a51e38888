"""The two calendar endpoints of API.md, with every DOMAIN.md scenario and their 400s."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("start", "days", "result"),
    [
        ("2025-03-20", 8, "2025-04-04"),
        ("2025-03-20", 2, "2025-03-27"),
        ("2024-05-03", 1, "2024-05-04"),
        ("2024-05-07", 1, "2024-05-10"),
        ("2024-12-31", 1, "2025-01-05"),
        ("2024-06-14", 1, "2024-06-17"),
        ("2025-08-29", 1, "2025-09-02"),
        ("2025-06-05", 1, "2025-06-09"),
        ("2026-11-20", 5, "2026-11-27"),
        ("2025-01-01", 0, "2025-01-01"),
    ],
)
def test_add_working_days(api, db, start, days, result):
    response = api.get("/api/v1/calendar/add-working-days/", {"start": start, "days": days})

    assert response.status_code == 200
    assert response.json() == {"start": start, "days": days, "result": result}


def test_working_days_lists_every_day_with_its_reason(api, db):
    response = api.get(
        "/api/v1/calendar/working-days/",
        {"from": "2024-05-03", "to": "2024-05-09"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    days = {d["date"]: d for d in response.json()}
    assert len(days) == 7
    assert days["2024-05-03"] == {"date": "2024-05-03", "working": True, "reason": None}
    assert days["2024-05-04"]["working"] is True and days["2024-05-04"]["reason"]
    assert days["2024-05-05"] == {"date": "2024-05-05", "working": False, "reason": "Sunday"}
    assert days["2024-05-07"] == {
        "date": "2024-05-07",
        "working": False,
        "reason": "Defender of the Fatherland Day",
    }
    assert days["2024-05-08"]["working"] is False
    assert days["2024-05-09"]["reason"] == "Victory Day"


def test_reasons_follow_accept_language(api, db):
    ru = api.get(
        "/api/v1/calendar/working-days/",
        {"from": "2025-03-21", "to": "2025-03-21"},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    kk = api.get(
        "/api/v1/calendar/working-days/",
        {"from": "2025-03-21", "to": "2025-03-21"},
        HTTP_ACCEPT_LANGUAGE="kk",
    )

    assert ru.json()[0]["reason"] == "Наурыз мейрамы"
    assert "Наурыз" in kk.json()[0]["reason"]


def test_a_full_year_is_allowed_but_not_more(api, db):
    ok = api.get("/api/v1/calendar/working-days/", {"from": "2024-01-01", "to": "2024-12-31"})
    too_long = api.get("/api/v1/calendar/working-days/", {"from": "2024-01-01", "to": "2025-01-01"})

    assert ok.status_code == 200 and len(ok.json()) == 366
    assert too_long.status_code == 400
    assert "to" in too_long.json()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2025-13-01", "to": "2025-12-31"}, "from"),
        ({"from": "2025-01-01"}, "to"),
        ({"from": "2025-02-01", "to": "2025-01-01"}, "to"),
        ({"from": "yesterday", "to": "2025-01-01"}, "from"),
    ],
)
def test_bad_dates_answer_400(api, db, params, field):
    response = api.get("/api/v1/calendar/working-days/", params)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2025-01-01", "days": "abc"}, "days"),
        ({"start": "2025-01-01", "days": "-1"}, "days"),
        ({"start": "2025-01-01", "days": "1.5"}, "days"),
        ({"start": "2025-01-01", "days": "99999"}, "days"),
        ({"start": "2025-02-30", "days": "1"}, "start"),
        ({"days": "1"}, "start"),
        ({"start": "2025-01-01"}, "days"),
    ],
)
def test_bad_numbers_answer_400(api, db, params, field):
    response = api.get("/api/v1/calendar/add-working-days/", params)

    assert response.status_code == 400
    assert field in response.json()


def test_errors_are_in_the_callers_language(api, db):
    response = api.get(
        "/api/v1/calendar/add-working-days/", {"start": "2025-01-01", "days": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.json() == {"days": ["Enter a whole number of days."]}
