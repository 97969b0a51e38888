"""The dashboards' open-work counts kept by the database (``OpenStageCount``): they follow
every stage that opens, closes, is reassigned, moves or is deleted; the sweep folds them to
one row a key; the dashboard reads the same numbers from them as from the stages; and
concurrent transitions neither wait on a count nor lose one to a fold."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from housing_aid.models import CaseStage
from housing_aid.sla import selectors, services
from housing_aid.sla.deadlines import ReferenceDates
from housing_aid.sla.models import OpenStageCount
from housing_aid.sla.tests.concurrency import held_open, without_waiting

from .conftest import make_stage

TUE = dt.date(2025, 6, 17)
DATES = ReferenceDates.on(TUE)
KEY = ("provider_id", "service", "stage", "assignee_id", "due_date")


def kept() -> dict:
    """The counts as the database keeps them: the sum of ``n`` per key, zero sums left out."""
    rows = OpenStageCount.objects.values(*KEY).annotate(total=Sum("n"))
    return {tuple(r[k] for k in KEY): r["total"] for r in rows if r["total"]}


def counted() -> dict:
    """The open stages counted one by one."""
    return dict(Counter(CaseStage.objects.filter(closed_at__isnull=True).values_list(*KEY)))


def close(stage: CaseStage, day: dt.date = TUE) -> None:
    """As ``housing_aid.cases.close_stages`` does it: one UPDATE."""
    closed_at = dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())
    CaseStage.objects.filter(pk=stage.pk).update(closed_at=closed_at, closed_on=day)


pytestmark = pytest.mark.django_db


def test_counts_follow_stages_that_open_close_move_and_are_deleted(
    provider, other_provider, officer, officer2, django_user_model
):
    a = make_stage(provider, TUE, assignee=officer)
    b = make_stage(provider, TUE, assignee=officer)
    c = make_stage(provider, dt.date(2025, 6, 10), service="complaint", stage="answer")
    d = make_stage(other_provider, dt.date(2025, 6, 20), assignee=officer2, stage="verification")
    done = make_stage(provider, dt.date(2025, 6, 1), closed_on=dt.date(2025, 6, 2), assignee=officer)
    assert kept() == counted() and sum(counted().values()) == 4

    steps = [
        lambda: close(a),  # the stage closes
        lambda: CaseStage.objects.filter(pk=b.pk).update(assignee=officer2),  # reassigned
        lambda: CaseStage.objects.filter(pk=c.pk).update(due_date=dt.date(2025, 6, 30)),  # new term
        lambda: CaseStage.objects.filter(pk=c.pk).update(stage="registration"),
        lambda: CaseStage.objects.filter(pk=d.pk).update(provider=provider),
        lambda: CaseStage.objects.filter(pk=done.pk).update(assignee=officer2),  # closed: no count
        lambda: CaseStage.objects.filter(pk=done.pk).update(closed_at=None, closed_on=None),  # reopened
        lambda: CaseStage.objects.filter(pk=c.pk).delete(),  # an open stage deleted
        lambda: CaseStage.objects.filter(pk=a.pk).delete(),  # a closed one: no count
        lambda: django_user_model.objects.filter(pk=officer2.pk).delete(),  # SET NULL on the stages
    ]
    for step in steps:
        step()
        assert kept() == counted()

    assert counted() == {
        (provider.pk, "housing_assistance", "review", None, TUE): 1,
        (provider.pk, "housing_assistance", "verification", None, dt.date(2025, 6, 20)): 1,
        (provider.pk, "housing_assistance", "review", None, dt.date(2025, 6, 1)): 1,
    }


def test_the_sweep_folds_a_keys_rows_into_one_and_drops_the_keys_gone_to_zero(provider, officer):
    stages = [make_stage(provider, TUE + dt.timedelta(days=i % 3), assignee=officer) for i in range(9)]
    gone = make_stage(provider, dt.date(2025, 6, 2), service="complaint", stage="answer")
    close(stages[0])
    close(gone)
    before = kept()
    assert OpenStageCount.objects.count() == 12

    services.sweep(dt.datetime.combine(TUE, dt.time(10), tzinfo=timezone.get_current_timezone()))

    assert kept() == before == counted()
    assert OpenStageCount.objects.count() == 3  # one row a key; the complaint's key is gone
    assert not OpenStageCount.objects.filter(n=0).exists()
    assert services.fold_kept_counts(OpenStageCount) == {OpenStageCount: 0}  # nothing left to fold

    for i in range(30):  # the open caseload grows tenfold on the same keys ...
        make_stage(provider, TUE + dt.timedelta(days=i % 3), assignee=officer)
    services.fold_kept_counts(OpenStageCount)
    assert OpenStageCount.objects.count() == 3  # ... and the dashboard still reads 3 rows
    assert kept() == counted()


def _dashboard(user, **filters) -> tuple:
    f = selectors.DashboardFilters(**filters)
    return (
        selectors.open_totals(user, f, DATES),
        selectors.open_by_stage(user, f, DATES),
        selectors.open_by_officer(user, f, DATES),
    )


def test_the_dashboard_reads_the_same_from_the_counts_as_from_the_stages(
    monkeypatch, provider, other_provider, officer, officer2, head, auditor, django_user_model
):
    gone_officer = django_user_model.objects.create(username="left_the_akimat")
    for i in range(24):
        make_stage(
            provider if i % 4 else other_provider,
            TUE + dt.timedelta(days=i % 7 - 3),
            assignee=[officer, officer2, None, gone_officer][i % 4],
            service=["housing_assistance", "complaint", "housing_certificate"][i % 3],
            stage=["review", "answer", "consideration"][i % 3],
        )
    services.fold_kept_counts(OpenStageCount)
    # churn after the fold: closed, reassigned, one officer's stages all closed, another deleted
    for stage in CaseStage.objects.filter(assignee=officer2)[:3]:
        close(stage)
    CaseStage.objects.filter(assignee=officer, service="complaint").update(assignee=officer2)
    for stage in CaseStage.objects.filter(assignee=officer, closed_at__isnull=True):
        close(stage)
    gone_officer.delete()
    views = [
        (head, {}),
        (auditor, {}),
        (auditor, {"service": "complaint"}),
        (auditor, {"provider_id": provider.pk}),
    ]

    from_counts = [_dashboard(user, **filters) for user, filters in views]
    services.fold_kept_counts(OpenStageCount)
    folded = [_dashboard(user, **filters) for user, filters in views]
    monkeypatch.setattr(selectors, "_summaries_kept", lambda: False)
    from_stages = [_dashboard(user, **filters) for user, filters in views]

    assert from_counts == folded == from_stages
    totals, by_stage, by_officer = from_stages[1]
    assert totals["total"] == 24 - 7
    assert {r["assignee_id"] for r in by_officer} == {officer2.pk, None}  # officer: all closed
    assert all(r["total"] > 0 for r in by_stage + by_officer)


def test_the_dashboard_counts_read_the_kept_rows_not_the_stages(provider, head):
    make_stage(provider, TUE)
    f = selectors.DashboardFilters()
    with CaptureQueriesContext(connection) as queries:
        selectors.open_totals(head, f, DATES)
        selectors.open_by_stage(head, f, DATES)
        selectors.open_by_officer(head, f, DATES)

    sql = [q["sql"] for q in queries.captured_queries]
    assert sum("sla_openstagecount" in q for q in sql) == 3
    assert not any("housing_aid_casestage" in q for q in sql)


@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_neither_wait_on_a_count_nor_lose_one_to_a_fold(provider, officer):
    """A transaction still open holds its appended count; another transition of the same key
    commits meanwhile without waiting (lock_timeout would fail it), and a fold that runs in
    between leaves the uncommitted count for the next fold."""
    first = make_stage(provider, TUE, assignee=officer)

    def long_approval():
        make_stage(provider, TUE, assignee=officer)  # same key, not yet committed
        close(first)

    with held_open(long_approval):
        with without_waiting():
            make_stage(provider, TUE, assignee=officer)
            CaseStage.objects.filter(pk=make_stage(provider, TUE, assignee=officer).pk).delete()
        services.fold_kept_counts(OpenStageCount)
        assert kept() == counted() == {(provider.pk, "housing_assistance", "review", officer.pk, TUE): 2}

    assert kept() == counted() == {(provider.pk, "housing_assistance", "review", officer.pk, TUE): 2}
    services.fold_kept_counts(OpenStageCount)
    assert list(OpenStageCount.objects.values_list("n", flat=True)) == [2]
