"""Escalation after an answer to the quality-control body (15 wd), then only the court."""

from __future__ import annotations

import datetime as dt

import pytest

from housing_aid import workdays

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(register, transition, complaints_officer):
    def _answered(**overrides):
        complaint = register(**overrides)
        transition(complaints_officer, complaint["id"], "start_review")
        response = transition(
            complaints_officer, complaint["id"], "answer", {"response": "В удовлетворении отказано."}
        )
        assert response.status_code == 200, response.json()
        return response.json()

    return _answered


def test_escalation_creates_a_linked_complaint_to_the_quality_control_body(
    api, answered, complaints_officer, quality_officer
):
    parent = answered()

    response = api.as_user(complaints_officer).post(
        f"/api/v1/complaints/{parent['id']}/escalate/", {"text": "Не согласна с ответом."}, format="json"
    )

    assert response.status_code == 201, response.json()
    child = response.json()
    assert child["parent"] == parent["id"]
    assert child["status"] == "registered"
    assert child["addressee"] == "quality_control_body"
    assert child["number"] != parent["number"]
    assert (
        child["due_date"]
        == workdays.add_working_days(dt.date.fromisoformat(child["registered_on"]), 15).isoformat()
    )
    assert child["complainant"] == parent["complainant"]
    assert child["respondent"] == "complaints"  # the author of the disputed answer
    # the quality officer sees it and the original; the original records the escalation
    seen = api.as_user(quality_officer).get(f"/api/v1/complaints/{parent['id']}/").json()
    assert seen["escalations"] == [{"id": child["id"], "number": child["number"], "status": "registered"}]
    assert seen["history"][-1]["transition"] == "escalate"


def test_escalation_before_an_answer_is_409(api, register, complaints_officer):
    complaint = register()

    response = api.as_user(complaints_officer).post(
        f"/api/v1/complaints/{complaint['id']}/escalate/", {}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "not_answered"
    assert response.json()["status"] == "registered"


def test_second_escalation_is_409(api, answered, complaints_officer):
    parent = answered()
    client = api.as_user(complaints_officer)

    first = client.post(f"/api/v1/complaints/{parent['id']}/escalate/", {}, format="json")
    second = client.post(f"/api/v1/complaints/{parent['id']}/escalate/", {}, format="json")

    assert first.status_code == 201
    assert second.status_code == 409 and second.json()["code"] == "already_escalated"


def test_after_the_quality_control_body_only_the_court_remains(
    api, answered, complaints_officer, quality_officer, transition
):
    parent = answered()
    child = (
        api.as_user(complaints_officer)
        .post(f"/api/v1/complaints/{parent['id']}/escalate/", {}, format="json")
        .json()
    )
    transition(quality_officer, child["id"], "start_review")
    transition(quality_officer, child["id"], "answer", {"response": "Ответ поставщика услуг обоснован."})

    again = api.as_user(complaints_officer).post(
        f"/api/v1/complaints/{child['id']}/escalate/", {}, format="json"
    )
    today = workdays.today().isoformat()  # not before the escalation was received (today)
    court = api.as_user(complaints_officer).post(
        f"/api/v1/complaints/{child['id']}/court-appeal/",
        {"filed_on": today, "note": "Районный суд № 2 г. Астаны"},
        format="json",
    )

    assert again.status_code == 409 and again.json()["code"] == "court_next"
    assert court.status_code == 200, court.json()
    assert court.json()["court_appeal_on"] == today
    assert court.json()["history"][-1]["transition"] == "record_court_appeal"


def test_portal_escalates_what_it_submitted(api, portal, answered):
    parent = answered(user=portal, channel="portal")

    response = api.as_user(portal).post(f"/api/v1/complaints/{parent['id']}/escalate/", {}, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["channel"] == "portal"


def test_quality_officer_and_case_officer_may_not_escalate(api, answered, quality_officer, officer, head):
    parent = answered()
    url = f"/api/v1/complaints/{parent['id']}/escalate/"

    # Neither sees the provider's complaint: 404, as if it did not exist (issue 10, scope
    # before role); the head sees it but may not escalate: 403.
    assert api.as_user(quality_officer).post(url, {}).status_code == 404
    assert api.as_user(officer).post(url, {}).status_code == 404
    assert api.as_user(head).post(url, {}).status_code == 403
