"""Working the cases: assignment, absences with a substitute, internal notes and one
person across the three services (API.md "Working the cases").

Each use case locks what it changes and writes one event row; the screens and the API
call these functions, never the models directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from housing_aid import registry, roles, workdays
from housing_aid.cases import Case, CaseConflict, reassign_open_stage, record_event
from housing_aid.casework.models import CaseNote, Substitution
from housing_aid.roles import Role

# The URL segment of each service (API.md: ``/api/v1/{service}/...``).
URL_SERVICES = {
    "applications": "housing_assistance",
    "certificates": "housing_certificate",
    "complaints": "complaint",
}
# Roles that may work a case as its executor, by service. Heads assign; they are not executors.
EXECUTOR_ROLES = {
    "housing_assistance": (Role.CASE_OFFICER,),
    "housing_certificate": (Role.CASE_OFFICER,),
    "complaint": (Role.COMPLAINTS_OFFICER,),
}
# Roles that may write internal notes (the auditor reads them; the portal never sees them).
NOTE_WRITER_ROLES = (
    Role.INTAKE_CLERK,
    Role.CASE_OFFICER,
    Role.HEAD,
    Role.COMPLAINTS_OFFICER,
    Role.QUALITY_OFFICER,
    Role.TRUSTEE,
    Role.ADMINISTRATOR,
)
NOTE_READER_ROLES = (*NOTE_WRITER_ROLES, Role.AUDITOR)
PERSON_READER_ROLES = (*NOTE_READER_ROLES,)
# Events of the provider's internal work: never shown to the portal or the applicant.
INTERNAL_EVENT_TYPES = frozenset({"add_note", "assign", "explain_duplicate"})
# Their labels in the case histories of every service.
EVENT_LABELS = {
    "assign": gettext_lazy("Executor assigned"),
    "add_note": gettext_lazy("Internal note added"),
    "explain_duplicate": gettext_lazy("Duplicate linked or explained"),
}


def model_for_url(service: str) -> type[Case]:
    model = registry.model_for_service(URL_SERVICES.get(service, ""))
    if model is None:
        raise LookupError(service)
    return model


def executor_roles(case: Case) -> tuple[str, ...]:
    """Who may be the executor of this case: the model says so, else the service's default.

    A complaint addressed to the quality-control body is worked by its quality officers.
    """
    method = getattr(case, "executor_roles", None)
    if callable(method):
        return tuple(method())
    if case.SERVICE == "complaint" and getattr(case, "addressee", "") == "quality_control_body":
        return (Role.QUALITY_OFFICER,)
    return EXECUTOR_ROLES.get(case.SERVICE, ())


def _may_assign_anyone(user) -> bool:
    return roles.has_role(user, Role.HEAD, Role.ADMINISTRATOR)


def may_ever_assign(user, model: type[Case]) -> bool:
    """403 before the body: heads assign; an officer who handles the service takes a case."""
    if _may_assign_anyone(user):
        return True
    role = roles.role_of(user)
    return role in {r for roles_ in EXECUTOR_ROLES.values() for r in roles_} or role == Role.QUALITY_OFFICER


def resolve_executor(case: Case, username: str):
    """The staff member named by ``username`` if they may work this case, else a 400."""
    User = get_user_model()
    user = (
        User.objects.filter(username=username, is_active=True).select_related("staff").first()
        if username
        else None
    )
    if user is None:
        raise ValidationError({"executor": [_("No active staff member with this login.")]})
    if roles.role_of(user) not in executor_roles(case) or not roles.works_for(user, case.provider_id):
        raise ValidationError(
            {
                "executor": [
                    _("%(name)s does not handle this service for this service provider.")
                    % {"name": display_name(user)}
                ]
            }
        )
    return user


def display_name(user) -> str:
    if user is None:
        return _("system")
    return user.get_full_name() or user.get_username()


@transaction.atomic
def assign(case: Case, executor_username: str, user, *, reason: str = "") -> Case:
    """Make ``executor`` the case's executor; the open stage and its reminders follow.

    A head (or an administrator) assigns or reassigns any open case of the provider; an
    officer may only take an unassigned case for themselves.
    """
    model = type(case)
    if not may_ever_assign(user, model):
        raise PermissionDenied(_("Your role may not assign cases."))
    locked = model.objects.select_for_update().get(pk=case.pk)
    if locked.closed_at is not None:
        raise CaseConflict(
            locked, _("The case is closed: there is nothing to assign."), code="case_closed", user=user
        )
    executor = resolve_executor(locked, executor_username)
    if not _may_assign_anyone(user):
        if executor.pk != user.pk:
            raise PermissionDenied(_("You may only take a case for yourself; a head assigns it to others."))
        if locked.assignee_id is not None and locked.assignee_id != user.pk:
            raise CaseConflict(
                locked,
                _("The case already has an executor. Ask the head to reassign it."),
                code="assigned",
                user=user,
            )
    if locked.assignee_id == executor.pk:
        return locked
    previous = locked.assignee
    model.objects.filter(pk=locked.pk).update(assignee=executor, updated_at=timezone.now())
    locked.assignee = executor
    reassign_open_stage(locked, executor)
    record_event(
        locked,
        "assign",
        locked.status,
        locked.status,
        user,
        reason=reason,
        data={
            "executor": executor.get_username(),
            "executor_name": display_name(executor),
            "previous": previous.get_username() if previous else None,
        },
    )
    return locked


@dataclass
class BulkResult:
    assigned: list[int]
    errors: dict[str, list[str]]


def bulk_assign(
    model: type[Case], ids: Iterable[int], executor_username: str, user, *, reason: str
) -> BulkResult:
    """Assign each case on its own (one lock, one event each); report per case.

    Ids outside the caller's scope are reported as not found, exactly like missing ones.
    """
    if not _may_assign_anyone(user):
        raise PermissionDenied(_("Only a head assigns cases in bulk."))
    ids = list(dict.fromkeys(ids))
    visible = {c.pk: c for c in model.objects.visible_to(user).filter(pk__in=ids)}
    result = BulkResult(assigned=[], errors={})
    for pk in ids:
        case = visible.get(pk)
        if case is None:
            result.errors[str(pk)] = [_("Not found.")]
            continue
        try:
            assign(case, executor_username, user, reason=reason)
        except ValidationError as exc:
            result.errors[str(pk)] = [str(m) for m in exc.messages]
        except CaseConflict as exc:
            result.errors[str(pk)] = [str(exc.detail)]
        else:
            result.assigned.append(pk)
    return result


# -- notes ------------------------------------------------------------------------


def notes_of(case: Case, user):
    if not roles.has_role(user, *NOTE_READER_ROLES):
        raise PermissionDenied(_("Internal notes are for the staff of the service provider."))
    return CaseNote.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
    ).select_related("author__staff")


@transaction.atomic
def add_note(case: Case, user, text: str) -> CaseNote:
    """An internal note: append-only, never printed, never shown to the applicant."""
    if not roles.has_role(user, *NOTE_WRITER_ROLES):
        raise PermissionDenied(_("Your role may not write internal notes."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the text of the note.")]})
    if len(text) > 5000:
        raise ValidationError({"text": [_("A note is at most 5000 characters.")]})
    model = type(case)
    locked = model.objects.select_for_update().get(pk=case.pk)
    note = CaseNote.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=locked.pk,
        provider_id=locked.provider_id,
        case_number=locked.number,
        author=user,
        text=text,
    )
    record_event(locked, "add_note", locked.status, locked.status, user, data={"note": note.pk})
    return note


# -- absences ---------------------------------------------------------------------


def _shared_provider(head, absent, substitute):
    head_ids = roles.provider_ids_for(head)
    for candidate in (absent, substitute):
        if roles.role_of(candidate) is None:
            return None
    absent_ids = roles.provider_ids_for(absent)
    substitute_ids = roles.provider_ids_for(substitute)
    from housing_aid.models import ServiceProvider

    qs = ServiceProvider.objects.all()
    for ids in (head_ids, absent_ids, substitute_ids):
        if ids is not None:
            qs = qs.filter(pk__in=ids)
    return qs.order_by("pk").first()


@transaction.atomic
def set_substitute(
    user,
    absent_username: str,
    substitute_username: str,
    date_from: dt.date,
    date_to: dt.date,
    reason: str = "",
) -> Substitution:
    """A head records an absence: who, the substitute and the dates (inclusive)."""
    if not roles.has_role(user, Role.HEAD, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Only a head sets substitutes."))
    User = get_user_model()
    errors: dict[str, list[str]] = {}
    absent = User.objects.filter(username=absent_username, is_active=True).first()
    substitute = User.objects.filter(username=substitute_username, is_active=True).first()
    if absent is None:
        errors["absent"] = [_("No active staff member with this login.")]
    if substitute is None:
        errors["substitute"] = [_("No active staff member with this login.")]
    if date_to < date_from:
        errors["to"] = [_("The absence cannot end before it starts.")]
    if date_to < workdays.today():
        errors.setdefault("to", []).append(_("The absence is already over."))
    if absent is not None and substitute is not None:
        if absent.pk == substitute.pk:
            errors["substitute"] = [_("A staff member cannot substitute for themselves.")]
        elif roles.role_of(absent) != roles.role_of(substitute):
            errors["substitute"] = [_("The substitute must have the same role as the absent staff member.")]
    if errors:
        raise ValidationError(errors)
    provider = _shared_provider(user, absent, substitute)
    if provider is None:
        raise ValidationError({"substitute": [_("Both must work for one of your service providers.")]})
    overlapping = Substitution.objects.filter(
        absent=absent, cancelled_at__isnull=True, date_from__lte=date_to, date_to__gte=date_from
    )
    if overlapping.exists():
        raise ValidationError({"from": [_("This staff member already has a substitute for these dates.")]})
    return Substitution.objects.create(
        provider=provider,
        absent=absent,
        substitute=substitute,
        date_from=date_from,
        date_to=date_to,
        reason=reason,
        created_by=user,
    )


def absent_colleagues(user, on: dt.date | None = None) -> list[int]:
    """Ids of the staff members ``user`` substitutes for on ``on`` (today)."""
    on = on or workdays.today()
    return list(Substitution.objects.in_force(on).filter(substitute=user).values_list("absent_id", flat=True))


def executor_filter(user, on: dt.date | None = None) -> Q:
    """ "My cases": assigned to me, or to a colleague I substitute for today."""
    ids = [user.pk, *absent_colleagues(user, on)]
    return Q(assignee_id__in=ids)


def substitute_of(user_id: int, on: dt.date) -> int | None:
    row = Substitution.objects.in_force(on).filter(absent_id=user_id).order_by("-created_at").first()
    return row.substitute_id if row else None


# -- one person across services ----------------------------------------------------


def person_cases(iin: str, user) -> list[dict]:
    """Every case of the person with this IIN that the caller may see, across the services."""
    if not roles.has_role(user, *PERSON_READER_ROLES):
        raise PermissionDenied(_("Only the staff of a service provider look up a person."))
    rows: list[dict] = []
    for model in registry.CASE_MODELS:
        qs = (
            model.objects.visible_to(user)
            .filter(**{model.STATUS_IIN_LOOKUP: iin})
            .select_related("provider")
            .order_by("-received_at")
        )
        rows.extend({"service": model.SERVICE, "case": case} for case in qs[:200])
    rows.sort(key=lambda r: r["case"].received_at, reverse=True)
    return rows


# -- duplicates ---------------------------------------------------------------------


DUPLICATE_FIELDS = (
    "number",
    "received_at",
    "registered_on",
    "provider__name_ru",
    "provider__name_kk",
    "provider__name_en",
)


def open_duplicates(case: Case) -> list[Case]:
    """Other open cases of the same service for the same person, at any provider."""
    model = type(case)
    iin = case
    for part in model.STATUS_IIN_LOOKUP.split("__"):
        iin = getattr(iin, part, None)
    if not iin:
        return []
    # The panel names each one by number, provider and date: not the whole case rows.
    return list(
        model.objects.filter(**{model.STATUS_IIN_LOOKUP: iin}, closed_at__isnull=True)
        .exclude(pk=case.pk)
        .select_related("provider")
        .only(*DUPLICATE_FIELDS)
        .order_by("received_at")[:20]
    )


DUPLICATE_DECISIONS = {"linked": "linked", "explained": "explained"}


@transaction.atomic
def resolve_duplicate(case: Case, user, *, other_number: str, decision: str, explanation: str) -> None:
    """The officer records what an open case elsewhere is to this one: the same request
    (linked) or a different one (explained). One event row; nothing else changes."""
    if not roles.has_role(user, *EXECUTOR_ROLES.get(case.SERVICE, ()), Role.HEAD, Role.QUALITY_OFFICER):
        raise PermissionDenied(_("Your role may not resolve duplicates."))
    errors: dict[str, list[str]] = {}
    if decision not in DUPLICATE_DECISIONS:
        errors["decision"] = [_("Choose whether the cases are linked or different.")]
    explanation = (explanation or "").strip()
    if not explanation:
        errors["explanation"] = [_("Explain the decision.")]
    others = {c.number for c in open_duplicates(case)}
    if other_number not in others:
        errors["number"] = [_("This is not an open case of the same person and service.")]
    if errors:
        raise ValidationError(errors)
    locked = type(case).objects.select_for_update().get(pk=case.pk)
    record_event(
        locked,
        "explain_duplicate",
        locked.status,
        locked.status,
        user,
        reason=explanation,
        data={"other": other_number, "decision": decision},
    )
