"""The case base every service shares: numbering, the state-machine transition
service, the event log and stage deadlines.

Every state change goes through :func:`run_transition`: it locks the row, checks
the state (409) and the user's permission (403), applies the transition, saves
with django-fsm's optimistic check, writes the event row and schedules side
effects after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, can_proceed

from housing_aid import roles
from housing_aid.models import CaseEvent, CaseNumberSequence, CaseStage, ServiceProvider, user_reference


class CaseConflict(Exception):
    """The current state does not allow the action (HTTP 409)."""

    def __init__(self, case, detail, code: str = "invalid_transition", user=None):
        super().__init__(str(detail))
        self.case = case
        self.detail = detail
        self.code = code
        self.user = user


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The cases of the user's providers; nothing for users without a staff role."""
        if user is None or not user.is_authenticated:
            return self.none()
        role = roles.role_of(user)
        if role is None:
            return self.none()
        if role == roles.Role.PORTAL:
            return self.filter(created_by=user)
        ids = roles.provider_ids_for(user)
        if ids is None:
            return self
        return self.filter(provider_id__in=ids)


class Case(ConcurrentTransitionMixin, models.Model):
    """Abstract base of applications, certificate requests and complaints.

    Subclasses declare ``status = FSMField(..., protected=True)``, ``SERVICE`` and
    ``NUMBER_SERIES``, and the IIN lookup used by the public status page.
    """

    SERVICE: str = ""
    NUMBER_SERIES: str = ""
    # Lookup (relative to the case) that yields the applicant's IIN, for the status endpoint.
    STATUS_IIN_LOOKUP: str = ""
    # The case page (notifications, linked cases and the dashboard link to it).
    DETAIL_URL_NAME: str = ""
    # The issued documents the applicant comes for (para 10): issuing one tells the applicant
    # that the documents are ready (housing_aid.casework.notify).
    RESULT_DOCUMENT_KINDS: tuple[str, ...] = ()
    # The names of the service's stages (code -> label): its screens, the dashboards and the
    # notifications read them here (housing_aid.sla.selectors.stage_label).
    STAGE_LABELS: dict = {}

    number = models.CharField(_("number"), max_length=40, unique=True, editable=False)
    provider = models.ForeignKey(
        ServiceProvider, on_delete=models.PROTECT, verbose_name=_("service provider")
    )
    received_at = models.DateTimeField(_("received at"))
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    stage_due_date = models.DateField(_("stage due date"), null=True, blank=True)
    assignee = user_reference(_("executor"))
    language = models.CharField(
        _("language of documents"), max_length=8, default="ru", choices=settings.LANGUAGES
    )
    created_by = user_reference(_("created by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse(self.DETAIL_URL_NAME, args=[self.pk])

    # -- helpers the services and serializers use -----------------------------
    def events(self):
        ct = ContentType.objects.get_for_model(type(self))
        return CaseEvent.objects.filter(content_type=ct, object_id=self.pk).select_related("actor__staff")

    def available_transitions_for(self, user) -> list[str]:
        return [t.name for t in self.get_available_user_status_transitions(user)]  # type: ignore[attr-defined]

    # -- what the applicant sees: the status page and ``GET /api/v1/status/`` (API.md) --
    def public_status_labels(self) -> dict:
        """How the applicant is told each status: the status field's labels."""
        return dict(self._meta.get_field("status").flatchoices)

    def public_steps(self) -> list[dict]:
        """The steps the applicant sees: every change of status (notes that leave the status
        alone, such as an assignment, are internal)."""
        labels = self.public_status_labels()
        return [
            {"status": e.to_state, "at": e.at, "label": labels.get(e.to_state, e.to_state)}
            for e in self.events()
            if e.from_state != e.to_state
        ]

    def public_status(self) -> dict:
        """No personal data beyond the status line."""
        return {
            "number": self.number,
            "service": self.SERVICE,
            "status": self.status,
            "status_display": str(self.public_status_labels().get(self.status, self.status)),
            "due_date": self.due_date.isoformat() if self.due_date else None,
            # Written as every date-time of the API is (local time with its offset).
            "history": [
                {"status": s["status"], "at": timezone.localtime(s["at"]).isoformat()}
                for s in self.public_steps()
            ],
        }


def next_number(provider: ServiceProvider, series: str, year: int) -> str:
    """A human-readable number unique per provider and year: ``HA-751110000-2025-00042``.

    The sequence row is locked, so two clerks registering at once get two numbers.
    """
    with transaction.atomic():
        seq, _created = CaseNumberSequence.objects.select_for_update().get_or_create(
            provider=provider, series=series, year=year
        )
        CaseNumberSequence.objects.filter(pk=seq.pk).update(last_value=F("last_value") + 1)
        seq.refresh_from_db(fields=["last_value"])
        return f"{series}-{provider.code}-{year}-{seq.last_value:05d}"


def case_columns(case: Case) -> dict[str, Any]:
    """The columns by which a kernel row (event, stage, note, issued document, signing session)
    names its case: its type and id, its provider (the scope every lookup goes through) and
    its number as the row shows it."""
    return {
        "content_type": ContentType.objects.get_for_model(type(case)),
        "object_id": case.pk,
        "provider_id": case.provider_id,
        "case_number": case.number,
    }


def record_event(
    case: Case,
    transition: str,
    from_state: str,
    to_state: str,
    user=None,
    reason: str = "",
    data: dict | None = None,
    at: dt.datetime | None = None,
) -> CaseEvent:
    event = CaseEvent.objects.create(
        **case_columns(case),
        service=case.SERVICE,
        transition=transition,
        from_state=from_state or "",
        to_state=to_state,
        actor=user if user is not None and user.is_authenticated else None,
        actor_name=(user.get_username() if user is not None and user.is_authenticated else "system"),
        reason=reason or "",
        data=data or {},
        at=at or timezone.now(),
    )
    from housing_aid import casepage
    from housing_aid.casework import notify

    casepage.changed(case)
    notify.event_recorded(case, event)
    return event


def open_stage(case: Case, stage: str, started_on: dt.date, due_date: dt.date, assignee=None) -> CaseStage:
    """Close the case's open stages and open ``stage`` (one the case's model names in
    ``STAGE_LABELS``); mirrors its due date on the case."""
    if stage not in type(case).STAGE_LABELS:
        raise ValueError(f"{type(case).__name__} names no stage {stage!r} in its STAGE_LABELS")
    close_stages(case)
    case.stage_due_date = due_date
    type(case).objects.filter(pk=case.pk).update(stage_due_date=due_date)
    return CaseStage.objects.create(
        **case_columns(case),
        service=case.SERVICE,
        stage=stage,
        started_on=started_on,
        due_date=due_date,
        assignee=assignee if assignee is not None else case.assignee,
    )


def close_stages(case: Case, *, closed_on: dt.date | None = None, final: bool = False) -> int:
    """Close the case's open stages; with ``final`` the case leaves every worklist deadline."""
    now = timezone.now()
    count = CaseStage.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk, closed_at__isnull=True
    ).update(closed_at=now, closed_on=closed_on or timezone.localdate(now))
    if final:
        case.stage_due_date = None
        case.closed_at = now
        type(case).objects.filter(pk=case.pk).update(stage_due_date=None, closed_at=now)
    return count


def reassign_open_stage(case: Case, assignee) -> None:
    CaseStage.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk, closed_at__isnull=True
    ).update(assignee=assignee)


def _transition_method(case: Case, name: str):
    method = getattr(case, name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise CaseConflict(
            case, _("Unknown transition: %(name)s") % {"name": name}, code="unknown_transition"
        )
    return method


def user_may_ever(case: Case, name: str, user) -> bool:
    """Whether the user's role may take this transition from some state (else 403, not 409)."""
    method = _transition_method(case, name)
    meta = method._django_fsm
    return any(t.has_perm(case, user) for t in meta.transitions.values())


def run_transition(
    case: Case,
    name: str,
    user,
    *,
    reason: str = "",
    kwargs: dict[str, Any] | None = None,
    data: dict | None = None,
    prepare: Callable[[Case], None] | None = None,
    after_save: Callable[[Case, str], None] | None = None,
    on_commit: Iterable[Callable[[], None]] = (),
    expected_status: str | None = None,
) -> Case:
    """Run transition ``name`` on ``case`` for ``user``: the one path for every state change.

    ``prepare(locked)`` runs after the checks and before the transition (validate and set
    fields; raise ``ValidationError`` to abort with nothing saved); ``after_save(locked,
    from_state)`` runs inside the transaction (stages, documents, related rows).
    """
    model = type(case)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=case.pk)
        method = _transition_method(locked, name)
        if not user_may_ever(locked, name, user):
            raise PermissionDenied(_("Your role may not do this."))
        if expected_status is not None and locked.status != expected_status:
            raise CaseConflict(
                locked, _("The case was changed by someone else. Reload it."), code="stale", user=user
            )
        if not can_proceed(method):
            raise CaseConflict(
                locked,
                _("This action is not allowed in the current status."),
                code="invalid_transition",
                user=user,
            )
        if not method._django_fsm.has_transition_perm(locked, locked.status, user):
            raise PermissionDenied(_("You may not do this for this case."))
        from_state = locked.status
        if prepare is not None:
            prepare(locked)
        method(**(kwargs or {}))
        locked.save()
        record_event(locked, name, from_state, locked.status, user, reason, data)
        if after_save is not None:
            after_save(locked, from_state)
        for callback in on_commit:
            transaction.on_commit(callback)
    return locked


def get_case_for_user(model, user, pk, *, queryset=None):
    """The one lookup of a case for a user: another provider's case answers 404 exactly like a
    missing one. ``queryset`` narrows or prefetches (it is still filtered through the user)."""
    from django.http import Http404

    qs = queryset if queryset is not None else model.objects.all()
    case = qs.visible_to(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def of_visible_case(row, user):
    """``row`` (an issued document, an attachment: anything kept against a case) when its case
    is the user's to see; 404 otherwise, exactly as for a missing row."""
    from django.http import Http404

    if row is None:
        raise Http404
    get_case_for_user(ContentType.objects.get_for_id(row.content_type_id).model_class(), user, row.object_id)
    return row
