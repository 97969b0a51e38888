"""The SLA sweep and everything that changes a notification.

The sweep is two ``INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING`` statements
over the open stages (one for the case notifications, one for the heads' digests): the
deadline states are computed by PostgreSQL from the stored due dates, the unique
constraints on ``Notification`` make a second sweep (or a concurrent one) insert
nothing, and only the rows really inserted get an e-mail task, after commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from housing_aid import registry, workdays
from housing_aid.casework.models import Substitution
from housing_aid.models import CaseStage, StaffProfile
from housing_aid.roles import Role
from housing_aid.sla.deadlines import ReferenceDates
from housing_aid.sla.models import (
    CaseMonthSummary,
    Notification,
    NotificationKind,
    OpenStageCount,
    StageMonthSummary,
)

logger = logging.getLogger(__name__)

# Who hears about an unassigned stage, by service. A case model may say otherwise with
# ``SLA_OFFICER_ROLE``.
DEFAULT_OFFICER_ROLES = {
    "housing_assistance": Role.CASE_OFFICER,
    "housing_certificate": Role.CASE_OFFICER,
    "complaint": Role.COMPLAINTS_OFFICER,
}
# The digest goes out with the first sweep of a working day at or after this local hour.
DIGEST_HOUR = getattr(settings, "SLA_DIGEST_HOUR", 8)
# An e-mail still unsent this long after its notification was written is queued again
# (its task was lost, e.g. the process died between commit and publish).
REQUEUE_AFTER = dt.timedelta(minutes=10)
REQUEUE_WINDOW = dt.timedelta(days=2)
REQUEUE_LIMIT = 1000


@dataclass
class SweepResult:
    today: dt.date
    created: dict[str, int] = field(default_factory=dict)
    requeued: int = 0

    @property
    def total(self) -> int:
        return sum(self.created.values())

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "created": dict(self.created),
            "total": self.total,
            "requeued": self.requeued,
        }


def officer_roles() -> dict[str, str]:
    roles = dict(DEFAULT_OFFICER_ROLES)
    for model in registry.CASE_MODELS:
        role = getattr(model, "SLA_OFFICER_ROLE", None)
        if role:
            roles[model.SERVICE] = role
    return roles


def stage_roles() -> list[tuple[str, str, str]]:
    """(service, stage, role) rows: who hears about an unassigned stage. Stage "" is the
    service's default; a model's ``SLA_STAGE_ROLES`` names roles for particular stages."""
    rows = [(service, "", str(role)) for service, role in officer_roles().items()]
    for model in registry.CASE_MODELS:
        for stage, role in (getattr(model, "SLA_STAGE_ROLES", None) or {}).items():
            rows.append((model.SERVICE, stage, str(role)))
    return rows


def _tables() -> dict[str, str]:
    """Table names, and the few fragments that differ between PostgreSQL and the SQLite
    that ``make run`` uses when no PostgreSQL is configured."""
    through = StaffProfile.providers.through._meta
    postgres = connection.vendor == "postgresql"
    return {
        "empty_json": "'{}'::jsonb" if postgres else "'{}'",
        "json_object": "jsonb_build_object" if postgres else "json_object",
        "now": "%(now)s::timestamptz" if postgres else "%(now)s",
        "stage": CaseStage._meta.db_table,
        "notification": Notification._meta.db_table,
        "profile": StaffProfile._meta.db_table,
        "profile_providers": through.db_table,
        "pp_profile": through.get_field("staffprofile").column,
        "pp_provider": through.get_field("serviceprovider").column,
        "user": get_user_model()._meta.db_table,
        "substitution": Substitution._meta.db_table,
    }


_CASE_NOTIFICATIONS_SQL = """
WITH service_role(service, stage, role) AS (VALUES {role_values}),
due AS (
    SELECT s.content_type_id, s.object_id, s.provider_id, s.service, s.case_number, s.stage,
           s.due_date,
           -- during an absence the substitute hears about the absent officer's cases
           COALESCE((SELECT sb.substitute_id
                       FROM {substitution} sb
                       JOIN {user} su ON su.id = sb.substitute_id AND su.is_active
                      WHERE sb.absent_id = s.assignee_id AND sb.cancelled_at IS NULL
                        AND sb.date_from <= %(today)s AND sb.date_to >= %(today)s
                      ORDER BY sb.created_at DESC, sb.id DESC
                      LIMIT 1), s.assignee_id) AS assignee_id,
           CASE WHEN s.due_date < %(today)s THEN 'overdue'
                WHEN s.due_date = %(today)s THEN 'due_today'
                ELSE 'reminder' END AS kind,
           COALESCE(a.is_active, FALSE) AS assigned
      FROM {stage} s
      LEFT JOIN {user} a ON a.id = s.assignee_id
     WHERE s.closed_at IS NULL AND s.due_date <= %(soon)s
),
recipients AS (
    -- the assigned officer
    SELECT d.content_type_id, d.object_id, d.provider_id, d.service, d.case_number, d.stage,
           d.due_date, d.kind, d.assignee_id AS recipient_id
      FROM due d
     WHERE d.assigned
    UNION ALL
    -- nobody (active) assigned: the officers of the stage's role (else the service's) who
    -- work for the provider, or for every provider
    SELECT d.content_type_id, d.object_id, d.provider_id, d.service, d.case_number, d.stage,
           d.due_date, d.kind, p.user_id
      FROM due d
      JOIN service_role r ON r.service = d.service
                         AND (r.stage = d.stage
                              OR (r.stage = '' AND NOT EXISTS (
                                  SELECT 1 FROM service_role r2 WHERE r2.service = d.service AND r2.stage = d.stage)))
      JOIN {profile} p ON p.role = r.role
      JOIN {user} u ON u.id = p.user_id AND u.is_active
     WHERE NOT d.assigned
       AND (p.all_providers OR EXISTS (
           SELECT 1 FROM {profile_providers} pp WHERE pp.{pp_profile} = p.id AND pp.{pp_provider} = d.provider_id))
    UNION ALL
    -- overdue: escalate to the provider's heads
    SELECT d.content_type_id, d.object_id, d.provider_id, d.service, d.case_number, d.stage,
           d.due_date, 'escalation', p.user_id
      FROM due d
      JOIN {profile_providers} pp ON pp.{pp_provider} = d.provider_id
      JOIN {profile} p ON p.id = pp.{pp_profile} AND p.role = %(head)s
      JOIN {user} u ON u.id = p.user_id AND u.is_active
     WHERE d.kind = 'overdue'
)
INSERT INTO {notification}
       (recipient_id, kind, content_type_id, object_id, provider_id, service, case_number, stage,
        due_date, data, email_skipped, created_at)
SELECT DISTINCT recipient_id, kind, content_type_id, object_id, provider_id, service, case_number,
       stage, due_date, {empty_json}, '', {now}
  FROM recipients
 WHERE TRUE  -- SQLite needs a WHERE before an upsert clause to parse it
ON CONFLICT DO NOTHING
RETURNING id, kind, recipient_id
"""

_DIGEST_SQL = """
INSERT INTO {notification}
       (recipient_id, kind, service, case_number, stage, due_date, data, email_skipped, created_at)
SELECT p.user_id, 'digest', '', '', '', %(today)s,
       {json_object}(
           'overdue', count(*) FILTER (WHERE s.due_date < %(today)s),
           'due_today', count(*) FILTER (WHERE s.due_date = %(today)s),
           'due_soon', count(*) FILTER (WHERE s.due_date > %(today)s)
       ),
       '', {now}
  FROM {profile} p
  JOIN {user} u ON u.id = p.user_id AND u.is_active
  JOIN {profile_providers} pp ON pp.{pp_profile} = p.id
  JOIN {stage} s ON s.provider_id = pp.{pp_provider} AND s.closed_at IS NULL AND s.due_date <= %(soon)s
 WHERE p.role = %(head)s
 GROUP BY p.user_id
ON CONFLICT DO NOTHING
RETURNING id, kind, recipient_id
"""


# The tables of counts the triggers only append to (a row of +1 or -1, never an update, so
# concurrent transitions wait on no count): the fields of a key, and the counted fields. A
# key's counts are the sums of its rows.
KEPT_COUNTS = {
    OpenStageCount: (("provider", "service", "stage", "assignee", "due_date"), ("n",)),
    StageMonthSummary: (("month", "provider", "service", "stage", "officer_id"), ("on_time", "late")),
    CaseMonthSummary: (("month", "provider", "service"), ("on_time", "late")),
}

# Each key's rows become one row (none when its sums are all 0). Only the rows this
# statement deletes are summed, so a row appended meanwhile by a transaction not yet
# committed stays for the next fold.
_FOLD_SQL = """
WITH folded AS (
    DELETE FROM {table} c
     USING (SELECT {grouped} FROM {table} GROUP BY {positions} HAVING count(*) > 1) k
     WHERE {matched}
    RETURNING {returned}
)
INSERT INTO {table} ({key}, {counts})
SELECT {key}, {sums}
  FROM folded
 GROUP BY {key}
HAVING {nonzero}
"""


def _fold_sql(model) -> str:
    key_fields, count_fields = KEPT_COUNTS[model]
    key = [model._meta.get_field(name) for name in key_fields]
    counts = [model._meta.get_field(name).column for name in count_fields]
    # A nullable key column (an unassigned stage's officer, an id) is matched as 0, so that a
    # hash join can match it.
    grouped = [f"COALESCE({f.column}, 0) AS {f.column}" if f.null else f.column for f in key]
    matched = [
        f"COALESCE(c.{f.column}, 0) = k.{f.column}" if f.null else f"c.{f.column} = k.{f.column}" for f in key
    ]
    return _FOLD_SQL.format(
        table=model._meta.db_table,
        grouped=", ".join(grouped),
        positions=", ".join(str(i) for i in range(1, len(key) + 1)),
        matched=" AND ".join(matched),
        returned=", ".join(f"c.{column}" for column in [f.column for f in key] + counts),
        key=", ".join(f.column for f in key),
        counts=", ".join(counts),
        sums=", ".join(f"sum({column})" for column in counts),
        nonzero=" OR ".join(f"sum({column}) <> 0" for column in counts),
    )


def fold_kept_counts(*models) -> dict | None:
    """Fold the rows the triggers appended to these tables of ``KEPT_COUNTS`` (all by
    default) into one row a key, so the dashboards read few rows; one short transaction.
    Returns the rows written for the folded keys, per model; ``None`` when another fold
    holds the lock, or on SQLite (no trigger keeps the counts there)."""
    if connection.vendor != "postgresql":
        return None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext('sla.fold_kept_counts'))")
        if not cursor.fetchone()[0]:
            return None
        folded = {}
        for model in models or KEPT_COUNTS:
            cursor.execute(_fold_sql(model))
            folded[model] = cursor.rowcount
        return folded


def digest_due(now: dt.datetime) -> bool:
    local = timezone.localtime(now)
    return workdays.is_working_day(local.date()) and local.hour >= DIGEST_HOUR


def sweep(now: dt.datetime | None = None, *, send_emails: bool = True) -> SweepResult:
    """One SLA sweep: write the notifications the deadlines call for, once each.

    Reminders to the assignee (to their substitute during an absence; else the provider's officers of the service's role) when a
    stage is due soon (one working day left) and when it is due today; an overdue notice
    when it has passed; an escalation to the provider's heads for an overdue stage; on a
    working day after ``DIGEST_HOUR``, one digest per head. E-mails are queued after
    commit, one task per recipient of a notification really inserted: each recipient gets
    one message listing all their cases, never one message per notification (at national
    scale a head would otherwise receive a thousand escalation e-mails from one sweep).
    Safe to run twice or at once. First it folds the dashboards' counts (``fold_kept_counts``).
    """
    now = now or timezone.now()
    dates = ReferenceDates.on(timezone.localdate(now))
    tables = _tables()
    roles = stage_roles()
    role_values = ", ".join(f"(%(service_{i})s, %(stage_{i})s, %(role_{i})s)" for i in range(len(roles)))
    params = {"today": dates.today, "soon": dates.due_soon_until, "head": Role.HEAD.value, "now": now}
    if connection.vendor == "sqlite":
        # Django keeps SQLite datetimes as naive UTC text.
        params["now"] = now.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    for i, (service, stage, role) in enumerate(roles):
        params[f"service_{i}"], params[f"stage_{i}"], params[f"role_{i}"] = service, stage, role
    fold_kept_counts()  # its own short transaction, before the notifications'
    result = SweepResult(today=dates.today, created=dict.fromkeys(NotificationKind.values, 0))
    inserted: list[int] = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_CASE_NOTIFICATIONS_SQL.format(role_values=role_values, **tables), params)
        rows = cursor.fetchall()
        if digest_due(now):
            cursor.execute(_DIGEST_SQL.format(**tables), params)
            rows += cursor.fetchall()
        recipients: set[int] = set()
        for pk, kind, recipient_id in rows:
            inserted.append(pk)
            recipients.add(recipient_id)
            result.created[kind] += 1
        if send_emails:
            queue_recipient_emails(recipients, now)
            result.requeued = requeue_stale_emails(now, exclude=recipients)
    if result.total:
        logger.info("SLA sweep %s: %s", dates.today, result.created)
    return result


def queue_emails(notification_ids: list[int], now: dt.datetime | None = None) -> None:
    """Queue the e-mails of these notifications: one task per recipient."""
    queue_recipient_emails(
        set(Notification.objects.filter(pk__in=notification_ids).values_list("recipient_id", flat=True)), now
    )


def queue_recipient_emails(recipient_ids, now: dt.datetime | None = None) -> None:
    """One thin task per recipient, published only if the transaction commits. ``now`` (the
    sweep's time) bounds how old a notification the message may list."""
    from housing_aid.sla import tasks

    at = (now or timezone.now()).isoformat()
    for pk in sorted(recipient_ids):
        tasks.send_recipient_email.delay_on_commit(pk, at)


def requeue_stale_emails(now: dt.datetime, exclude=()) -> int:
    """Queue again the recipients of recent e-mails whose task was lost; the rows prevent
    sending twice. Returns the number of recipients queued."""
    stale = set(
        Notification.objects.filter(
            email_sent_at__isnull=True,
            email_skipped="",
            created_at__lt=now - REQUEUE_AFTER,
            created_at__gte=now - REQUEUE_WINDOW,
        )
        .exclude(recipient_id__in=list(exclude))
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()[:REQUEUE_LIMIT]
    )
    queue_recipient_emails(stale, now)
    return len(stale)


# --- e-mail -----------------------------------------------------------------------
def recipient_language(user) -> str:
    profile = getattr(user, "staff", None)
    return (profile.language if profile is not None else None) or settings.LANGUAGE_CODE


def send_notification_email(notification_id: int) -> str:
    """Send the notification's e-mail unless it went already; mark it sent.

    The row is locked while sending, so two workers given the same task send once; an
    SMTP error rolls back and the task retries.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient__staff", "provider")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return "missing"
        if notification.email_sent_at is not None or notification.email_skipped:
            return "done"
        user = notification.recipient
        skipped = _unreachable(user)
        if skipped:
            notification.email_skipped = skipped
            notification.save(update_fields=["email_skipped"])
            return "skipped"
        _send(
            user, lambda: email_context(notification), "sla/email/subject.txt", "sla/email/notification.txt"
        )
        notification.email_sent_at = timezone.now()
        notification.save(update_fields=["email_sent_at"])
        return "sent"


def _unreachable(user) -> str:
    """Why no e-mail can reach the user ("" when one can)."""
    if not user.is_active:
        return "inactive"
    return "" if user.email else "no_address"


def _send(user, context_of, subject_template: str, body_template: str) -> None:
    """Render the message in the recipient's language and send it (errors reach the task,
    which retries)."""
    with translation.override(recipient_language(user)):
        context = context_of()
        subject = " ".join(render_to_string(subject_template, context).split())
        body = render_to_string(body_template, context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()


def send_recipient_email(recipient_id: int, now: dt.datetime | None = None) -> str:
    """One message to a recipient listing every case notification not e-mailed yet
    (reminders, due today, overdue, escalations, the digest); mark them all sent.

    The rows are locked (others' locks skipped), so two workers given the same recipient
    send each notification once; an SMTP error rolls back and the task retries.
    """
    now = now or timezone.now()
    User = get_user_model()
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("provider")
            .filter(
                recipient_id=recipient_id,
                email_sent_at__isnull=True,
                email_skipped="",
                created_at__gte=now - REQUEUE_WINDOW,
            )
            .order_by("due_date", "case_number", "id")
        )
        if not pending:
            return "done"
        user = User.objects.select_related("staff").get(pk=recipient_id)
        ids = [n.pk for n in pending]
        skipped = _unreachable(user)
        if skipped:
            Notification.objects.filter(pk__in=ids).update(email_skipped=skipped)
            return "skipped"
        _send(
            user,
            lambda: recipient_email_context(pending),
            "sla/email/recipient_subject.txt",
            "sla/email/recipient.txt",
        )
        Notification.objects.filter(pk__in=ids).update(email_sent_at=timezone.now())
        return "sent"


def recipient_email_context(notifications: list[Notification]) -> dict:
    from housing_aid.sla.selectors import notification_link, stage_label

    order = [
        NotificationKind.ESCALATION,
        NotificationKind.OVERDUE,
        NotificationKind.DUE_TODAY,
        NotificationKind.REMINDER,
    ]
    sections = []
    for kind in order:
        items = [
            {
                "notification": n,
                "stage_display": stage_label(n.service, n.stage),
                "provider_name": n.provider.name if n.provider_id else "",
                "link": settings.PUBLIC_BASE_URL + notification_link(n),
            }
            for n in notifications
            if n.kind == kind
        ]
        if items:
            sections.append({"kind": kind, "label": NotificationKind(kind).label, "items": items})
    digests = [n for n in notifications if n.kind == NotificationKind.DIGEST]
    return {
        "sections": sections,
        "digest": digests[-1] if digests else None,
        "counts": digests[-1].data if digests else {},
        "total": sum(len(section["items"]) for section in sections),
        "dashboard_link": settings.PUBLIC_BASE_URL + _reverse("sla:dashboard"),
    }


def email_context(notification: Notification) -> dict:
    from housing_aid.sla.selectors import notification_link, stage_label

    return {
        "notification": notification,
        "kind_display": notification.get_kind_display(),
        "stage_display": stage_label(notification.service, notification.stage),
        "provider_name": notification.provider.name if notification.provider_id else "",
        "link": settings.PUBLIC_BASE_URL + notification_link(notification),
        "dashboard_link": settings.PUBLIC_BASE_URL + _reverse("sla:dashboard"),
        "counts": notification.data,
    }


def _reverse(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


# --- in-app ---------------------------------------------------------------------
def mark_read(user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    qs = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
