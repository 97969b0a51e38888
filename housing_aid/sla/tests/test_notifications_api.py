"""GET /api/v1/notifications/: the caller's own, newest first, cursor-paginated; mark read."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from housing_aid.sla import services
from housing_aid.sla.models import Notification

from .conftest import at, make_stage

pytestmark = pytest.mark.django_db

TUE = dt.date(2025, 6, 17)
URL = "/api/v1/notifications/"


def sweep(day=TUE):
    with time_machine.travel(at(day), tick=False):
        return services.sweep()


def test_list_is_the_callers_own_newest_first_in_the_contract_shape(api, provider, officer, other_officer):
    first = make_stage(provider, dt.date(2025, 6, 16), assignee=officer)  # overdue on Tue
    sweep()
    second = make_stage(provider, dt.date(2025, 6, 18), assignee=officer)  # due soon
    sweep()
    make_stage(provider, dt.date(2025, 6, 18), assignee=other_officer)
    sweep()

    response = api.as_user(officer).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    results = body["results"]
    assert [(r["kind"], r["case_number"]) for r in results] == [
        ("reminder", second.case_number),
        ("overdue", first.case_number),
    ]
    item = results[0]
    assert {"id", "kind", "case_number", "due_date", "created_at", "read"} <= set(item)
    assert item["due_date"] == "2025-06-18" and item["read"] is False
    assert dt.datetime.fromisoformat(item["created_at"]).tzinfo is not None


def test_cursor_pagination_walks_every_notification(api, provider, officer):
    for i in range(5):
        make_stage(provider, dt.date(2025, 6, 18), assignee=officer, object_id=500 + i)
    sweep()
    client = api.as_user(officer)

    page = client.get(URL, {"page_size": 2}).json()
    seen = [r["id"] for r in page["results"]]
    while page["next"]:
        page = client.get(page["next"]).json()
        seen += [r["id"] for r in page["results"]]

    assert seen == sorted(
        Notification.objects.filter(recipient=officer).values_list("id", flat=True), reverse=True
    )


def test_list_query_count_does_not_grow(api, provider, officer, django_assert_max_num_queries):
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    sweep()
    client = api.as_user(officer)
    with django_assert_max_num_queries(10) as few:
        client.get(URL)
    for i in range(30):
        make_stage(provider, dt.date(2025, 6, 18), assignee=officer, object_id=900 + i)
    sweep()

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(URL).json()["results"]) == 31


def test_mark_one_read_and_unread_filter(api, provider, officer):
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    make_stage(provider, dt.date(2025, 6, 16), assignee=officer)
    sweep()
    client = api.as_user(officer)
    target = Notification.objects.filter(recipient=officer).first()

    response = client.post(f"{URL}{target.pk}/read/")

    assert response.status_code == 200 and response.json()["read"] is True
    unread = client.get(URL, {"unread": "true"}).json()["results"]
    assert [r["id"] for r in unread] == [
        n.pk for n in Notification.objects.filter(recipient=officer, read_at=None)
    ]
    assert len(unread) == 1


def test_mark_all_read(api, provider, officer):
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    make_stage(provider, dt.date(2025, 6, 16), assignee=officer)
    sweep()

    response = api.as_user(officer).post(reverse("api_notifications_read"), {}, format="json")

    assert response.json() == {"marked": 2}
    assert Notification.objects.filter(recipient=officer, read_at=None).count() == 0


def test_another_users_notification_answers_404(api, provider, officer, officer2):
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    sweep()
    theirs = Notification.objects.get(recipient=officer)

    response = api.as_user(officer2).post(f"{URL}{theirs.pk}/read/")

    assert response.status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_bad_ids_get_a_400_in_the_callers_language(api, officer):
    response = api.as_user(officer, language="ru").post(
        reverse("api_notifications_read"), {"ids": ["x"]}, format="json"
    )

    assert response.status_code == 400
    assert "ids" in response.json()


def test_no_credentials_401(api):
    assert api.get(URL).status_code == 401
