"""The sweep writes each reminder, overdue notice, escalation and digest once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from housing_aid.sla import services
from housing_aid.sla.models import Notification

from .conftest import at, make_stage

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU = (dt.date(2025, 6, 16) + dt.timedelta(days=i) for i in range(4))


def sweep_on(day: dt.date, hour: int = 10, **kwargs):
    with time_machine.travel(at(day, hour), tick=False):
        return services.sweep(**kwargs)


def kinds_for(user) -> list[tuple[str, str, dt.date]]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", "case_number", "due_date"))


def test_assignee_is_reminded_day_before_on_the_day_and_when_overdue(
    provider, officer, officer2, head, other_head
):
    stage = make_stage(provider, WED, assignee=officer)

    sweep_on(MON)
    assert kinds_for(officer) == []
    assert Notification.objects.filter(kind__in=["reminder", "escalation"]).count() == 0
    sweep_on(TUE)
    assert kinds_for(officer) == [("reminder", stage.case_number, WED)]
    sweep_on(WED)
    sweep_on(THU)

    assert [k for k, _n, _d in kinds_for(officer)] == ["due_today", "overdue", "reminder"]
    assert kinds_for(officer2) == []  # assigned: the colleague is not bothered
    assert [k for k, *_ in kinds_for(head)] == ["digest", "digest", "digest", "escalation"]
    assert kinds_for(other_head) == []  # another provider's head


def test_second_sweep_writes_and_sends_nothing(provider, officer, head, django_capture_on_commit_callbacks):
    officer.email, head.email = "officer@example.kz", "head@example.kz"
    officer.save()
    head.save()
    make_stage(provider, MON, assignee=officer)
    make_stage(provider, WED, assignee=officer)

    with django_capture_on_commit_callbacks(execute=True):
        first = sweep_on(TUE)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = sweep_on(TUE)

    assert first.created == {"reminder": 1, "due_today": 0, "overdue": 1, "escalation": 1, "digest": 1}
    assert second.total == 0 and callbacks == []
    assert Notification.objects.count() == 4
    # One message per recipient listing their cases: the officer's reminder and overdue
    # notice in one, the head's escalation and digest in another.
    assert sent == 2 and len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["head@example.kz", "officer@example.kz"]
    officer_mail = next(m for m in mail.outbox if m.to == ["officer@example.kz"])
    assert officer_mail.body.count(provider.name) == 2
    assert Notification.objects.filter(email_sent_at__isnull=True).count() == 0


def test_a_head_gets_one_message_for_many_escalations(
    provider, officer, head, django_capture_on_commit_callbacks
):
    head.email = "head@example.kz"
    head.save()
    stages = [make_stage(provider, MON, assignee=officer) for _ in range(30)]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = sweep_on(TUE)

    assert result.created["escalation"] == 30
    to_head = [m for m in mail.outbox if m.to == ["head@example.kz"]]
    assert len(to_head) == 1
    assert all(stage.case_number in to_head[0].body for stage in stages)
    assert len(callbacks) == 2  # one task per recipient (officer without e-mail, head)


def test_unassigned_stage_goes_to_the_provider_officers_of_the_service_role(
    provider, officer, officer2, complaints_officer, other_officer
):
    ha = make_stage(provider, WED, service="housing_assistance")
    hc = make_stage(provider, WED, service="housing_certificate", stage="consideration")
    cm = make_stage(provider, WED, service="complaint", stage="answer")

    sweep_on(TUE)

    assert {n for _k, n, _d in kinds_for(officer)} == {ha.case_number, hc.case_number}
    assert {n for _k, n, _d in kinds_for(officer2)} == {ha.case_number, hc.case_number}
    assert {n for _k, n, _d in kinds_for(complaints_officer)} == {cm.case_number}
    assert kinds_for(other_officer) == []  # another provider's officer


def test_inactive_assignee_falls_back_to_the_provider_officers(provider, officer, officer2):
    officer.is_active = False
    officer.save()
    make_stage(provider, WED, assignee=officer)

    sweep_on(TUE)

    assert kinds_for(officer) == []
    assert [k for k, *_ in kinds_for(officer2)] == ["reminder"]


def test_closed_and_far_stages_are_left_alone(provider, officer):
    make_stage(provider, MON, assignee=officer, closed_on=MON)
    make_stage(provider, dt.date(2025, 6, 30), assignee=officer)

    result = sweep_on(TUE)

    assert result.total == 0


def test_a_new_due_date_is_a_new_reminder(provider, officer):
    """A stage sent back and reopened with another due date is reminded again."""
    stage = make_stage(provider, WED, assignee=officer)
    sweep_on(TUE)
    stage.due_date = THU
    stage.save()

    sweep_on(WED)

    assert [(k, d) for k, _n, d in kinds_for(officer)] == [("reminder", WED), ("reminder", THU)]


def test_digest_once_a_working_day_after_eight_for_heads_only(provider, head, other_head, officer):
    make_stage(provider, MON, assignee=officer)
    make_stage(provider, TUE, assignee=officer)
    saturday = dt.date(2025, 6, 21)

    sweep_on(TUE, hour=7)
    assert Notification.objects.filter(kind="digest").count() == 0
    sweep_on(TUE, hour=9)
    sweep_on(TUE, hour=15)
    sweep_on(saturday)

    digest = Notification.objects.get(kind="digest")
    assert digest.recipient == head and digest.due_date == TUE
    assert digest.data == {"overdue": 1, "due_today": 1, "due_soon": 0}


def test_sweep_query_count_does_not_grow_with_cases(
    provider, officer, head, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    for i in range(5):
        make_stage(provider, MON + dt.timedelta(days=i % 3), assignee=officer if i % 2 else None)
    # 8, and the fold of the kept counts in its own savepoint (lock, one fold per table:
    # open-stage counts, stage and case monthly summaries)
    with django_assert_max_num_queries(14) as five:
        sweep_on(TUE)
    for i in range(50):
        make_stage(provider, MON + dt.timedelta(days=i % 3), assignee=officer if i % 2 else None)

    with django_assert_max_num_queries(len(five.captured_queries)):
        result = sweep_on(TUE)

    assert result.created["reminder"] > 10


def test_sla_sweep_command_runs_one_sweep(provider, officer, capsys):
    make_stage(provider, WED, assignee=officer)

    with time_machine.travel(at(TUE), tick=False):
        call_command("sla_sweep")
        call_command("sla_sweep")

    out = capsys.readouterr().out
    assert "1 notification(s) written" in out and "0 notification(s) written" in out
    assert Notification.objects.count() == 1


def test_beat_schedule_exists_and_names_a_registered_task(db):
    from django_celery_beat.models import PeriodicTask

    from housing_aid.celery import app
    from housing_aid.sla import demo

    demo.seed_demo(with_cases=False)  # idempotent next to the migration's row
    task = PeriodicTask.objects.get(name="SLA sweep")

    assert task.enabled and task.interval.every == 5 and task.interval.period == "minutes"
    assert task.task in app.tasks
    assert PeriodicTask.objects.filter(task=task.task).count() == 1
