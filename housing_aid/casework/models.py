"""Working the cases (API.md "Working the cases"): internal notes, absences with a
substitute, and the messages that tell the applicant."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from housing_aid.models import AppendOnly, CaseRow, ServiceProvider


class CaseNote(CaseRow, AppendOnly):
    """An internal note on a case: staff of the provider only; never printed, never shown
    to the applicant or the portal."""

    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(_("case"), max_length=40)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"{self.case_number}: {self.text[:40]}"


class SubstitutionQuerySet(models.QuerySet):
    def in_force(self, on):
        return self.filter(date_from__lte=on, date_to__gte=on, cancelled_at__isnull=True)


class Substitution(models.Model):
    """An absence: from ``date_from`` to ``date_to`` (inclusive) the absent member's open
    cases show on the substitute's worklist and their reminders go to the substitute."""

    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, related_name="+", verbose_name=_("service provider")
    )
    absent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="absences", verbose_name=_("absent")
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="substitutions",
        verbose_name=_("substitute"),
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by")
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = SubstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["-date_from", "-id"]
        indexes = [models.Index(fields=["substitute", "date_from", "date_to"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__gte=F("date_from")), name="substitution_dates_ordered"
            ),
            models.CheckConstraint(condition=~Q(absent=F("substitute")), name="substitution_not_self"),
        ]
        verbose_name = _("absence and substitute")
        verbose_name_plural = _("absences and substitutes")

    def __str__(self) -> str:
        return f"{self.absent} -> {self.substitute} ({self.date_from}..{self.date_to})"


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed, will retry")
    NO_ADDRESS = "no_address", _("no address to send to")


class ApplicantMessage(models.Model):
    """One message to the applicant about one thing that happened, per channel.

    The unique (key, channel) row makes the message exactly-once however often its task
    runs; the task claims the row before sending, so two workers never both send it.
    """

    key = models.CharField(max_length=80)
    channel = models.CharField(max_length=8, choices=MessageChannel.choices)
    kind = models.CharField(max_length=32)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    provider = models.ForeignKey(ServiceProvider, on_delete=models.PROTECT, related_name="+")
    case_number = models.CharField(max_length=40)
    language = models.CharField(max_length=8, default="ru")
    recipient = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["key", "channel"], name="applicant_message_once")]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("message to the applicant")
        verbose_name_plural = _("messages to applicants")

    def __str__(self) -> str:
        return f"{self.case_number} {self.kind} {self.channel}"


class SavedFilter(models.Model):
    """A worklist's filters saved by name, per user and service (the query string as it was)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    service = models.CharField(_("service"), max_length=32)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "service", "name"], name="saved_filter_name_once")
        ]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")

    def __str__(self) -> str:
        return self.name
