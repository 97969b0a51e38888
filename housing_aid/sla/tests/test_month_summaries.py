"""The monthly on-time / late summaries the database keeps (``StageMonthSummary``,
``CaseMonthSummary``): appended (+1/-1) by the triggers, they follow every stage and case
that closes, is reopened, moves or is deleted; the sweep folds them to one row a key; the
dashboard reads the same months from them as from the rows; and concurrent closings on
the same summary key neither wait for each other nor lose a count to a fold."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest
from django.db.models import Sum
from django.utils import timezone

from complaints.models import Complaint
from housing_aid.models import CaseStage
from housing_aid.sla import selectors, services
from housing_aid.sla.models import CaseMonthSummary, StageMonthSummary
from housing_aid.sla.tests.concurrency import held_open, without_waiting

from .conftest import make_stage

pytestmark = pytest.mark.django_db

STAGE_KEY = ("month", "provider_id", "service", "stage", "officer_id")
CASE_KEY = ("month", "provider_id", "service")
MAY, JUNE = dt.date(2025, 5, 1), dt.date(2025, 6, 1)
_numbers = itertools.count(1)


def kept(model, key) -> dict:
    """The summary as the database keeps it: on time and late summed per key, keys summing to
    nothing left out."""
    rows = model.objects.values(*key).annotate(on_time_=Sum("on_time"), late_=Sum("late"))
    return {
        tuple(r[k] for k in key): (r["on_time_"], r["late_"]) for r in rows if r["on_time_"] or r["late_"]
    }


def counted_stages() -> dict:
    """The closed stages counted one by one."""
    out = Counter()
    for closed_on, due, *key in CaseStage.objects.filter(closed_on__isnull=False).values_list(
        "closed_on", "due_date", "provider_id", "service", "stage", "assignee_id"
    ):
        provider_id, service, stage, officer = key
        out[(closed_on.replace(day=1), provider_id, service, stage, officer or 0, closed_on <= due)] += 1
    return _on_time_late(out)


def counted_cases() -> dict:
    """The closed complaints counted one by one (closed on the local day)."""
    out = Counter()
    rows = Complaint.objects.filter(closed_at__isnull=False, due_date__isnull=False)
    for closed_at, due, provider_id in rows.values_list("closed_at", "due_date", "provider_id"):
        day = timezone.localdate(closed_at)
        out[(day.replace(day=1), provider_id, "complaint", day <= due)] += 1
    return _on_time_late(out)


def _on_time_late(counter: Counter) -> dict:
    out: dict = {}
    for (*key, on_time), n in counter.items():
        early, late = out.get(tuple(key), (0, 0))
        out[tuple(key)] = (early + n, late) if on_time else (early, late + n)
    return out


def consistent() -> bool:
    return kept(StageMonthSummary, STAGE_KEY) == counted_stages() and kept(CaseMonthSummary, CASE_KEY) == (
        counted_cases()
    )


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def close(stage: CaseStage, day: dt.date) -> None:
    """As ``housing_aid.cases.close_stages`` does it: one UPDATE."""
    CaseStage.objects.filter(pk=stage.pk).update(closed_at=noon(day), closed_on=day)


def complaint(provider, due_date: dt.date, closed_on: dt.date | None = None) -> Complaint:
    """A complaint row written directly (the service writes it through the runner)."""
    n = next(_numbers)
    return Complaint.objects.create(
        number=f"CM-{provider.code}-2025-{n:05d}",
        provider=provider,
        received_at=noon(due_date - dt.timedelta(days=10)),
        due_date=due_date,
        closed_at=noon(closed_on) if closed_on else None,
        addressee="service_provider",
        channel="office",
        complainant_last_name="Ахметов",
        complainant_first_name="Ержан",
        complainant_postal_address="Алматы",
        text="Жалоба",
        answer_term_days=15,
    )


def close_case(case: Complaint, day: dt.date | None) -> None:
    Complaint.objects.filter(pk=case.pk).update(closed_at=noon(day) if day else None)


def test_summaries_follow_stages_and_cases_that_close_reopen_move_and_are_deleted(
    provider, other_provider, officer, officer2
):
    a = make_stage(provider, dt.date(2025, 5, 20), assignee=officer)
    b = make_stage(provider, dt.date(2025, 5, 20), assignee=officer)
    c = make_stage(other_provider, dt.date(2025, 6, 10), service="complaint", stage="answer")
    done = make_stage(provider, dt.date(2025, 5, 14), closed_on=dt.date(2025, 5, 15), assignee=officer)
    x = complaint(provider, dt.date(2025, 5, 20))
    y = complaint(provider, dt.date(2025, 5, 20), closed_on=dt.date(2025, 5, 21))
    assert consistent() and StageMonthSummary.objects.count() == CaseMonthSummary.objects.count() == 1

    steps = [
        lambda: close(a, dt.date(2025, 5, 19)),  # on time
        lambda: close(b, dt.date(2025, 6, 2)),  # late, the next month
        lambda: close(c, dt.date(2025, 6, 10)),
        lambda: CaseStage.objects.filter(pk=a.pk).update(assignee=officer2),  # closed, reassigned
        lambda: CaseStage.objects.filter(pk=b.pk).update(due_date=dt.date(2025, 6, 30)),  # now on time
        lambda: CaseStage.objects.filter(pk=c.pk).update(provider=provider, stage="registration"),
        lambda: CaseStage.objects.filter(pk=done.pk).update(closed_at=None, closed_on=None),  # reopened
        lambda: CaseStage.objects.filter(pk=a.pk).delete(),  # a closed stage deleted
        lambda: close_case(x, dt.date(2025, 5, 20)),  # on time
        lambda: close_case(y, None),  # reopened
        lambda: close_case(y, dt.date(2025, 6, 3)),  # closed again, late, the next month
        lambda: Complaint.objects.filter(pk=x.pk).update(provider=other_provider),
        lambda: Complaint.objects.filter(pk=y.pk).update(due_date=dt.date(2025, 6, 5)),  # now on time
        lambda: Complaint.objects.filter(pk=x.pk).delete(),
    ]
    for step in steps:
        step()
        assert consistent()

    assert counted_stages() == {
        (JUNE, provider.pk, "housing_assistance", "review", officer.pk): (1, 0),
        (JUNE, provider.pk, "complaint", "registration", 0): (1, 0),
    }
    assert counted_cases() == {(JUNE, provider.pk, "complaint"): (1, 0)}
    # the triggers appended, never updated: a row for each count taken or given
    assert StageMonthSummary.objects.count() > 4 and CaseMonthSummary.objects.count() > 4


def test_the_sweep_folds_a_keys_rows_into_one_and_drops_the_keys_gone_to_zero(provider, officer):
    stages = [make_stage(provider, dt.date(2025, 5, 10 + i % 3), assignee=officer) for i in range(9)]
    for stage in stages:
        close(stage, dt.date(2025, 5, 11))  # on time or late by the due date
    gone = make_stage(provider, dt.date(2025, 4, 2), service="complaint", stage="answer")
    close(gone, dt.date(2025, 4, 2))
    CaseStage.objects.filter(pk=gone.pk).delete()  # April's key sums to nothing
    for i in range(4):
        close_case(complaint(provider, dt.date(2025, 6, 5)), dt.date(2025, 6, 4 + i))
    stage_rows, case_rows = kept(StageMonthSummary, STAGE_KEY), kept(CaseMonthSummary, CASE_KEY)
    assert (StageMonthSummary.objects.count(), CaseMonthSummary.objects.count()) == (11, 4)

    services.sweep(noon(dt.date(2025, 6, 17)))

    assert consistent() and stage_rows == kept(StageMonthSummary, STAGE_KEY)
    assert case_rows == kept(CaseMonthSummary, CASE_KEY) == {(JUNE, provider.pk, "complaint"): (2, 2)}
    assert (StageMonthSummary.objects.count(), CaseMonthSummary.objects.count()) == (1, 1)
    assert services.fold_kept_counts() == dict.fromkeys(services.KEPT_COUNTS, 0)  # nothing left


def test_compliance_by_month_reads_the_same_from_the_summaries_as_from_the_rows(
    monkeypatch, provider, other_provider, officer, officer2, head, auditor
):
    for i in range(24):
        due = dt.date(2025, 4 + i % 3, 10)
        make_stage(
            provider if i % 4 else other_provider,
            due,
            closed_on=due + dt.timedelta(days=i % 5 - 2),
            assignee=[officer, officer2, None][i % 3],
            service=["housing_assistance", "complaint"][i % 2],
        )
        close_case(complaint(provider if i % 3 else other_provider, due), due + dt.timedelta(days=i % 4 - 1))
    services.fold_kept_counts()
    # churn after the fold: reopened, closed again late, deleted
    for stage in CaseStage.objects.filter(assignee=officer2)[:3]:
        CaseStage.objects.filter(pk=stage.pk).update(closed_at=None, closed_on=None)
    for stage in CaseStage.objects.filter(assignee=officer)[:2]:
        close(stage, dt.date(2025, 6, 28))
    Complaint.objects.filter(pk__in=Complaint.objects.values("pk")[:2]).delete()
    views = [
        (head, {}),
        (auditor, {}),
        (auditor, {"service": "complaint"}),
        (auditor, {"provider_id": other_provider.pk}),
    ]

    def compliance(user, **filters):
        f = selectors.DashboardFilters(
            month_from=dt.date(2025, 3, 1), month_to=dt.date(2025, 7, 1), **filters
        )
        return (
            selectors.compliance_series(selectors.stage_compliance_by_month(user, f), f),
            selectors.compliance_series(selectors.case_compliance_by_month(user, f), f),
        )

    from_summaries = [compliance(user, **filters) for user, filters in views]
    services.fold_kept_counts()
    folded = [compliance(user, **filters) for user, filters in views]
    monkeypatch.setattr(selectors, "_summaries_kept", lambda: False)
    from_rows = [compliance(user, **filters) for user, filters in views]

    assert from_summaries == folded == from_rows
    stages, cases = from_rows[1]
    assert sum(m["total"] for m in stages) == 24 - 3 and sum(m["total"] for m in cases) == 24 - 2
    assert all(m["late"] for m in stages[1:4]) and all(m["on_time"] for m in cases[1:4])


@pytest.mark.django_db(transaction=True)
def test_concurrent_closings_on_the_same_keys_neither_wait_nor_lose_a_count_to_a_fold(provider, officer):
    """A transaction still open has closed stages and a case on two stage keys and one case
    key; another closes stages on the same keys in the opposite order, and a case, and
    commits meanwhile without waiting (lock_timeout would fail it; the upserts of 0003
    waited here, or deadlocked); a fold in between leaves the uncommitted counts for the
    next fold."""
    may, june = dt.date(2025, 5, 20), dt.date(2025, 6, 20)
    mine = [make_stage(provider, day, assignee=officer) for day in (may, june, may, june)]
    cases = [complaint(provider, june) for _ in range(2)]

    def long_approval():
        close(mine[0], may)
        close(mine[1], june)
        close_case(cases[0], june)

    with held_open(long_approval):
        with without_waiting():
            close(mine[3], june)  # the opposite order
            close(mine[2], may)
            close_case(cases[1], june)
        services.fold_kept_counts()
        assert consistent()
        assert kept(StageMonthSummary, STAGE_KEY) == {
            (MAY, provider.pk, "housing_assistance", "review", officer.pk): (1, 0),
            (JUNE, provider.pk, "housing_assistance", "review", officer.pk): (1, 0),
        }

    assert consistent()
    assert kept(CaseMonthSummary, CASE_KEY) == {(JUNE, provider.pk, "complaint"): (2, 0)}
    services.fold_kept_counts()
    assert sorted(StageMonthSummary.objects.values_list("on_time", "late")) == [(2, 0), (2, 0)]
    assert list(CaseMonthSummary.objects.values_list("on_time", "late")) == [(2, 0)]
