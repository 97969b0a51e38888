"""The way of an application through para 9, by API.md's transition table."""

from __future__ import annotations

import datetime as dt

import time_machine

from applications.models import Application
from housing_aid.models import CaseEvent, CaseStage
from tests import eds

from .conftest import ALMATY_TZ


def url(application, name):
    return f"/api/v1/applications/{application.pk}/transitions/{name}/"


def stages(application):
    return list(
        CaseStage.objects.filter(object_id=application.pk, service="housing_assistance")
        .order_by("id")
        .values_list("stage", "due_date", "closed_at")
    )


def test_officer_and_head_take_an_application_to_a_signed_assignment(api, registered, officer, head):
    application = registered()
    as_officer = api.as_user(officer)

    body = as_officer.post(url(application, "start_review"), {}, format="json").json()
    assert (body["status"], body["assignee"], body["stage_due_date"]) == (
        "under_review",
        "officer",
        "2025-04-16",
    )
    assert body["available_transitions"] == ["draft_return", "start_verification"]

    with time_machine.travel(dt.datetime(2025, 4, 15, 10, tzinfo=ALMATY_TZ), tick=False):
        body = as_officer.post(url(application, "start_verification"), format="json").json()
    assert (body["status"], body["stage_due_date"]) == ("under_verification", "2025-04-22")  # 15.04 + 5 wd

    with time_machine.travel(dt.datetime(2025, 4, 21, 10, tzinfo=ALMATY_TZ), tick=False):
        body = as_officer.post(
            url(application, "draft_assignment"),
            {
                "quarter_income": "300000",
                "payments": {"maintenance": "5000", "utilities": "9000", "telecom": "1000", "rent": "0"},
            },
            format="json",
        ).json()
    assert (body["status"], body["stage_due_date"]) == ("decision_drafted", "2025-04-22")
    assert body["calculation"] == {
        "monthly_income": "100000.00",
        "share_percent": "10.00",
        "covered_payments": "15000.00",
        "monthly_amount": "5000.00",
        "period_from": "2025-04-01",
        "period_to": "2025-06-30",
        "quarter_income": "300000.00",
        "income_from": "2025-01-01",
        "income_to": "2025-03-31",
        "breakdown": body["calculation"]["breakdown"],
    }

    with time_machine.travel(dt.datetime(2025, 4, 22, 10, tzinfo=ALMATY_TZ), tick=False):
        response = api.as_user(head).post(
            url(application, "sign"), eds.sign_body(api.as_user(head), application, head), format="json"
        )
    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["stage_due_date"], body["available_transitions"]) == ("assigned", None, [])
    assert [h["transition"] for h in body["history"]] == [
        "register",
        "start_review",
        "start_verification",
        "draft_assignment",
        "sign",
    ]
    assert body["history"][-1]["by"] == "head"
    assert {d["kind"] for d in body["documents"]} == {
        "application_form",
        "acceptance_receipt",
        "assignment_notice",
    }
    assert [s[0] for s in stages(application)] == ["review", "verification", "decision"]
    assert all(closed is not None for _s, _d, closed in stages(application))


def test_executor_can_be_named_and_must_be_an_officer_of_the_provider(
    api, registered, officer, officer2, other_officer
):
    application = registered()

    wrong = api.as_user(officer).post(
        url(application, "start_review"), {"executor": "officer_almaty"}, format="json"
    )
    right = api.as_user(officer).post(
        url(application, "start_review"), {"executor": "officer2"}, format="json"
    )

    assert wrong.status_code == 400 and "executor" in wrong.json()
    assert right.json()["assignee"] == "officer2"
    assert CaseStage.objects.get(object_id=application.pk, closed_at__isnull=True).assignee == officer2


def test_draft_return_then_sign_closes_as_returned_incomplete(api, registered, officer, head):
    application = registered()
    api.as_user(officer).post(url(application, "start_review"), format="json")

    invalid = api.as_user(officer).post(
        url(application, "draft_return"), {"missing_documents": []}, format="json"
    )
    drafted = api.as_user(officer).post(
        url(application, "draft_return"),
        {
            "reason": "Квитанция за коммунальные услуги за прошлый год.",
            "missing_documents": ["utility_bills"],
        },
        format="json",
    )
    signed = api.as_user(head).post(
        url(application, "sign"), eds.sign_body(api.as_user(head), application, head), format="json"
    )

    assert invalid.status_code == 400 and set(invalid.json()) == {"reason", "missing_documents"}
    assert drafted.json()["status"] == "return_drafted"
    assert drafted.json()["stage_due_date"] == "2025-04-16"  # the review term holds for the refusal
    assert signed.json()["status"] == "returned_incomplete"
    assert "return_notice" in {d["kind"] for d in signed.json()["documents"]}


def test_head_sends_back_a_drafted_refusal_and_the_legal_term_does_not_move(api, registered, officer, head):
    application = registered()
    as_officer = api.as_user(officer)
    as_officer.post(url(application, "start_review"), format="json")
    as_officer.post(url(application, "start_verification"), format="json")
    as_officer.post(
        url(application, "draft_refusal"), {"ground": "court_ban", "reason": "Решение суда."}, format="json"
    )

    no_reason = api.as_user(head).post(url(application, "send_back"), {}, format="json")
    back = api.as_user(head).post(
        url(application, "send_back"), {"reason": "Уточните реквизиты решения."}, format="json"
    )

    assert no_reason.status_code == 400
    assert back.json()["status"] == "under_verification"
    assert back.json()["stage_due_date"] == "2025-04-21"  # 14.04 + 5 wd, kept
    assert back.json()["history"][-1]["reason"] == "Уточните реквизиты решения."


def test_signed_refusal_carries_its_ground(api, registered, officer, head):
    application = registered()
    as_officer = api.as_user(officer)
    for name in ("start_review", "start_verification"):
        as_officer.post(url(application, name), format="json")
    bad = as_officer.post(
        url(application, "draft_refusal"), {"ground": "bad_luck", "reason": "x"}, format="json"
    )
    as_officer.post(
        url(application, "draft_refusal"),
        {"ground": "inaccurate_documents", "reason": "Справка о доходах не соответствует данным ГБД."},
        format="json",
    )

    body = (
        api.as_user(head)
        .post(url(application, "sign"), eds.sign_body(api.as_user(head), application, head), format="json")
        .json()
    )

    assert bad.status_code == 400 and "ground" in bad.json()
    assert body["status"] == "refused"
    assert body["refusal"]["ground"] == "inaccurate_documents"
    assert "refusal_notice" in {d["kind"] for d in body["documents"]}


def test_wrong_state_answers_409_with_the_allowed_transitions(api, registered, officer):
    application = registered()

    response = api.as_user(officer).post(url(application, "start_verification"), format="json")

    assert response.status_code == 409
    assert response.json()["status"] == "registered"
    assert response.json()["allowed_transitions"] == ["start_review"]
    assert response.json()["code"] == "invalid_transition"


def test_only_the_head_signs_and_only_officers_draft(api, registered, officer, head, clerk, auditor):
    application = registered()

    assert api.as_user(head).post(url(application, "start_review"), format="json").status_code == 403
    assert api.as_user(clerk).post(url(application, "start_review"), format="json").status_code == 403
    assert api.as_user(auditor).post(url(application, "start_review"), format="json").status_code == 403
    assert api.as_user(officer).post(url(application, "sign"), format="json").status_code == 403
    assert Application.objects.get(pk=application.pk).status == "registered"


def test_another_providers_case_answers_404(api, registered, other_officer, other_head):
    application = registered()

    assert api.as_user(other_officer).get(f"/api/v1/applications/{application.pk}/").status_code == 404
    assert api.as_user(other_officer).post(url(application, "start_review"), format="json").status_code == 404
    assert api.as_user(other_head).post(url(application, "sign"), format="json").status_code == 404
    assert api.as_user(other_officer).get("/api/v1/applications/").json()["results"] == []


def test_portal_sees_only_what_it_created(api, registered, portal):
    application = registered()

    assert api.as_user(portal).get(f"/api/v1/applications/{application.pk}/").status_code == 404


def test_a_rejected_at_intake_case_allows_nothing(api, clerk, officer, at_intake_day):
    from .conftest import package

    body = (
        api.as_user(clerk)
        .post("/api/v1/applications/", package(documents=["identity"]), format="json")
        .json()
    )

    response = api.as_user(officer).post(
        f"/api/v1/applications/{body['id']}/transitions/start_review/", format="json"
    )

    assert response.status_code == 409
    assert response.json()["allowed_transitions"] == []


def test_every_transition_writes_one_event(api, registered, officer):
    application = registered()

    api.as_user(officer).post(url(application, "start_review"), format="json")
    api.as_user(officer).post(url(application, "start_review"), format="json")  # 409, no event

    assert list(
        CaseEvent.objects.filter(object_id=application.pk, service="housing_assistance").values_list(
            "transition", flat=True
        )
    ) == ["register", "start_review"]


def test_unknown_transition_answers_404_as_for_certificates_and_complaints(api, registered, officer):
    # It answered 409 "unknown_transition" here and 404 on the other two services' same URL.
    application = registered()

    response = api.as_user(officer).post(url(application, "approve"), format="json")

    assert response.status_code == 404
    assert response.json() == {"detail": "Страница не найдена."}
