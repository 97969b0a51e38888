"""A head sees the bell count, reads a notification, and reads the deadlines dashboard."""

from __future__ import annotations

import datetime as dt

from housing_aid import workdays
from housing_aid.demo import ASTANA, seed_reference_data
from housing_aid.models import ServiceProvider
from housing_aid.sla import services
from housing_aid.sla.tests.conftest import make_stage
from tests.factories import staff_user


def test_head_reads_bell_notifications_and_dashboard(page, login, shot):
    seed_reference_data()
    provider = ServiceProvider.objects.get(code=ASTANA)
    head = staff_user("head", "head", provider)
    officer = staff_user("officer", "case_officer", provider)
    head.first_name, head.last_name = "Ерлан", "Жұмабаев"
    head.save()
    officer.first_name, officer.last_name = "Нұрлан", "Әбенов"
    officer.save()
    today = workdays.today()
    soon = workdays.next_working_day(today)
    for days_late in (1, 2, 5):
        make_stage(provider, today - dt.timedelta(days=days_late), assignee=officer)
    make_stage(provider, today, service="complaint", stage="answer")
    make_stage(provider, soon, assignee=officer, stage="verification")
    make_stage(provider, workdays.add_working_days(today, 4), assignee=officer)
    for month_back, late in ((1, 1), (2, 0), (3, 2)):
        closed = today.replace(day=1) - dt.timedelta(days=30 * month_back - 10)
        for i in range(4):
            make_stage(
                provider, closed, closed_on=closed + dt.timedelta(days=1 if i < late else 0), assignee=officer
            )
    result = services.sweep(send_emails=False)
    expected = 3 + result.created["digest"]  # three escalations, and the digest on a working day after 8:00

    login(page, head)
    page.goto("/sla/notifications/")
    count = page.locator("#notification-bell .count")
    assert count.inner_text() == str(expected)
    shot(page, "sla_notifications")
    page.locator("table.notifications tbody tr.unread button").first.click()
    page.wait_for_timeout(500)
    assert page.locator("table.notifications tbody tr.unread").count() == expected - 1

    page.goto("/sla/dashboard/")
    assert page.locator(".tile[data-state=overdue] .n").inner_text() == "3"
    assert page.locator("svg.chart").count() == 2
    assert page.locator("#by-officer tbody tr").count() == 2  # the officer, and the unassigned complaint
    shot(page, "sla_dashboard")

    page.select_option("#id_service", "complaint")
    page.click("#dashboard-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".tile[data-state=due_today] .n").inner_text() == "1"
    assert page.locator(".tile[data-state=overdue] .n").inner_text() == "0"
