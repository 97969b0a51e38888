"""The bell in the header, the notification list, marking read."""

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


def sweep():
    with time_machine.travel(at(TUE), tick=False):
        services.sweep()


def test_bell_shows_the_unread_count_on_every_page(client, provider, officer):
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    make_stage(provider, dt.date(2025, 6, 16), assignee=officer)
    sweep()
    client.force_login(officer)

    html = client.get(reverse("home"), follow=True).content.decode()

    assert 'id="notification-bell"' in html and 'data-unread="2"' in html


def test_bell_costs_one_query(client, provider, officer, django_assert_num_queries):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = officer
    template = Template("{% include 'sla/bell.html' %}{% include 'sla/bell.html' %}")
    with django_assert_num_queries(1):
        template.render(Context({"request": request, "user": officer}))


def test_list_marks_read_and_htmx_swaps_the_row(client, provider, officer):
    stage = make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    sweep()
    client.force_login(officer)
    notification = Notification.objects.get(recipient=officer)

    page = client.get(reverse("sla:notifications")).content.decode()
    row = client.post(reverse("sla:mark_read", args=[notification.pk]), HTTP_HX_REQUEST="true")

    assert stage.case_number in page
    assert row.status_code == 200 and 'class=""' in row.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read_and_unread_tab(client, provider, officer):
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    make_stage(provider, dt.date(2025, 6, 16), assignee=officer)
    sweep()
    client.force_login(officer)

    response = client.post(reverse("sla:mark_all_read"), follow=True)
    unread_page = client.get(reverse("sla:notifications") + "?unread=1").content.decode()

    assert response.status_code == 200
    assert Notification.objects.filter(read_at=None).count() == 0
    assert "data-unread" not in unread_page


def test_cannot_touch_someone_elses_notification(client, provider, officer, officer2):
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    sweep()
    notification = Notification.objects.get(recipient=officer)
    client.force_login(officer2)

    assert client.post(reverse("sla:mark_read", args=[notification.pk])).status_code == 404
    assert client.get(reverse("sla:open_notification", args=[notification.pk])).status_code == 404


def test_opening_marks_read(client, provider, officer):
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    sweep()
    notification = Notification.objects.get(recipient=officer)
    client.force_login(officer)

    response = client.get(reverse("sla:open_notification", args=[notification.pk]))

    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_list_query_count_does_not_grow(client, provider, officer, django_assert_max_num_queries):
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    sweep()
    client.force_login(officer)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("sla:notifications"))
    for i in range(25):
        make_stage(provider, dt.date(2025, 6, 18), assignee=officer, object_id=700 + i)
    sweep()

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("sla:notifications"))
