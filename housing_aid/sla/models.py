"""Notifications the SLA sweep writes: one row per (case, stage, kind, due date, recipient).

The unique constraint is what makes a notification happen once: the sweep inserts with
``ON CONFLICT DO NOTHING`` and only the rows it really inserted get an e-mail task.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from housing_aid.models import ServiceProvider


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Due soon: one working day left")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    ESCALATION = "escalation", _("Escalation: overdue case")
    DIGEST = "digest", _("Daily digest")


CASE_KINDS = (
    NotificationKind.REMINDER,
    NotificationKind.DUE_TODAY,
    NotificationKind.OVERDUE,
    NotificationKind.ESCALATION,
)


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification, and the e-mail sent for it.

    Case notifications name the case and stage; the daily digest names only the day
    (``due_date``) and carries its counts in ``data``.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sla_notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("case type")
    )
    object_id = models.PositiveBigIntegerField(_("case id"), null=True, blank=True)
    provider = models.ForeignKey(
        ServiceProvider,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service provider"),
    )
    service = models.CharField(_("service"), max_length=32, blank=True)
    case_number = models.CharField(_("case number"), max_length=40, blank=True)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    due_date = models.DateField(_("due date"))
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mail sent at"), null=True, blank=True)
    email_skipped = models.CharField(_("e-mail not sent because"), max_length=64, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "stage", "kind", "due_date", "recipient"],
                condition=~Q(kind="digest"),
                name="notification_once_per_case_stage_kind_due_recipient",
            ),
            models.UniqueConstraint(
                fields=["recipient", "due_date"],
                condition=Q(kind="digest"),
                name="notification_one_digest_per_recipient_and_day",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_recipient_newest"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.case_number or self.due_date} -> {self.recipient}"


class MonthSummary(models.Model):
    """What closed in a month at a provider, in a service: on time or late.

    Kept by PostgreSQL triggers (a close, or its undoing, adds or takes back its count), so
    the dashboard reads a few hundred rows whatever the history.
    """

    month = models.DateField()
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    service = models.CharField(max_length=32)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.what()}: {self.on_time} on time, {self.late} late"

    def what(self) -> str:
        return self.service


class StageMonthSummary(MonthSummary):
    """Stages closed per month, provider, service, stage and officer (trigger on the stage
    table: a stage closed, reopened or moved counts). ``officer_id`` is 0 for an unassigned stage.
    """

    stage = models.CharField(max_length=40)
    officer_id = models.BigIntegerField(default=0)

    class Meta:
        # Append-only (migration 0005): a key's counts are the sums of its rows.
        indexes = [
            models.Index(
                fields=["month", "provider", "service", "stage", "officer_id"],
                name="stagemonthsummary_by_key",
            )
        ]

    def what(self) -> str:
        return f"{self.service} {self.stage}"


class CaseMonthSummary(MonthSummary):
    """Cases closed per month, provider and service, on or before their due date or late
    (triggers on the case tables)."""

    class Meta:
        # Append-only (migration 0005): a key's counts are the sums of its rows.
        indexes = [models.Index(fields=["month", "provider", "service"], name="casemonthsummary_by_key")]


class OpenStageCount(models.Model):
    """Open stages counted per provider, service, stage, officer and due date: the dashboards
    read a few rows per provider and due date, however large the open caseload.

    Append-only for the writers: a PostgreSQL trigger on the stage table adds a row of +1
    when a stage opens (or takes this key by a reassignment or a new due date) and of -1
    when it closes, leaves the key or is deleted; it never updates a row, so concurrent
    transitions wait on no count. The SLA sweep folds the rows of a key into one
    (``services.fold_kept_counts``). A key's count is the sum of its ``n``.
    """

    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    service = models.CharField(max_length=32)
    stage = models.CharField(max_length=40)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    due_date = models.DateField()
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["provider", "due_date"], name="openstagecount_provider_due")]

    def __str__(self) -> str:
        return f"{self.service} {self.stage} due {self.due_date}: {self.n:+d}"
