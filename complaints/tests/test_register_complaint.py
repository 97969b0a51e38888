"""Registration: incoming number, registration date, the term in force, para 13 fields."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from complaints import parameters as terms
from complaints.models import Complaint
from complaints.tests.conftest import complaint_payload
from housing_aid import parameters, workdays
from housing_aid.models import CaseStage, Person

pytestmark = pytest.mark.django_db


def test_officer_registers_complaint_with_five_working_day_term(api, complaints_officer):
    # given a complaint received on Tuesday 4 March 2025 during working hours
    # when the complaints officer registers it
    response = api.as_user(complaints_officer).post("/api/v1/complaints/", complaint_payload(), format="json")

    # then it is registered that day and due 5 working days later (8 March is a holiday, 10 March moved)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "registered"
    assert body["number"] == "CM-710000000-2025-00001"
    assert body["registered_on"] == "2025-03-04"
    assert body["due_date"] == "2025-03-12"
    assert {"id", "number", "status", "registered_on", "due_date"} <= set(body)
    assert [d["kind"] for d in body["documents"]] == ["complaint_registration"]
    stage = CaseStage.objects.get(
        object_id=body["id"], content_type=ContentType.objects.get_for_model(Complaint)
    )
    assert (stage.stage, stage.due_date, stage.closed_at) == ("answer", dt.date(2025, 3, 12), None)
    assert Person.objects.get(iin="850315410002").last_name == "Сейітқали"


def test_quality_control_body_answers_in_fifteen_working_days(api, quality_officer):
    response = api.as_user(quality_officer).post(
        "/api/v1/complaints/",
        complaint_payload(addressee="quality_control_body", channel="mail"),
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["due_date"] == workdays.add_working_days(dt.date(2025, 3, 4), 15).isoformat()


def test_after_hours_complaint_is_registered_next_working_day(register):
    body = register(received_at="2025-03-07T19:00:00+05:00")  # Friday evening; 8-10 March off

    assert body["registered_on"] == "2025-03-11"
    assert body["due_date"] == workdays.add_working_days(dt.date(2025, 3, 11), 5).isoformat()


@pytest.mark.parametrize("address", [None, "", "   "])
def test_missing_postal_address_is_400_and_saves_nothing(api, complaints_officer, address):
    payload = complaint_payload()
    if address is None:
        del payload["complainant"]["postal_address"]
    else:
        payload["complainant"]["postal_address"] = address

    response = api.as_user(complaints_officer, "ru").post("/api/v1/complaints/", payload, format="json")

    assert response.status_code == 400
    assert response.json()["complainant"]["postal_address"] == ["Почтовый адрес обязателен (п. 13)."]
    assert not Complaint.objects.exists()


def test_missing_surname_and_text_name_each_field(api, complaints_officer):
    payload = complaint_payload(complainant={"last_name": ""}, text="")

    response = api.as_user(complaints_officer, "en").post("/api/v1/complaints/", payload, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"complainant", "text"}
    assert set(response.json()["complainant"]) == {"last_name"}


def test_invalid_iin_is_400(api, complaints_officer):
    response = api.as_user(complaints_officer).post(
        "/api/v1/complaints/", complaint_payload(complainant={"iin": "850315410003"}), format="json"
    )

    assert response.status_code == 400
    assert "iin" in response.json()["complainant"]


def test_received_in_the_future_is_400(api, complaints_officer):
    response = api.as_user(complaints_officer).post(
        "/api/v1/complaints/", complaint_payload(received_at="2099-01-05T10:00:00+05:00"), format="json"
    )

    assert response.status_code == 400
    assert "received_at" in response.json()


def test_portal_submits_on_portal_channel_only(api, portal):
    wrong = api.as_user(portal).post("/api/v1/complaints/", complaint_payload(channel="mail"), format="json")
    right = api.as_user(portal).post(
        "/api/v1/complaints/", complaint_payload(channel="portal"), format="json"
    )

    assert wrong.status_code == 400 and "channel" in wrong.json()
    assert right.status_code == 201


def test_blog_channel_belongs_to_the_authorized_body(api, complaints_officer):
    wrong = api.as_user(complaints_officer).post(
        "/api/v1/complaints/", complaint_payload(channel="blog"), format="json"
    )
    right = api.as_user(complaints_officer).post(
        "/api/v1/complaints/", complaint_payload(channel="blog", addressee="authorized_body"), format="json"
    )

    assert wrong.status_code == 400
    assert right.status_code == 201


def test_case_officer_may_not_register(api, officer):
    response = api.as_user(officer).post("/api/v1/complaints/", complaint_payload(), format="json")

    assert response.status_code == 403


def test_complaints_officer_registers_only_for_own_provider(api, complaints_officer, other_provider):
    response = api.as_user(complaints_officer).post(
        "/api/v1/complaints/", complaint_payload(provider=other_provider.code), format="json"
    )

    assert response.status_code == 403
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("who", ["other_officer", "portal", "nobody"])
def test_a_respondent_outside_the_provider_answers_as_an_unknown_login(
    api, complaints_officer, officer, other_officer, portal, who
):
    # Another provider's officer (or the portal account) was accepted as the official
    # complained about (201), while an unknown login answered 400: the API told the caller who
    # works elsewhere, and filed the complaint against them.
    login = {"other_officer": other_officer.username, "portal": portal.username}.get(who, "nobody")
    client = api.as_user(complaints_officer)

    refused = client.post("/api/v1/complaints/", complaint_payload(respondent=login), format="json")
    accepted = client.post(
        "/api/v1/complaints/", complaint_payload(respondent=officer.username), format="json"
    )

    assert refused.status_code == 400
    assert refused.json() == {"respondent": [f"Объект с username={login} не существует."]}
    assert accepted.status_code == 201, accepted.json()
    assert list(Complaint.objects.values_list("respondent__username", flat=True)) == [officer.username]


def test_complaints_officer_may_not_register_for_quality_control_body(api, complaints_officer):
    response = api.as_user(complaints_officer).post(
        "/api/v1/complaints/", complaint_payload(addressee="quality_control_body"), format="json"
    )

    assert response.status_code == 403


def test_idempotency_key_returns_first_response_and_creates_nothing_new(api, complaints_officer):
    client = api.as_user(complaints_officer)

    first = client.post("/api/v1/complaints/", complaint_payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/complaints/", complaint_payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Complaint.objects.count() == 1


def test_case_number_links_any_registered_case_and_names_its_assignee(
    api, register, complaints_officer, officer
):
    # given an earlier case of the provider, handled by an officer (any registered service will do)
    earlier = register()
    Complaint.objects.filter(pk=earlier["id"]).update(assignee=officer)

    # when a complaint names its number
    body = register(case_number=earlier["number"])

    # then the complaint links it generically and records whom it is about
    assert body["case"] == {
        "service": "complaint",
        "type": "complaints.complaint",
        "id": earlier["id"],
        "number": earlier["number"],
        "status": "registered",
    }
    assert body["respondent"] == "officer"


@pytest.mark.parametrize("number", ["HA-710000000-2025-00999", "XX-1", "CM-750000000-2025-00001"])
def test_unknown_case_number_is_400(api, complaints_officer, number):
    response = api.as_user(complaints_officer).post(
        "/api/v1/complaints/", complaint_payload(case_number=number), format="json"
    )

    assert response.status_code == 400
    assert "case_number" in response.json()


def test_answer_term_is_the_value_in_force_on_registration(register, provider):
    # given a (hypothetical) decree shortening the term from 1 April 2025
    parameters.set_value(terms.ANSWER_DAYS, dt.date(2025, 4, 1), 3, legal_basis="test decree")

    before = register(received_at="2025-03-31T10:00:00+05:00")
    after = register(received_at="2025-04-01T10:00:00+05:00")

    assert before["answer_term_days"] == 5
    assert after["answer_term_days"] == 3
    assert after["due_date"] == "2025-04-04"


def test_a_create_answer_without_warnings_says_so_with_an_empty_list(api, complaints_officer):
    # Left out when empty (applications always sent it): API.md's shape, the same for every service.
    response = api.as_user(complaints_officer).post("/api/v1/complaints/", complaint_payload(), format="json")

    assert response.status_code == 201
    assert response.json()["warnings"] == []
