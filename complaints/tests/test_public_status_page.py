"""API.md "Status for the applicant": the history names every step of para 13, missing
parameters answer 400, and the same lookup is a public page at /status/ in ru, kk and en."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from complaints import services
from complaints.models import Complaint

pytestmark = pytest.mark.django_db

IIN = "850315410002"


@pytest.fixture
def answered_delivered_escalated(api, register, transition, complaints_officer):
    complaint = register()
    transition(complaints_officer, complaint["id"], "start_review")
    response = transition(complaints_officer, complaint["id"], "answer", {"response": "Ответ по существу."})
    assert response.status_code == 200, response.json()
    case = Complaint.objects.get(pk=complaint["id"])
    services.act(
        case, "record_delivery", complaints_officer, {"delivered_on": timezone.localdate(), "note": "Почтой"}
    )
    child = services.act(case, "escalate", complaints_officer).result
    return case, child


def test_history_names_delivery_of_the_answer_and_the_escalation(api, answered_delivered_escalated):
    # given an answered complaint whose response was sent and which was then passed on
    case, _child = answered_delivered_escalated
    api.credentials()

    # when the complainant looks it up
    body = api.get("/api/v1/status/", {"number": case.number, "iin": IIN}).json()

    # then every step of para 13 is there, in order, each with exactly status and at
    assert [h["status"] for h in body["history"]] == [
        "delivered",
        "registered",
        "under_review",
        "answered",
        "response_sent",
        "escalated",
    ]
    assert all(set(h) == {"status", "at"} for h in body["history"])
    assert all(dt.datetime.fromisoformat(h["at"]).tzinfo is not None for h in body["history"])


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, {"number", "iin"}),
        ({"number": "CM-1"}, {"iin"}),
        ({"iin": IIN}, {"number"}),
        ({"number": " ", "iin": ""}, {"number", "iin"}),
    ],
)
def test_missing_parameters_answer_400_naming_them(api, params, fields):
    # given no credentials
    api.credentials()

    # when a parameter is missing or blank
    response = api.get("/api/v1/status/", params, HTTP_ACCEPT_LANGUAGE="en")

    # then 400 names exactly the missing ones, in the caller's language
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert all(m[0].startswith("Enter the") for m in response.json().values())


def _page(language: str, **data):
    client = Client()
    client.cookies["django_language"] = language
    return client.post("/status/", data, HTTP_ACCEPT_LANGUAGE=language) if data else client.get("/status/")


def test_status_page_in_kazakh_shows_status_and_every_step(answered_delivered_escalated):
    # given the answered, delivered and escalated complaint
    case, _child = answered_delivered_escalated

    # when the complainant, not logged in, looks it up on the page in Kazakh
    response = _page("kk", number=case.number, iin=IIN)

    # then the page answers with the status and the steps in Kazakh
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="kk"' in html
    assert "Шағым" in html  # the service: complaint
    for status in ("delivered", "registered", "under_review", "answered", "response_sent", "escalated"):
        assert f'data-status="{status}"' in html
    assert "Орындалуда" in html  # in execution
    assert case.number in html


def test_status_page_wrong_iin_and_missing_fields(answered_delivered_escalated):
    case, _child = answered_delivered_escalated

    # when the IIN is wrong, or the fields are empty
    wrong = _page("en", number=case.number, iin="061211600012")
    empty = _page("ru", number="", iin="")

    # then the wrong one is not found without telling which part was wrong,
    # and the empty one names both fields in the user's language (no browser bubbles: novalidate)
    assert wrong.status_code == 404
    assert "No case with this number and IIN was found" in wrong.content.decode()
    assert "Ответ" not in wrong.content.decode()
    assert empty.status_code == 400
    html = empty.content.decode()
    assert "novalidate" in html
    assert "Введите номер дела" in html and "Введите ИИН" in html


def test_status_page_is_throttled_like_the_api(answered_delivered_escalated, settings):
    case, _child = answered_delivered_escalated
    client = Client(REMOTE_ADDR="203.0.113.50")

    answers = [client.post("/status/", {"number": case.number, "iin": IIN}).status_code for _ in range(61)]

    assert answers[:60] == [200] * 60
    assert answers[60] == 429
