"""Every way to change an application goes through the kernel's runner: one event row of a
declared type for each action done, none for an action refused; documents are jobs."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from applications.actions import ACTIONS, EVENT_TYPES
from applications.models import Application
from housing_aid.actions import actions_for
from housing_aid.models import CaseEvent, IssuedDocument

from .conftest import ALMATY_TZ

ASSIGNMENT = {"quarter_income": "300000", "payments": {"maintenance": "5000", "utilities": "9000"}}


@pytest.fixture
def browser_of():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def _events(application) -> list[str]:
    return list(
        CaseEvent.objects.filter(object_id=application.pk, service="housing_assistance").values_list(
            "transition", flat=True
        )
    )


def _post(client, application, name, body=None):
    before = _events(application)
    response = client.post(
        f"/api/v1/applications/{application.pk}/transitions/{name}/", body or {}, format="json"
    )
    return response, _events(application)[len(before) :]


def test_every_declared_transition_writes_one_event_of_its_type_and_a_refusal_none(
    api, registered, officer, head, clerk
):
    application = registered()
    as_officer, as_head = officer, head
    walk = [
        (as_head, "start_review", {}, 403),
        (as_officer, "sign", {}, 403),
        (as_officer, "start_verification", {}, 409),
        (as_officer, "start_review", {"executor": "nobody"}, 400),
        (as_officer, "start_review", {}, 200),
        (as_officer, "start_verification", {}, 200),
        (as_officer, "draft_assignment", {"quarter_income": "много"}, 400),
        (as_officer, "draft_assignment", ASSIGNMENT, 200),
        (as_head, "send_back", {}, 400),
        (as_head, "send_back", {"reason": "Проверьте доход."}, 200),
        (as_officer, "draft_refusal", {"ground": "inaccurate_documents", "reason": "Недостоверно."}, 200),
        (as_head, "sign", {}, 400),  # no EDS signature: nothing signed
        (as_head, "sign", "signed", 200),
        (as_head, "send_back", {"reason": "Поздно."}, 409),
    ]
    done = set()
    with time_machine.travel(dt.datetime(2025, 4, 15, 10, tzinfo=ALMATY_TZ), tick=False):
        for user, name, body, expected in walk:
            if body == "signed":
                from tests import eds

                application.refresh_from_db()
                body = eds.sign_in_python(application, user)
            response, new_events = _post(api.as_user(user), application, name, body)
            assert response.status_code == expected, (name, response.content)
            if expected == 200:
                assert new_events == [name] and name in EVENT_TYPES
                done.add(name)
            else:
                assert new_events == []
    transitions = {a.name for a in ACTIONS if a.transition is not None}
    assert transitions - done == {"draft_return"}  # the other branch of review, walked below


def test_draft_return_and_the_attachment_screen_go_through_the_runner(browser_of, registered, officer):
    application = registered()
    client = browser_of(officer)
    client.post(f"/applications/{application.pk}/transitions/start_review/", {"executor": "officer"})

    response = client.post(
        f"/applications/{application.pk}/transitions/draft_return/",
        {"reason": "Нет справки.", "missing_documents": ["employment_status"]},
    )
    refused = client.post(f"/applications/{application.pk}/transitions/draft_return/", {"reason": ""})

    assert response.status_code == 302 and refused.status_code == 302  # 409: the state moved on
    assert _events(application) == ["register", "start_review", "draft_return"]


def test_the_case_page_offers_each_action_with_the_reason_when_not_allowed(registered, officer, clerk):
    application = registered()

    as_officer = {a.name: a for a in actions_for(ACTIONS, application, officer)}
    as_clerk = {a.name: a for a in actions_for(ACTIONS, application, clerk)}

    assert as_officer["start_review"].allowed
    assert not as_clerk["start_review"].allowed
    assert "case officer" in as_clerk["start_review"].reason or as_clerk["start_review"].reason


def test_first_get_of_a_case_page_renders_no_pdf(browser_of, registered, officer, monkeypatch):
    # given a case whose document job has not run yet (issued documents cannot be deleted)
    from housing_aid import tasks

    monkeypatch.setattr(tasks.issue_case_documents, "delay", lambda *args, **kwargs: None)
    application = registered()

    response = browser_of(officer).get(f"/applications/{application.pk}/")

    assert response.status_code == 200
    assert IssuedDocument.objects.filter(case_number=application.number).count() == 0
    assert 'class="pending"' in response.content.decode()
    assert Application.objects.get(pk=application.pk).status == "registered"
