# ruff: noqa: F811 - the fixtures of tests.test_casework_api are imported by name
"""Working the cases on the worklists: substitutes (worklist and reminders), sorts, chips,
the capped count, saved filters, the CSV export, bulk selection, the open_case_elsewhere
warning of every create API and the duplicate explanation as a declared action."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from rest_framework.exceptions import ValidationError

from applications.models import Application
from applications.tests.conftest import make_iin
from housing_aid.actions import run_action
from housing_aid.cases import CaseConflict, close_stages
from housing_aid.casework import actions as casework_actions
from housing_aid.casework.models import SavedFilter
from housing_aid.casework.worklists import count_capped
from housing_aid.models import CaseEvent
from housing_aid.sla import services as sla
from housing_aid.sla.models import Notification
from tests.test_casework_api import cases, frozen, staff  # noqa: F401 - fixtures
from tests.test_cross_scoping import ALMATY, ALMATY_CODE, ASTANA_CODE, _create, _program


def web(user, language: str = "ru") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def sweep_on(day: dt.date):
    moment = dt.datetime.combine(day, dt.time(10), tzinfo=ALMATY)
    with time_machine.travel(moment, tick=False):
        return sla.sweep(moment, send_emails=False)


def mine(api, user) -> list[str]:
    response = api.as_user(user).get("/api/v1/applications/", {"scope": "mine"})
    assert response.status_code == 200
    return [row["number"] for row in response.json()["results"]]


def test_a_substitute_sees_the_absent_officers_case_and_gets_its_reminder(
    api, cases, head, officer, officer2
):
    # given the officer's application (review due 2025-04-16) and an absence 14-18 April
    case = cases["applications"]["astana"]
    assert (
        api.as_user(head)
        .post(f"/api/v1/applications/{case['id']}/assign/", {"executor": officer.username}, format="json")
        .status_code
        == 200
    )
    absence = api.as_user(head).post(
        "/api/v1/substitutions/",
        {
            "absent": officer.username,
            "substitute": officer2.username,
            "from": "2025-04-14",
            "to": "2025-04-18",
        },
        format="json",
    )
    assert absence.status_code == 201, absence.json()

    # during the absence: the substitute's worklist shows the case, marked; the reminder is theirs
    assert case["number"] in mine(api, officer2)
    page = web(officer2).get("/applications/", {"scope": "mine"}).content.decode()
    assert case["number"] in page and "badge covering" in page
    sweep_on(dt.date(2025, 4, 15))
    during = Notification.objects.filter(case_number=case["number"], kind="reminder")
    assert {n.recipient_id for n in during} == {officer2.pk}

    # after it: the case is the officer's again, and so are its notices
    with time_machine.travel(dt.datetime(2025, 4, 21, 10, tzinfo=ALMATY), tick=False):
        assert case["number"] not in mine(api, officer2)
        assert case["number"] in mine(api, officer)
    sweep_on(dt.date(2025, 4, 21))
    after = Notification.objects.filter(case_number=case["number"], kind="overdue")
    assert {n.recipient_id for n in after} == {officer.pk}


@pytest.mark.parametrize("service", ["applications", "certificates", "complaints"])
def test_every_services_list_shows_the_absent_colleagues_cases_to_the_substitute(
    api, cases, staff, head, service
):
    case = cases[service]["astana"]
    executor, substitute = staff[service][1], staff[service][2]
    api.as_user(head).post(
        f"/api/v1/{service}/{case['id']}/assign/", {"executor": executor.username}, format="json"
    )
    absence = api.as_user(head).post(
        "/api/v1/substitutions/",
        {
            "absent": executor.username,
            "substitute": substitute.username,
            "from": "2025-04-14",
            "to": "2025-04-18",
        },
        format="json",
    )
    assert absence.status_code == 201, absence.json()

    listed = api.as_user(substitute).get(f"/api/v1/{service}/", {"scope": "mine"}).json()["results"]
    page = web(substitute).get(f"/{service}/", {"scope": "mine"}).content.decode()

    assert [row["number"] for row in listed] == [case["number"]]
    assert case["number"] in page and "badge covering" in page


def test_worklist_sorts_chips_and_capped_count(cases, head, django_assert_max_num_queries):
    client = web(head)
    with django_assert_max_num_queries(25):
        response = client.get("/applications/", {"status": "registered", "order": "newest"})
    body = response.content.decode()
    assert response.status_code == 200
    # the number column is sorted (newest first), the due column offers its sort
    assert 'aria-sort="descending"' in body and 'aria-sort="none"' in body
    # the status filter is a chip whose link removes it and keeps the rest
    assert 'href="?order=newest"' in body
    assert cases["applications"]["astana"]["number"] in body
    assert 'id="result-count">1 ' in body
    assert count_capped(Application.objects.all(), cap=1) == (1, True)
    assert count_capped(Application.objects.all(), cap=5) == (2, False)


@pytest.mark.parametrize("path", ["/certificates/", "/complaints/"])
def test_the_other_worklists_sort_newest_first_through_keyset_pages(cases, head, path):
    response = web(head).get(path, {"order": "newest"})
    assert response.status_code == 200
    assert 'aria-sort="descending"' in response.content.decode()


def test_newest_first_pages_by_key(api, staff, cases, head, frozen):
    from complaints import selectors

    _create(api, staff["complaints"][0], "complaints", ASTANA_CODE, 7)
    first = selectors.worklist(head, {"order": "newest"}, per_page=1)
    second = selectors.worklist(head, {"order": "newest", "after": first.next_after}, per_page=1)
    assert first.rows[0].pk > second.rows[0].pk


def test_saved_filters_are_per_user_and_keep_only_filters(cases, head, officer):
    client = web(head)
    response = client.post(
        "/work/applications/filters/",
        {"name": "Новые", "query": "status=registered&after=2025-04-16_3&evil=1&order=newest"},
    )
    assert response.status_code == 302
    saved = SavedFilter.objects.get(user=head)
    assert (saved.service, saved.query) == ("applications", "status=registered&order=newest")
    assert "Новые" in client.get("/applications/").content.decode()
    assert "Новые" not in web(officer).get("/applications/").content.decode()
    assert client.post("/work/applications/filters/", {"name": "", "query": ""}).status_code == 302
    assert SavedFilter.objects.count() == 1
    # another user's filter does not exist for them
    assert web(officer).post(f"/work/filters/{saved.pk}/delete/").status_code == 404
    assert client.post(f"/work/filters/{saved.pk}/delete/").status_code == 302
    assert not SavedFilter.objects.exists()


def test_export_is_the_filtered_scoped_list_in_the_readers_language(cases, head):
    response = web(head, "kk").get("/work/applications/export.csv", {"status": "registered"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    header, *rows = text.lstrip("\ufeff").splitlines()
    assert ";" in header and "Мәртебе" in header  # "Status" in Kazakh
    assert [r.split(";")[0] for r in rows] == [cases["applications"]["astana"]["number"]]
    assert cases["applications"]["almaty"]["number"] not in text
    assert "Тіркелді" in rows[0] or "тіркелді" in rows[0].lower()


def test_bulk_assign_screen_takes_all_on_the_page_and_reports_each(cases, staff, head):
    astana, almaty = cases["applications"]["astana"], cases["applications"]["almaty"]
    response = web(head).post(
        "/work/applications/bulk-assign/",
        {
            "all_on_page": "1",
            "page_ids": [str(astana["id"]), str(almaty["id"])],
            "executor": staff["applications"][1].username,
            "reason": "распределение",
            "next": "javascript:alert(1)",
        },
        follow=True,
    )
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == "/work/applications/bulk-assign/"
    assert "javascript:" not in body
    assert response.status_code == 200
    assert astana["number"] in body
    assert Application.objects.get(pk=astana["id"]).assignee == staff["applications"][1]
    assert Application.objects.get(pk=almaty["id"]).assignee is None


@pytest.mark.parametrize("service", ["certificates", "complaints"])
def test_create_warns_about_an_open_case_of_the_same_service_elsewhere(
    api, staff, provider, other_provider, frozen, service
):
    _program(provider)
    _program(other_provider)
    first = _create(api, staff[service][3], service, ALMATY_CODE, 5)
    second = _create(api, staff[service][0], service, ASTANA_CODE, 5)
    assert "warnings" not in first or first["warnings"] == []
    [warning] = [w for w in second["warnings"] if w["code"] == "open_case_elsewhere"]
    assert warning["number"] == first["number"] and warning["message"]
    # the intake screen asks the same before submitting: number and provider only
    check = web(staff[service][0]).get(f"/work/{service}/open-elsewhere/", {"iin": make_iin(5)}).json()
    assert {c["number"] for c in check["cases"]} == {first["number"], second["number"]}
    assert set(check["cases"][0]) == {"number", "provider", "message"}
    assert web(staff[service][0]).get(f"/work/{service}/open-elsewhere/", {"iin": "1"}).json() == {
        "cases": []
    }


def test_a_duplicate_is_explained_as_a_declared_action(api, staff, provider, other_provider, officer, frozen):
    _program(provider)
    _program(other_provider)
    other = _create(api, staff["applications"][3], "applications", ALMATY_CODE, 6)
    mine_ = Application.objects.get(
        pk=_create(api, staff["applications"][0], "applications", ASTANA_CODE, 6)["id"]
    )

    with pytest.raises(ValidationError):
        run_action(
            casework_actions.ACTIONS,
            mine_,
            "explain_duplicate",
            officer,
            {"number": "HA-X", "decision": "linked", "explanation": "x"},
        )
    run_action(
        casework_actions.ACTIONS,
        mine_,
        "explain_duplicate",
        officer,
        {"number": other["number"], "decision": "explained", "explanation": "другая квартира"},
    )
    [event] = CaseEvent.objects.filter(object_id=mine_.pk, transition="explain_duplicate")
    assert (event.reason, event.data) == (
        "другая квартира",
        {"other": other["number"], "decision": "explained"},
    )

    close_stages(mine_, final=True)
    with pytest.raises(CaseConflict) as closed:
        run_action(
            casework_actions.ACTIONS,
            mine_,
            "explain_duplicate",
            officer,
            {"number": other["number"], "decision": "linked", "explanation": "x"},
        )
    assert closed.value.code == "case_closed"


@pytest.mark.parametrize("service", ["applications", "certificates", "complaints"])
def test_only_the_desks_of_a_service_look_up_a_persons_open_cases_elsewhere(
    client, auditor, trustee, service
):
    for user in (auditor, trustee):
        client.force_login(user)
        assert client.get(f"/work/{service}/open-elsewhere/", {"iin": make_iin(5)}).status_code == 403
