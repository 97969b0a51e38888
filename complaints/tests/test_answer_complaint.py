"""Review, answer and refusal: state checks (409), roles (403), scope (404), the letter."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from complaints.models import Complaint
from housing_aid.models import CaseStage, IssuedDocument
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def test_officer_reviews_and_answers_with_a_response_letter(api, register, transition, complaints_officer):
    complaint = register()

    reviewed = transition(complaints_officer, complaint["id"], "start_review")
    answered = transition(
        complaints_officer,
        complaint["id"],
        "answer",
        {
            "response": "Заявление рассмотрено, помощь назначена.",
            "language": "kk",
            "delivery_method": "in_person",
        },
    )

    assert reviewed.status_code == 200 and reviewed.json()["status"] == "under_review"
    assert reviewed.json()["assignee"] == "complaints"
    body = answered.json()
    assert answered.status_code == 200, body
    assert body["status"] == "answered"
    assert (body["response_language"], body["delivery_method"]) == ("kk", "in_person")
    assert [h["transition"] for h in body["history"]] == ["register", "start_review", "answer"]
    assert [d["kind"] for d in body["documents"]] == ["complaint_registration", "complaint_response"]
    letter = IssuedDocument.objects.get(number=body["documents"][1]["number"])
    assert letter.language == "kk"
    stage = CaseStage.objects.get(
        object_id=complaint["id"], content_type=ContentType.objects.get_for_model(Complaint)
    )
    assert stage.closed_at is not None
    assert body["stage_due_date"] is None


def test_answer_before_review_is_409_with_allowed_transitions(api, register, transition, complaints_officer):
    complaint = register()

    response = transition(complaints_officer, complaint["id"], "answer", {"response": "Ответ"})

    assert response.status_code == 409
    assert response.json()["status"] == "registered"
    assert set(response.json()["allowed_transitions"]) == {"start_review", "refuse_to_consider"}


def test_answer_without_response_is_400_and_changes_nothing(api, register, transition, complaints_officer):
    complaint = register()
    transition(complaints_officer, complaint["id"], "start_review")

    response = transition(complaints_officer, complaint["id"], "answer", {"response": ""})

    assert response.status_code == 400
    assert "response" in response.json()
    assert Complaint.objects.get(pk=complaint["id"]).status == "under_review"


def test_refuse_to_consider_from_registered_issues_a_refusal_letter(
    api, register, transition, complaints_officer
):
    complaint = register()

    response = transition(
        complaints_officer, complaint["id"], "refuse_to_consider", {"reason": "Повторная жалоба."}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "refused_to_consider"
    assert response.json()["history"][-1]["reason"] == "Повторная жалоба."
    assert "complaint_refusal" in [d["kind"] for d in response.json()["documents"]]


def test_refuse_needs_a_reason(api, register, transition, complaints_officer):
    complaint = register()

    response = transition(complaints_officer, complaint["id"], "refuse_to_consider", {})

    assert response.status_code == 400
    assert "reason" in response.json()


def test_case_officer_and_portal_may_not_answer(api, register, transition, officer, portal):
    complaint = register()

    assert (
        transition(officer, complaint["id"], "start_review").status_code == 404
    )  # not in a case officer's view
    assert (
        transition(portal, complaint["id"], "start_review").status_code == 404
    )  # the portal did not submit it


def test_portal_may_not_review_its_own_complaint(api, register, transition, portal):
    complaint = register(user=portal, channel="portal")

    assert transition(portal, complaint["id"], "start_review").status_code == 403


def test_other_providers_officer_gets_404(api, register, transition, other_provider):
    complaint = register()
    stranger = staff_user("complaints_almaty", "complaints_officer", other_provider)

    assert transition(stranger, complaint["id"], "start_review").status_code == 404
    assert api.as_user(stranger).get(f"/api/v1/complaints/{complaint['id']}/").status_code == 404


def test_an_executor_at_another_provider_answers_as_an_unknown_login(
    register, transition, complaints_officer, other_provider
):
    # "This person may not answer the complaint." for a login elsewhere, "does not exist" for an
    # unknown one: the answer told who works at another provider.
    complaint = register()
    stranger = staff_user("complaints_almaty", "complaints_officer", other_provider)

    answers = [
        transition(complaints_officer, complaint["id"], "start_review", {"executor": login})
        for login in (stranger.username, "nobody")
    ]

    assert [a.status_code for a in answers] == [400, 400]
    assert [a.json()["executor"] for a in answers] == [
        ["Объект с username=complaints_almaty не существует."],
        ["Объект с username=nobody не существует."],
    ]
    assert Complaint.objects.get(pk=complaint["id"]).status == "registered"


def test_unknown_transition_is_404(api, register, transition, complaints_officer):
    complaint = register()

    assert transition(complaints_officer, complaint["id"], "escalate").status_code == 404


def test_official_complained_about_may_not_answer(api, register, transition, provider):
    # given two complaints officers, and a complaint about the first one's handling
    first = staff_user("complaints_a", "complaints_officer", provider)
    second = staff_user("complaints_b", "complaints_officer", provider)
    complaint = register(user=second, respondent="complaints_a")

    # when the officer complained about tries to take it up, then it is refused; a colleague may
    assert transition(first, complaint["id"], "start_review").status_code == 403
    assert transition(second, complaint["id"], "start_review").status_code == 200
    assert (
        "start_review"
        not in api.as_user(first)
        .get(f"/api/v1/complaints/{complaint['id']}/")
        .json()["available_transitions"]
    )


def test_quality_officer_answers_only_quality_control_complaints(api, register, transition, quality_officer):
    ordinary = register()
    to_quality = register(user=quality_officer, addressee="quality_control_body", channel="mail")

    assert transition(quality_officer, ordinary["id"], "start_review").status_code == 404
    assert transition(quality_officer, to_quality["id"], "start_review").status_code == 200


def test_delivery_of_the_response_is_recorded(api, register, transition, complaints_officer, time_machine):
    time_machine.move_to("2025-03-06T11:00:00+05:00")
    complaint = register()
    transition(complaints_officer, complaint["id"], "start_review")
    client = api.as_user(complaints_officer)

    early = client.post(
        f"/api/v1/complaints/{complaint['id']}/delivery/", {"delivered_on": "2025-03-06"}, format="json"
    )
    transition(
        complaints_officer, complaint["id"], "answer", {"response": "Ответ", "delivery_method": "mail"}
    )
    done = client.post(
        f"/api/v1/complaints/{complaint['id']}/delivery/",
        {"delivered_on": "2025-03-06", "note": "Заказное письмо № 123"},
        format="json",
    )

    assert early.status_code == 409
    assert done.status_code == 200, done.json()
    assert (done.json()["delivered_on"], done.json()["delivery_method"]) == ("2025-03-06", "mail")
    assert done.json()["history"][-1]["transition"] == "record_delivery"
