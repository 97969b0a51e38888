"""Working the cases: who may be a case's executor, absences with a substitute, reading
notes and one person across the three services (API.md "Working the cases").

The changes to a case (assign, add_note, explain_duplicate) are declared case actions in
``housing_aid.casework.actions``; this module keeps the queries and the pure rules.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from housing_aid import registry, roles, workdays
from housing_aid.cases import Case
from housing_aid.casework.models import CaseNote, Substitution
from housing_aid.persons import case_iin, open_cases_elsewhere
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


def resolve_executor(case: Case, username: str):
    """The staff member named by ``username`` if they may work this case, else a 400."""
    User = get_user_model()
    user = (
        User.objects.filter(username=username, is_active=True).select_related("staff").first()
        if username
        else None
    )
    # Someone at another provider answers exactly as an unknown login: the answer names nobody
    # who works elsewhere.
    if user is None or roles.role_of(user) is None or not roles.works_for(user, case.provider_id):
        raise ValidationError({"executor": [_("No active staff member with this login.")]})
    if roles.role_of(user) not in executor_roles(case):
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


# -- notes ------------------------------------------------------------------------


def notes_of(case: Case, user):
    if not roles.has_role(user, *NOTE_READER_ROLES):
        raise PermissionDenied(_("Internal notes are for the staff of the service provider."))
    return CaseNote.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
    ).select_related("author__staff")


# -- absences ---------------------------------------------------------------------


def _colleague(head, username: str):
    """An active staff member who works for one of the head's providers, else None: a login
    elsewhere answers exactly as an unknown one (the API tells nobody who works where)."""
    candidate = get_user_model().objects.filter(username=username, is_active=True).first()
    if candidate is None or roles.role_of(candidate) is None:
        return None
    head_ids, their_ids = roles.provider_ids_for(head), roles.provider_ids_for(candidate)
    if head_ids is not None and their_ids is not None and not head_ids & their_ids:
        return None
    return candidate


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
    errors: dict[str, list[str]] = {}
    absent = _colleague(user, absent_username)
    substitute = _colleague(user, substitute_username)
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
    # The panel names each one by number, provider and date: not the whole case rows.
    return list(open_cases_elsewhere(type(case), case_iin(case), exclude=case).only(*DUPLICATE_FIELDS)[:20])


DUPLICATE_DECISIONS = {"linked": "linked", "explained": "explained"}
