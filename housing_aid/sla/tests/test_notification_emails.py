"""E-mails: in the recipient's language, sent once, retried safely after an SMTP error."""

from __future__ import annotations

import datetime as dt
import smtplib

import pytest
import time_machine
from django.core import mail

from housing_aid.sla import services, tasks
from housing_aid.sla.models import Notification

from .conftest import at, make_stage

pytestmark = pytest.mark.django_db

TUE = dt.date(2025, 6, 17)


def sweep():
    with time_machine.travel(at(TUE), tick=False):
        return services.sweep(send_emails=False)


def with_email(user, language="ru"):
    user.email = f"{user.username}@example.kz"
    user.save()
    user.staff.language = language
    user.staff.save()
    return user


def test_email_is_in_the_recipients_language(provider, officer, officer2):
    with_email(officer, "kk")
    with_email(officer2, "ru")
    stage = make_stage(provider, dt.date(2025, 6, 16))  # unassigned, overdue: both officers
    sweep()

    for notification in Notification.objects.filter(kind="overdue"):
        tasks.send_notification_email.delay(notification.pk)

    by_address = {m.to[0]: m for m in mail.outbox}
    kk, ru = by_address["officer@example.kz"], by_address["officer2@example.kz"]
    assert stage.case_number in kk.subject and stage.case_number in ru.subject
    assert "мерзімі өтті" in kk.body.lower() or "мерзім" in kk.body.lower()
    assert "просроч" in ru.body.lower()
    assert "16.06.2025" in ru.body


def test_sending_twice_sends_once(provider, officer):
    with_email(officer)
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    sweep()
    pk = Notification.objects.get().pk

    assert tasks.send_notification_email.delay(pk).get() == "sent"
    assert tasks.send_notification_email.delay(pk).get() == "done"
    assert len(mail.outbox) == 1


def test_smtp_failure_leaves_it_unsent_and_a_retry_sends_it(provider, officer, monkeypatch):
    with_email(officer)
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    sweep()
    notification = Notification.objects.get()

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.send_notification_email(notification.pk)
    notification.refresh_from_db()
    assert notification.email_sent_at is None
    monkeypatch.undo()

    assert services.send_notification_email(notification.pk) == "sent"
    assert len(mail.outbox) == 1


def test_user_without_address_is_skipped_but_keeps_the_in_app_notification(provider, officer):
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    sweep()
    notification = Notification.objects.get()

    assert services.send_notification_email(notification.pk) == "skipped"
    notification.refresh_from_db()
    assert notification.email_skipped == "no_address" and notification.read_at is None
    assert mail.outbox == []


def test_lost_email_tasks_are_queued_again_by_a_later_sweep(
    provider, officer, django_capture_on_commit_callbacks
):
    with_email(officer)
    make_stage(provider, dt.date(2025, 6, 18), assignee=officer)
    sweep()  # the tasks were "lost": nothing sent

    with time_machine.travel(at(TUE, hour=11), tick=False), django_capture_on_commit_callbacks(execute=True):
        result = services.sweep()

    assert result.total == 0 and result.requeued == 1
    assert len(mail.outbox) == 1


def test_task_retry_backoff_stays_under_half_the_visibility_timeout(settings):
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    for task in (tasks.sla_sweep, tasks.send_notification_email):
        assert task.acks_late
        assert task.retry_backoff_max <= timeout / 2
