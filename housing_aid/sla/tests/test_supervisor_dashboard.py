"""The heads' dashboard: open stages by stage, state and officer; on time vs late per month;
filters; CSV; scoped to the user's providers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from .conftest import at, make_stage

pytestmark = pytest.mark.django_db

TUE = dt.date(2025, 6, 17)
URL = reverse("sla:dashboard")


@pytest.fixture
def cases(provider, other_provider, officer, officer2):
    """Open: 2 overdue (officer), 1 due today (unassigned), 1 due soon (officer2), 1 on track;
    closed: May 1 on time + 1 late, June 1 on time; another provider's overdue case."""
    make_stage(provider, dt.date(2025, 6, 13), assignee=officer)
    make_stage(provider, dt.date(2025, 6, 16), assignee=officer, stage="verification")
    make_stage(provider, TUE, service="complaint", stage="answer")
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer2)
    make_stage(
        provider,
        dt.date(2025, 6, 25),
        assignee=officer2,
        service="housing_certificate",
        stage="consideration",
    )
    make_stage(provider, dt.date(2025, 5, 14), closed_on=dt.date(2025, 5, 14), assignee=officer)
    make_stage(provider, dt.date(2025, 5, 14), closed_on=dt.date(2025, 5, 15), assignee=officer)
    make_stage(provider, dt.date(2025, 6, 10), closed_on=dt.date(2025, 6, 9), assignee=officer2)
    make_stage(other_provider, dt.date(2025, 6, 2))


def get(client, user, **params):
    client.force_login(user)
    with time_machine.travel(at(TUE), tick=False):
        return client.get(URL, params)


def test_head_sees_open_stages_by_state_stage_and_officer(client, head, cases):
    response = get(client, head)

    assert response.status_code == 200
    ctx = response.context
    assert {k: ctx["totals"][k] for k in ("overdue", "due_today", "due_soon", "on_track", "total")} == {
        "overdue": 2,
        "due_today": 1,
        "due_soon": 1,
        "on_track": 1,
        "total": 5,
    }
    assert any(row["unassigned"] and row["due_today"] == 1 for row in ctx["by_officer"])
    stages = {(r["service"], r["stage"]): r["total"] for r in ctx["by_stage"]}
    assert stages == {
        ("complaint", "answer"): 1,
        ("housing_assistance", "review"): 2,
        ("housing_assistance", "verification"): 1,
        ("housing_certificate", "consideration"): 1,
    }
    html = response.content.decode()
    assert "<svg" in html and 'class="stack"' in html


def test_officer_rows_separate_the_two_officers(client, head, officer, officer2, cases):
    rows = get(client, head).context["by_officer"]

    by_id = {r["assignee_id"]: r for r in rows}
    assert (by_id[officer.pk]["overdue"], by_id[officer.pk]["total"]) == (2, 2)
    assert (by_id[officer2.pk]["due_soon"], by_id[officer2.pk]["on_track"]) == (1, 1)
    assert by_id[None]["due_today"] == 1
    assert rows[0]["assignee_id"] == officer.pk  # the worst first


def test_stages_closed_on_time_vs_late_per_month(client, head, cases):
    series = get(client, head, month_from="2025-04", month_to="2025-06").context["stage_series"]

    assert [(s["month"], s["on_time"], s["late"], s["percent"]) for s in series] == [
        (dt.date(2025, 4, 1), 0, 0, None),
        (dt.date(2025, 5, 1), 1, 1, 50),
        (dt.date(2025, 6, 1), 1, 0, 100),
    ]


def test_filter_by_service(client, head, cases):
    totals = get(client, head, service="complaint").context["totals"]

    assert (totals["total"], totals["due_today"]) == (1, 1)


def test_scoped_to_the_users_providers(client, other_head, cases):
    totals = get(client, other_head).context["totals"]

    assert (totals["total"], totals["overdue"]) == (1, 1)


def test_csv_export_of_open_stages_worst_first(client, head, cases):
    response = get(client, head, export="open")

    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 1 + 5
    assert [r[5] for r in rows[1:]] == ["2025-06-13", "2025-06-16", "2025-06-17", "2025-06-18", "2025-06-25"]


def test_csv_export_of_compliance(client, head, cases):
    response = get(client, head, export="compliance", month_from="2025-05", month_to="2025-06")

    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    assert [r[0] for r in rows[1:]] == ["2025-05", "2025-06"]
    assert rows[1][4:7] == ["1", "1", "50"]


def test_bad_period_shows_an_error_and_the_default_period(client, head, cases):
    response = get(client, head, month_from="2025-06", month_to="2025-01")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(response.context["stage_series"]) == 6


def test_officers_may_not_open_it(client, officer):
    client.force_login(officer)

    assert client.get(URL).status_code == 403


def test_dashboard_query_count_does_not_grow(client, head, provider, officer, django_assert_max_num_queries):
    make_stage(provider, TUE, assignee=officer)
    with django_assert_max_num_queries(30) as few:
        get(client, head)
    for i in range(40):
        make_stage(
            provider, TUE + dt.timedelta(days=i % 9), assignee=officer, closed_on=TUE if i % 2 else None
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        get(client, head)


def test_csv_export_names_the_provider_in_the_readers_language(client, head, provider, cases):
    client.cookies["django_language"] = "kk"
    response = get(client, head, export="open")

    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    # the service provider by its name, as the reader reads it, not by its KATO code
    assert {r[3] for r in rows[1:]} == {provider.name_kk}
