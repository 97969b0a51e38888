"""Who sees what: provider scope, quality-control escalations, the portal's own, a pinned query count."""

from __future__ import annotations

import pytest
from django.db import connection

from complaints.models import Complaint
from tests.factories import staff_user

pytestmark = pytest.mark.django_db


def _numbers(api, user, query=""):
    response = api.as_user(user).get(f"/api/v1/complaints/{query}")
    assert response.status_code == 200, response.json()
    return {item["number"] for item in response.json()["results"]}


def test_each_role_sees_its_own_share(
    api, register, complaints_officer, quality_officer, head, auditor, officer, portal, other_provider
):
    mine = register()
    quality = register(user=quality_officer, addressee="quality_control_body", channel="mail")
    from_portal = register(user=portal, channel="portal")
    almaty_officer = staff_user("complaints_almaty", "complaints_officer", other_provider)
    almaty = register(user=almaty_officer, provider=other_provider.code)
    authorized_body = staff_user(
        "authorized_body", "complaints_officer", complaints_officer.staff.providers.get(), other_provider
    )

    assert _numbers(api, complaints_officer) == {mine["number"], quality["number"], from_portal["number"]}
    assert _numbers(api, head) == {mine["number"], quality["number"], from_portal["number"]}
    assert _numbers(api, auditor) == {
        mine["number"],
        quality["number"],
        from_portal["number"],
        almaty["number"],
    }
    assert _numbers(api, quality_officer) == {quality["number"]}
    assert _numbers(api, portal) == {from_portal["number"]}
    assert _numbers(api, officer) == set()
    assert _numbers(api, almaty_officer) == {almaty["number"]}
    assert len(_numbers(api, authorized_body)) == 4


def test_list_filters_by_status_and_overdue(api, register, complaints_officer, transition):
    old = register(received_at="2025-03-04T10:00:00+05:00")
    answered = register(received_at="2025-03-04T11:00:00+05:00")
    transition(complaints_officer, answered["id"], "refuse_to_consider", {"reason": "Аноним"})

    assert _numbers(api, complaints_officer, "?status=refused_to_consider") == {answered["number"]}
    assert _numbers(api, complaints_officer, "?overdue=true") == {old["number"]}


def test_anonymous_gets_401(api, register):
    register()
    api.credentials()

    assert api.get("/api/v1/complaints/").status_code == 401


def test_list_query_count_does_not_grow_with_rows(
    api, register, complaints_officer, django_assert_num_queries
):
    register()
    client = api.as_user(complaints_officer)
    one = []
    with connection.execute_wrapper(lambda execute, sql, *args: one.append(sql) or execute(sql, *args)):
        client.get("/api/v1/complaints/")
    for _ in range(6):
        register()
    assert Complaint.objects.count() == 7

    # token, user's staff profile, providers, the page of complaints: the same for 1 row and 7
    with django_assert_num_queries(len(one)):
        response = client.get("/api/v1/complaints/")

    assert len(response.json()["results"]) == 7
    assert len(one) <= 6


def test_list_is_cursor_paginated(api, register, complaints_officer):
    for _ in range(3):
        register()

    page = api.as_user(complaints_officer).get("/api/v1/complaints/?page_size=2").json()

    assert set(page) == {"next", "previous", "results"}
    assert len(page["results"]) == 2 and page["next"]
