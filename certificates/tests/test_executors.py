"""Executors for certificate requests (API.md "Working the cases"): on registration or by the head."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from certificates.models import CertificateRequest
from certificates.tests.conftest import body
from housing_aid.models import CaseEvent, CaseStage


def _stage_assignee(case_id: int):
    ct = ContentType.objects.get_for_model(CertificateRequest)
    return CaseStage.objects.get(content_type=ct, object_id=case_id, closed_at__isnull=True).assignee


def test_the_registering_officer_executes_the_request(api, officer, program, create):
    case = create()

    assert case["assignee"] == "officer"
    assert _stage_assignee(case["id"]) == officer


def test_a_forwarded_request_goes_to_the_least_loaded_officer(
    api, officer, officer2, clerk, program, create, frozen
):
    create()  # officer has one open request
    response = api.as_user(clerk).post(
        "/api/v1/certificates/", body(channel="state_corporation", iin="061211600012"), format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["assignee"] == "officer2"
    assert _stage_assignee(response.json()["id"]) == officer2


def test_the_head_reassigns_and_it_is_in_the_history(
    api, officer, officer2, head, other_officer, program, create
):
    case = create()
    url = f"/api/v1/certificates/{case['id']}/assign/"

    # the request already has its executor: an officer cannot take it (the head reassigns)
    assert api.as_user(officer2).post(url, {"executor": "officer2"}, format="json").status_code == 409
    assert api.as_user(head).post(url, {"executor": "officer_almaty"}, format="json").status_code == 400
    response = api.as_user(head).post(url, {"executor": "officer2", "reason": "Отпуск"}, format="json")

    assert response.status_code == 200
    assert response.json()["executor"] == "officer2"
    assert _stage_assignee(case["id"]) == officer2
    event = CaseEvent.objects.get(transition="assign", object_id=case["id"])
    assert (event.reason, event.data["executor"], event.data["previous"]) == ("Отпуск", "officer2", "officer")


def test_the_worklist_shows_the_executor(client, officer, program, create):
    create()
    client.force_login(officer)

    page = client.get("/certificates/").content.decode()

    assert f'<td class="executor">{officer.get_full_name() or officer.username}</td>' in page
