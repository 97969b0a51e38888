"""API.md "Working the cases": assignment, bulk assignment, notes, a person's cases across
the services, absences with a substitute."""

from __future__ import annotations

import pytest

from applications.models import Application
from certificates.models import CertificateRequest
from complaints.models import Complaint
from housing_aid.casework.models import CaseNote, Substitution
from housing_aid.models import CaseEvent, CaseStage
from tests.factories import staff_user
from tests.test_cross_scoping import ALMATY_CODE, ASTANA_CODE, SERVICES, _create, _program

MODELS = {"applications": Application, "certificates": CertificateRequest, "complaints": Complaint}


@pytest.fixture
def staff(clerk, officer, officer2, head, complaints_officer, other_provider, other_officer):
    clerk_almaty = staff_user("clerk_almaty", "intake_clerk", other_provider)
    complaints_almaty = staff_user("complaints_almaty", "complaints_officer", other_provider)
    complaints2 = staff_user("complaints2", "complaints_officer", officer.staff.providers.first())
    return {
        # service: (creator at Astana, executor at Astana, second executor, creator at Almaty)
        "applications": (clerk, officer, officer2, clerk_almaty),
        "certificates": (officer, officer, officer2, other_officer),
        "complaints": (complaints_officer, complaints_officer, complaints2, complaints_almaty),
    }


@pytest.fixture
def cases(api, staff, provider, other_provider, frozen):
    _program(provider)
    _program(other_provider)
    made = {}
    for n, service in enumerate(SERVICES, start=1):
        made[service] = {
            "astana": _create(api, staff[service][0], service, ASTANA_CODE, n),
            "almaty": _create(api, staff[service][3], service, ALMATY_CODE, 20 + n),
        }
    return made


@pytest.fixture
def frozen():
    import time_machine

    from tests.test_cross_scoping import NOW

    with time_machine.travel(NOW, tick=False):
        yield


def assign_url(service, pk):
    return f"/api/v1/{service}/{pk}/assign/"


@pytest.mark.parametrize("service", list(SERVICES))
def test_a_head_assigns_and_reassigns_and_the_open_stage_follows(api, cases, staff, head, service):
    # given an open Astana case
    case = cases[service]["astana"]
    first, second = staff[service][1], staff[service][2]

    # when the head assigns it, then reassigns it with a reason
    one = api.as_user(head).post(
        assign_url(service, case["id"]), {"executor": second.username}, format="json"
    )
    two = api.as_user(head).post(
        assign_url(service, case["id"]), {"executor": first.username, "reason": "отпуск"}, format="json"
    )
    first, second = second, first

    # then the case, its open stage and its history follow the new executor
    assert (one.status_code, two.status_code) == (200, 200), (one.json(), two.json())
    assert two.json()["executor"] == second.username
    row = MODELS[service].objects.get(pk=case["id"])
    assert row.assignee == second
    open_stages = CaseStage.objects.filter(object_id=row.pk, service=row.SERVICE, closed_at__isnull=True)
    assert open_stages and all(s.assignee_id == second.pk for s in open_stages)
    events = CaseEvent.objects.filter(object_id=row.pk, service=row.SERVICE, transition="assign").order_by(
        "id"
    )
    assert [(e.data["executor"], e.reason) for e in events] == [
        (first.username, ""),
        (second.username, "отпуск"),
    ]


@pytest.mark.parametrize("service", list(SERVICES))
def test_an_executor_must_handle_the_service_at_the_provider(
    api, cases, staff, head, other_officer, clerk, service
):
    case = cases[service]["astana"]
    for executor in (clerk, other_officer, head):
        response = api.as_user(head).post(
            assign_url(service, case["id"]), {"executor": executor.username}, format="json"
        )
        assert response.status_code == 400, executor.username
        assert "executor" in response.json()
    assert not CaseEvent.objects.filter(transition="assign").exists()


@pytest.mark.parametrize("service", list(SERVICES))
def test_an_executor_at_another_provider_answers_as_an_unknown_login(
    api, cases, head, other_officer, service
):
    # It answered "<their full name> does not handle this service for this service provider":
    # a head learnt who works elsewhere, by name, from a login.
    case = cases[service]["astana"]

    answers = [
        api.as_user(head).post(assign_url(service, case["id"]), {"executor": login}, format="json")
        for login in (other_officer.username, "nobody")
    ]

    assert [a.status_code for a in answers] == [400, 400]
    assert (
        answers[0].json()
        == answers[1].json()
        == {"executor": ["Нет действующего сотрудника с таким логином."]}
    )


@pytest.mark.parametrize("service", list(SERVICES))
def test_an_officer_takes_an_unassigned_case_but_not_for_others(api, cases, staff, service):
    case = cases[service]["astana"]
    me, colleague = staff[service][1], staff[service][2]

    for_colleague = api.as_user(me).post(
        assign_url(service, case["id"]), {"executor": colleague.username}, format="json"
    )
    mine = api.as_user(me).post(assign_url(service, case["id"]), {"executor": me.username}, format="json")
    taken = api.as_user(colleague).post(
        assign_url(service, case["id"]), {"executor": colleague.username}, format="json"
    )

    assert for_colleague.status_code == 403
    assert mine.status_code == 200 and mine.json()["executor"] == me.username
    assert taken.status_code == 409 and taken.json()["code"] == "assigned"


@pytest.mark.parametrize("service", list(SERVICES))
def test_assignment_outside_scope_is_404_and_a_forbidden_role_403_before_the_body(
    api, cases, staff, head, other_head, auditor, service
):
    case = cases[service]["astana"]
    outside = api.as_user(other_head).post(assign_url(service, case["id"]), {"executor": "x"}, format="json")
    missing = api.as_user(other_head).post(assign_url(service, 999999), {"executor": "x"}, format="json")
    forbidden = api.as_user(auditor).post(assign_url(service, case["id"]), {"executor": []}, format="json")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()
    assert forbidden.status_code == 403


@pytest.mark.parametrize("service", list(SERVICES))
def test_bulk_assign_reports_each_case_and_out_of_scope_ids_as_not_found(api, cases, staff, head, service):
    astana = cases[service]["astana"]
    almaty = cases[service]["almaty"]
    executor = staff[service][1]

    response = api.as_user(head).post(
        f"/api/v1/{service}/bulk-assign/",
        {
            "ids": [astana["id"], almaty["id"], 999999],
            "executor": executor.username,
            "reason": "распределение",
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["assigned"] == [astana["id"]]
    assert set(body["errors"]) == {str(almaty["id"]), "999999"}
    assert body["errors"][str(almaty["id"])] == body["errors"]["999999"]
    assert MODELS[service].objects.get(pk=almaty["id"]).assignee_id != executor.pk


def test_only_a_head_bulk_assigns(api, cases, officer):
    response = api.as_user(officer).post(
        "/api/v1/applications/bulk-assign/", {"ids": "nonsense"}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize("service", list(SERVICES))
def test_notes_are_internal_append_only_newest_first_and_scoped(
    api, cases, staff, head, other_head, portal, service
):
    case = cases[service]["astana"]
    author = staff[service][1]
    url = f"/api/v1/{service}/{case['id']}/notes/"

    first = api.as_user(author).post(url, {"text": "Позвонить заявителю"}, format="json")
    second = api.as_user(head).post(url, {"text": "Проверить справку о доходах"}, format="json")
    listed = api.as_user(author).get(url)

    assert (first.status_code, second.status_code) == (201, 201)
    assert [n["text"] for n in listed.json()] == ["Проверить справку о доходах", "Позвонить заявителю"]
    assert set(listed.json()[0]) == {"id", "text", "author", "created_at"}
    assert api.as_user(author).post(url, {"text": "   "}, format="json").status_code == 400
    assert api.as_user(other_head).get(url).status_code == 404
    # the portal reads only what it created: a staff-registered case does not exist for it
    assert api.as_user(portal).get(url).status_code == 404
    note = CaseNote.objects.first()
    with pytest.raises(ValueError):
        note.save()


def test_notes_never_reach_the_status_page_or_the_portal(api, cases, clerk, officer, portal, frozen):
    # given a portal-created application with an internal note
    from applications.tests.conftest import package

    created = (
        api.as_user(portal)
        .post(
            "/api/v1/applications/",
            package(
                ASTANA_CODE,
                channel="portal",
                iin="850315410002",
                documents=[
                    "family_income",
                    "employment_status",
                    "alimony",
                    "bank_account",
                    "maintenance_invoice",
                    "utility_bills",
                    "telecom_bill",
                ],
            ),
            format="json",
        )
        .json()
    )
    api.as_user(officer).post(
        f"/api/v1/applications/{created['id']}/notes/", {"text": "СЕКРЕТНАЯ ЗАМЕТКА"}, format="json"
    )

    # when the portal and the public status lookup read it
    portal_view = api.as_user(portal).get(f"/api/v1/applications/{created['id']}/")
    status = api.get("/api/v1/status/", {"number": created["number"], "iin": "850315410002"})

    # then the note's text and its event are nowhere
    assert portal_view.status_code == 200 and status.status_code == 200
    for body in (portal_view.content.decode(), status.content.decode()):
        assert "СЕКРЕТНАЯ" not in body
        assert "add_note" not in body


def test_a_persons_cases_across_the_three_services_within_scope(
    api, cases, officer, head, other_head, auditor
):
    # the Astana cases of the three services were created for the IINs make_iin(1..3) ; give them one person
    from applications.tests.conftest import make_iin

    iins = {service: make_iin(n) for n, service in enumerate(SERVICES, start=1)}
    for service, iin in iins.items():
        response = api.as_user(head).get(f"/api/v1/persons/{iin}/cases/")
        assert response.status_code == 200
        rows = response.json()
        assert [r["number"] for r in rows] == [cases[service]["astana"]["number"]]
        assert set(rows[0]) == {"service", "number", "status", "provider", "registered_on"}
        # another provider's head sees nothing of Astana
        assert api.as_user(other_head).get(f"/api/v1/persons/{iin}/cases/").json() == []
    assert api.as_user(head).get("/api/v1/persons/123/cases/").status_code == 400


def test_one_person_across_services(api, staff, provider, head, frozen):
    from applications.tests.conftest import package
    from certificates.tests.conftest import NOW as CERT_NOW
    from certificates.tests.conftest import body as certificate_body
    from complaints.tests.conftest import complaint_payload

    _program(provider)
    iin = "850315410002"
    assert (
        api.as_user(staff["applications"][0])
        .post("/api/v1/applications/", package(ASTANA_CODE, iin=iin), format="json")
        .status_code
        == 201
    )
    assert (
        api.as_user(staff["certificates"][0])
        .post("/api/v1/certificates/", certificate_body(received_at=CERT_NOW, iin=iin), format="json")
        .status_code
        == 201
    )
    assert (
        api.as_user(staff["complaints"][0])
        .post("/api/v1/complaints/", complaint_payload(complainant={"iin": iin}), format="json")
        .status_code
        == 201
    )

    rows = api.as_user(head).get(f"/api/v1/persons/{iin}/cases/").json()

    assert sorted(r["service"] for r in rows) == ["complaint", "housing_assistance", "housing_certificate"]


def test_a_head_sets_a_substitute_and_bad_absences_are_refused(
    api, officer, officer2, head, other_officer, frozen
):
    url = "/api/v1/substitutions/"
    ok = api.as_user(head).post(
        url,
        {"absent": "officer", "substitute": "officer2", "from": "2025-04-14", "to": "2025-04-25"},
        format="json",
    )
    overlapping = api.as_user(head).post(
        url,
        {"absent": "officer", "substitute": "officer2", "from": "2025-04-20", "to": "2025-04-30"},
        format="json",
    )
    backwards = api.as_user(head).post(
        url,
        {"absent": "officer2", "substitute": "officer", "from": "2025-04-25", "to": "2025-04-20"},
        format="json",
    )
    foreign = api.as_user(head).post(
        url,
        {
            "absent": "officer2",
            "substitute": other_officer.username,
            "from": "2025-04-21",
            "to": "2025-04-22",
        },
        format="json",
    )
    by_officer = api.as_user(officer).post(url, {}, format="json")

    assert ok.status_code == 201, ok.json()
    assert ok.json()["from"] == "2025-04-14" and ok.json()["substitute"] == "officer2"
    assert overlapping.status_code == backwards.status_code == foreign.status_code == 400
    assert by_officer.status_code == 403
    assert Substitution.objects.count() == 1
    assert [s["absent"] for s in api.as_user(head).get(url).json()] == ["officer"]


def test_an_absence_outside_the_calendar_is_400_and_another_providers_login_is_unknown(
    api, officer, officer2, head, other_officer, frozen
):
    # An absence in the year 9999 was stored (201; API.md: a date outside the calendar's range
    # -> 400), and another provider's login answered "both must work for one of your
    # providers" where an unknown login answered "no such staff member": the answer told a
    # head who works elsewhere.
    client = api.as_user(head)
    url = "/api/v1/substitutions/"
    far = client.post(
        url, {"absent": "officer", "substitute": "officer2", "from": "9999-04-14", "to": "9999-04-20"}
    )
    foreign = client.post(
        url,
        {"absent": "officer", "substitute": other_officer.username, "from": "2025-04-21", "to": "2025-04-22"},
    )
    unknown = client.post(
        url, {"absent": "officer", "substitute": "nobody", "from": "2025-04-21", "to": "2025-04-22"}
    )

    assert far.status_code == 400
    assert far.json() == {
        "from": ["Дата вне производственного календаря (2000-2045)."],
        "to": ["Дата вне производственного календаря (2000-2045)."],
    }
    assert foreign.status_code == unknown.status_code == 400
    assert (
        foreign.json() == unknown.json() == {"substitute": ["Нет действующего сотрудника с таким логином."]}
    )
    assert not Substitution.objects.exists()


def test_the_person_page_reads_each_service_once(client, cases, head, django_assert_max_num_queries):
    # make_iin(n) is the IIN of the Astana case of the n-th service (see the fixture)
    from applications.tests.conftest import make_iin

    client.force_login(head)
    client.get(f"/work/persons/{make_iin(1)}/")  # warm: content types, translations
    # the reader with its providers, then one read per service: 4 today
    with django_assert_max_num_queries(5):
        page = client.get(f"/work/persons/{make_iin(1)}/")
    assert page.status_code == 200
    assert cases[next(iter(SERVICES))]["astana"]["number"] in page.content.decode()
