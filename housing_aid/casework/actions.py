"""Working the cases as declared case actions, the same three for every service: assign,
add_note and explain_duplicate (API.md "Working the cases").

They change no state, so they are declared apart from each service's transitions and run
through the one kernel runner, :func:`housing_aid.actions.run_action`: 403 for a role that
may never take them (before the body is read), 409 on a closed case (assign, duplicates),
400 from the body, then the row lock, the change and one event row of the action's type.
The caller has already looked the case up through the user (404 outside the scope).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from housing_aid import roles
from housing_aid.actions import ALLOWED, Actions, CaseAction, Decision, run_action
from housing_aid.cases import Case, CaseConflict, case_columns, reassign_open_stage
from housing_aid.casework import services
from housing_aid.casework.models import CaseNote
from housing_aid.roles import Role

ASSIGNER_ROLES = (Role.HEAD, Role.ADMINISTRATOR)
# Heads assign anyone; an officer who handles some service may take a case for themselves.
ASSIGN_ROLES = (*ASSIGNER_ROLES, Role.CASE_OFFICER, Role.COMPLAINTS_OFFICER, Role.QUALITY_OFFICER)
DUPLICATE_ROLES = (Role.CASE_OFFICER, Role.COMPLAINTS_OFFICER, Role.QUALITY_OFFICER, Role.HEAD)


def _open(case: Case) -> Decision:
    if case.closed_at is not None:
        return Decision(
            False, str(_("The case is closed: there is nothing to do on it.")), code="case_closed"
        )
    return ALLOWED


# -- assign -----------------------------------------------------------------------


class AssignBody(serializers.Serializer):
    executor = serializers.CharField(
        max_length=150, error_messages={"blank": gettext_lazy("Choose the executor.")}
    )
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    def validate_executor(self, username: str):
        try:
            return services.resolve_executor(self.context["case"], username.strip())
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["executor"]) from exc


def _assign(case: Case, user, data: dict, from_state: str):
    """The executor changes; the open stage (and so its reminders) follows.

    An officer may only take an unassigned case for themselves; a head (or an administrator)
    assigns or reassigns anyone who handles the service at the provider.
    """
    executor = data["executor"]
    if not roles.has_role(user, *ASSIGNER_ROLES):
        if executor.pk != user.pk:
            raise PermissionDenied(_("You may only take a case for yourself; a head assigns it to others."))
        if case.assignee_id is not None and case.assignee_id != user.pk:
            raise CaseConflict(
                case, _("The case already has an executor. Ask the head to reassign it."), code="assigned"
            )
    data["previous"] = case.assignee.get_username() if case.assignee_id else None
    type(case).objects.filter(pk=case.pk).update(assignee=executor, updated_at=timezone.now())
    case.assignee = executor
    reassign_open_stage(case, executor)
    return case


def _assign_event(case: Case, data: dict) -> dict:
    return {
        "executor": data["executor"].get_username(),
        "executor_name": services.display_name(data["executor"]),
        "previous": data["previous"],
    }


# -- notes ------------------------------------------------------------------------


class NoteBody(serializers.Serializer):
    text = serializers.CharField(
        max_length=5000,
        error_messages={
            "required": gettext_lazy("Write the text of the note."),
            "blank": gettext_lazy("Write the text of the note."),
            "max_length": gettext_lazy("A note is at most 5000 characters."),
        },
    )


def _add_note(case: Case, user, data: dict, from_state: str) -> CaseNote:
    """Append-only, never printed, never shown to the applicant or the portal."""
    note = CaseNote.objects.create(
        **case_columns(case),
        author=user,
        text=data["text"],
    )
    data["note"] = note.pk
    return note


# -- duplicates -------------------------------------------------------------------


class DuplicateBody(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    decision = serializers.ChoiceField(
        choices=list(services.DUPLICATE_DECISIONS),
        error_messages={
            "invalid_choice": gettext_lazy("Choose whether the cases are linked or different."),
            "required": gettext_lazy("Choose whether the cases are linked or different."),
        },
    )
    explanation = serializers.CharField(
        max_length=2000,
        error_messages={
            "required": gettext_lazy("Explain the decision."),
            "blank": gettext_lazy("Explain the decision."),
        },
    )

    def validate_number(self, number: str) -> str:
        if number not in {c.number for c in services.open_duplicates(self.context["case"])}:
            raise serializers.ValidationError(_("This is not an open case of the same person and service."))
        return number

    def validate(self, attrs):
        # The explanation is the event's reason, as the history shows it.
        attrs["reason"] = attrs["explanation"]
        return attrs


def _may_resolve(case: Case, user) -> Decision:
    if roles.has_role(user, Role.HEAD, *services.executor_roles(case)):
        return ALLOWED
    return Decision(False, str(_("Your role may not resolve duplicates.")))


ACTIONS = Actions(
    CaseAction(
        "assign",
        services.EVENT_LABELS["assign"],
        AssignBody,
        roles=ASSIGN_ROLES,
        available=_open,
        apply=_assign,
        event_data=_assign_event,
        denied_reason=gettext_lazy("Your role may not assign cases."),
    ),
    CaseAction(
        "add_note",
        services.EVENT_LABELS["add_note"],
        NoteBody,
        roles=services.NOTE_WRITER_ROLES,
        apply=_add_note,
        event_data=lambda case, data: {"note": data["note"]},
        denied_reason=gettext_lazy("Your role may not write internal notes."),
    ),
    CaseAction(
        "explain_duplicate",
        services.EVENT_LABELS["explain_duplicate"],
        DuplicateBody,
        roles=DUPLICATE_ROLES,
        available=_open,
        permission=_may_resolve,
        event_data=lambda case, data: {"other": data["number"], "decision": data["decision"]},
        denied_reason=gettext_lazy("Your role may not resolve duplicates."),
    ),
)


def assign(case: Case, executor: str, user, *, reason: str = "") -> Case:
    return run_action(ACTIONS, case, "assign", user, {"executor": executor, "reason": reason}).case


def add_note(case: Case, user, text: str) -> CaseNote:
    return run_action(ACTIONS, case, "add_note", user, {"text": text}).result


# -- bulk assignment ----------------------------------------------------------------


@dataclass
class BulkResult:
    assigned: list[int]
    errors: dict[str, list[str]]


def bulk_assign(model: type[Case], ids: Iterable[int], executor: str, user, *, reason: str) -> BulkResult:
    """Assign each case on its own (one lock, one event each); report per case.

    Ids outside the caller's scope are reported as not found, exactly like missing ones.
    """
    if not roles.has_role(user, *ASSIGNER_ROLES):
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
            assign(case, executor, user, reason=reason)
        except serializers.ValidationError as exc:
            result.errors[str(pk)] = [m for msgs in _flat(exc.detail) for m in msgs]
        except CaseConflict as exc:
            result.errors[str(pk)] = [str(exc.detail)]
        else:
            result.assigned.append(pk)
    return result


def _flat(detail) -> list[list[str]]:
    if isinstance(detail, dict):
        return [[str(m) for m in (v if isinstance(v, list) else [v])] for v in detail.values()]
    return [[str(m) for m in detail]]
