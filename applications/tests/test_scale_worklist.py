"""Worklists that cost the open caseload: open cases by default (closed ones a filter away),
keyset pages over the partial index, FilterSets, indexed search, one deadline rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from applications.models import Application, ApplicationStatus
from applications.selectors import WorklistFilters, search, with_deadline, worklist
from complaints.selectors import with_deadline as complaint_deadline
from housing_aid.paging import keyset_page
from housing_aid.sla.deadlines import ReferenceDates

from .conftest import make_iin, package


def _many(api, clerk, count, **changes):
    client = api.as_user(clerk)
    for n in range(count):
        assert (
            client.post(
                "/api/v1/applications/", package(iin=make_iin(n), **changes), format="json"
            ).status_code
            == 201
        )
    return list(Application.objects.order_by("id"))


def _close(application):
    Application.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.ASSIGNED, stage_due_date=None, closed_at=application.received_at
    )


def test_default_worklist_is_the_open_caseload_and_closed_is_a_filter_away(
    api, clerk, officer, at_intake_day
):
    apps = _many(api, clerk, 4)
    _close(apps[0])
    client = Client()
    client.force_login(officer)

    default = client.get("/applications/").content.decode()
    closed = client.get("/applications/", {"state": "closed"}).content.decode()
    both = client.get("/applications/", {"state": "all"}).content.decode()

    assert apps[0].number not in default and default.count('<tr class="row-') == 3
    assert closed.count('<tr class="row-') == 1 and apps[0].number in closed
    assert both.count('<tr class="row-') == 4
    assert 'id="f-state"' in default and "Открытые" in default


def test_nonsense_filter_values_are_ignored_by_the_filterset(api, clerk, officer, at_intake_day):
    _many(api, clerk, 2)
    client = Client()
    client.force_login(officer)

    html = client.get(
        "/applications/", {"deadline": "soonish", "state": "x", "after": "garbage"}
    ).content.decode()

    assert html.count('<tr class="row-') == 2


def test_keyset_pages_cross_from_dated_to_undated_rows_and_back(api, clerk, officer, at_intake_day):
    apps = _many(api, clerk, 5)
    Application.objects.filter(pk__in=[apps[1].pk, apps[3].pk]).update(stage_due_date=None)
    qs = Application.objects.visible_to(officer)

    pages, after = [], None
    while True:
        page = keyset_page(qs, due_field="stage_due_date", after=after, per_page=2)
        pages.append([a.pk for a in page.rows])
        after = page.next_after
        if not after:
            break
    back = keyset_page(
        qs,
        due_field="stage_due_date",
        before=keyset_page(
            qs,
            due_field="stage_due_date",
            after=keyset_page(qs, due_field="stage_due_date", per_page=2).next_after,
            per_page=2,
        ).prev_before,
        per_page=2,
    )

    flat = [pk for rows in pages for pk in rows]
    dated = [a.pk for a in apps if a.pk not in (apps[1].pk, apps[3].pk)]
    assert flat == dated + [apps[1].pk, apps[3].pk]  # due dates first, then the undated by id
    assert len(pages) == 3
    assert back.is_first and [a.pk for a in back.rows] == pages[0]


def test_the_worklist_reads_the_partial_index_of_open_cases(api, clerk, officer, at_intake_day):
    """The shape of the queries (row comparison for the key, date ranges for the deadline
    filters, no COALESCE) lets PostgreSQL walk the index in order: with sequential scans,
    bitmap scans and sorts off (a handful of test rows make every plan a tie), every plan
    names it and none has to sort."""
    _many(api, clerk, 3)
    first = worklist(officer, WorklistFilters(), page_size=1)
    with CaptureQueriesContext(connection) as queries:
        worklist(officer, WorklistFilters(after=first.next_after), page_size=1)
        worklist(officer, WorklistFilters(deadline="overdue"), page_size=1)
    selects = [q["sql"] for q in queries.captured_queries if "applications_application" in q["sql"]]
    assert len(selects) >= 2
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_bitmapscan = off")
        cursor.execute("SET enable_sort = off")
        try:
            for sql in selects:
                if '"stage_due_date" IS NULL' in sql:
                    continue  # the (small) tail of open cases without a due date
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "application_open_provider_due" in plan, plan
                assert "Sort" not in plan and "COALESCE" not in sql.upper(), plan
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_bitmapscan")
            cursor.execute("RESET enable_sort")


def test_search_uses_exact_iin_and_number_and_a_surname_prefix(api, clerk, officer, at_intake_day):
    apps = _many(api, clerk, 3)
    qs = Application.objects.visible_to(officer)
    target = apps[1]

    assert list(search(qs, target.applicant.iin)) == [target]
    assert list(search(qs, target.number.lower())) == [target]
    assert target in search(qs, target.number[-5:])
    assert set(search(qs, target.applicant.last_name[:3])) == set(apps)  # the same surname in the package
    assert list(search(qs, "Я")) == []  # one letter: no scan of the people table
    sql = str(search(qs, target.applicant.iin).query)
    assert "LIKE" not in sql.upper()


def test_one_deadline_rule_for_applications_and_complaints():
    """Due soon means one working day left everywhere (it was two for complaints)."""
    from complaints.models import Complaint

    tue = dt.date(2025, 6, 17)
    dates = ReferenceDates.on(tue)
    for due, state in ((dt.date(2025, 6, 18), "due_soon"), (dt.date(2025, 6, 19), "on_track")):
        assert dates.state_of(due) == state
    app_sql = str(with_deadline(Application.objects.all(), tue).query)
    complaint_sql = str(complaint_deadline(Complaint.objects.all(), tue).query)
    assert "2025-06-18" in app_sql and "2025-06-18" in complaint_sql
    assert "2025-06-19" not in complaint_sql


@pytest.mark.parametrize("url", ["/applications/", "/complaints/", "/certificates/"])
def test_worklists_have_one_shape_keyset_pager(url, client, officer, complaints_officer, db):
    user = complaints_officer if url == "/complaints/" else officer
    client.force_login(user)
    response = client.get(url, {"after": "2025-01-01_1"})
    assert response.status_code == 200
    assert 'id="first-page"' in response.content.decode()
