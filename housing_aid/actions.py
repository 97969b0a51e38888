"""One way to act on a case: every action is declared once, as a :class:`CaseAction`.

A declaration names the action, its translated label, the serializer of its body, who may
ever take it (403 before the body is read), whether the case's state allows it (409 with
the allowed actions), what it does to the locked case, its event type, the documents it
issues after commit and whether the screen asks for a confirmation. :func:`run_action` is
the one runner; :func:`actions_for` gives the case page its buttons, each with a reason
when disabled. State transitions are django-fsm ``@transition`` methods: their
``permission`` and ``source`` are read from the model, so nothing is declared twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed
from rest_framework import serializers

from housing_aid import roles
from housing_aid.cases import Case, CaseConflict, record_event
from housing_aid.documents import enqueue_documents


@dataclass(frozen=True)
class Decision:
    """Whether the user may act, and why not (a disabled button says it). ``code``: the 409's
    code when the case's state is what refuses (``invalid_transition`` when empty)."""

    allowed: bool
    reason: str = ""
    code: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


class EmptyBody(serializers.Serializer):
    """The body of an action that takes no input."""


@dataclass(frozen=True)
class CaseAction:
    """An action on a case, declared once.

    ``transition``: the FSM method it runs (``None`` for actions that change no state).
    ``roles``: the roles that may ever take a non-FSM action (an FSM transition reads its own
    ``permission``). ``available(case)``: for a non-FSM action, whether the case's state allows
    it. ``permission(case, user)``: a further check on this case (a :class:`Decision`).
    ``kwargs(locked, user, data)``: the arguments of the transition method.
    ``apply(locked, user, data, from_state)``: what it does to the locked case after the
    transition (stages, rows); its return value is handed back to the caller.
    ``event_data(locked, data)``: what the event row keeps of the body; ``event_reason(locked,
    data)``: its reason (default: the body's ``reason``).
    ``recover(case, user, exc)``: after the transaction rolled back on ``exc``, what to do
    outside it (may raise the conflict the caller sees).
    ``documents``: whether it makes documents due; they are issued by the document job after
    commit (``housing_aid.documents.enqueue_documents``), never inside the lock.
    ``form_data(post)``: the body from a screen's form (default: the serializer's fields).
    """

    name: str
    label: Any
    serializer: type[serializers.Serializer] = EmptyBody
    transition: str | None = None
    roles: tuple[str, ...] = ()
    available: Callable[[Case], Decision] | None = None
    permission: Callable[[Case, Any], Decision] | None = None
    kwargs: Callable[[Case, Any, dict], dict] | None = None
    apply: Callable[[Case, Any, dict, str], Any] | None = None
    event_type: str = ""
    event_data: Callable[[Case, dict], dict] | None = None
    event_reason: Callable[[Case, dict], str] | None = None
    recover: Callable[[Case, Any, Exception], None] | None = None
    documents: bool = False
    confirm: bool = False
    denied_reason: Any = field(default_factory=lambda: _("Your role may not do this."))

    @property
    def event(self) -> str:
        return self.event_type or self.name

    def reason_of(self, case: Case, data: dict) -> str:
        if self.event_reason is not None:
            return self.event_reason(case, data)
        reason = data.get("reason", "")
        return reason if isinstance(reason, str) else ""

    # -- the checks, in the order the runner makes them --------------------------
    def may_ever(self, case: Case, user) -> bool:
        """Whether the user's role may take this action in some state (else 403, not 409)."""
        if self.transition is not None:
            meta = getattr(case, self.transition)._django_fsm
            return any(t.has_perm(case, user) for t in meta.transitions.values())
        return roles.has_role(user, *self.roles)

    def state_allows(self, case: Case) -> Decision:
        if self.transition is not None:
            if can_proceed(getattr(case, self.transition)):
                return ALLOWED
            return Decision(False, str(_("This action is not allowed in the current status.")))
        if self.available is not None:
            return self.available(case)
        return ALLOWED

    def allowed_for(self, case: Case, user) -> Decision:
        if self.transition is not None:
            method = getattr(case, self.transition)
            if not method._django_fsm.has_transition_perm(case, case.status, user):
                return Decision(False, str(self.denied_reason))
        elif not self.may_ever(case, user):
            return Decision(False, str(self.denied_reason))
        if self.permission is not None:
            return self.permission(case, user)
        return ALLOWED

    def form_body(self, post, files=None) -> dict:
        """A screen's POST (and its uploaded files) as the body the serializer reads."""
        body = {}
        for name, fld in self.serializer().fields.items():
            if isinstance(fld, serializers.FileField) and files is not None and name in files:
                body[name] = files[name]
            elif isinstance(getattr(fld, "child", None), serializers.FileField) and files is not None:
                body[name] = files.getlist(name)
            elif isinstance(fld, serializers.Serializer):
                # A nested body (the payments of a draft assignment, a certificate's loan): its
                # fields sit flat in the form; none filled in is no nested body at all.
                nested = {sub: post.get(sub) for sub in fld.fields if post.get(sub) not in (None, "")}
                if nested:
                    body[name] = nested
            elif isinstance(fld, serializers.ListField | serializers.MultipleChoiceField):
                body[name] = post.getlist(name)
            elif name in post:
                body[name] = post.get(name)
        return body


def record_case_event(case: Case, action: CaseAction, from_state: str, user, data: dict) -> None:
    """The event row of an action on a case: the case's history, export and audit read it."""
    record_event(
        case,
        action.event,
        from_state,
        case.status,
        user,
        reason=action.reason_of(case, data),
        data=action.event_data(case, data) if action.event_data else {},
    )


class Actions:
    """The actions of one kind of case, in the order the case page shows them.

    ``record(locked, action, from_state, user, data)`` writes the action's one event row: a
    ``CaseEvent`` for a case by default; an object that is not a case (a certificate program)
    declares its own history table here, and the same runner serves it.
    """

    def __init__(self, *actions: CaseAction, record: Callable = record_case_event):
        self._by_name = {a.name: a for a in actions}
        self.record = record

    def __iter__(self):
        return iter(self._by_name.values())

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def get(self, case: Case, name: str) -> CaseAction:
        action = self._by_name.get(name)
        if action is None:
            raise CaseConflict(
                case, _("Unknown transition: %(name)s") % {"name": name}, code="unknown_transition"
            )
        return action

    def labels(self) -> dict[str, Any]:
        return {a.event: a.label for a in self}


@dataclass
class Outcome:
    case: Case
    result: Any = None


def run_action(
    actions: Actions,
    case: Case,
    name: str,
    user,
    data: Mapping | Callable[[], Any] | None = None,
    *,
    expected_status: str | None = None,
) -> Outcome:
    """Run action ``name`` on ``case`` for ``user``: the one path that changes a case (or the
    money of a certificate program, whose ``Actions`` write their own event rows).

    403 for a role that may never act (before the body is read); 409 when the state forbids
    it (or the case moved on since the screen was drawn); 403 when this case is not the
    user's to act on; 400 from the action's serializer; then the row lock, the change, one
    event row of the action's type and the documents after commit.

    ``data`` may be a callable that reads the request's body: an API view passes one, so a
    body that does not parse (400) or comes in a type the view does not read (415) is read
    only after the role, the state and the case were checked.
    """
    action = actions.get(case, name)
    if not action.may_ever(case, user):
        raise PermissionDenied(action.denied_reason)
    try:
        return _run(action, case, user, data, expected_status, record=actions.record)
    except Exception as exc:
        if action.recover is not None:
            action.recover(case, user, exc)
        raise


def _run(action: CaseAction, case: Case, user, data, expected_status, *, record: Callable) -> Outcome:
    model = type(case)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=case.pk)
        if expected_status is not None and locked.status != expected_status:
            raise CaseConflict(
                locked, _("The case was changed by someone else. Reload it."), code="stale", user=user
            )
        state = action.state_allows(locked)
        if not state:
            raise CaseConflict(locked, state.reason, code=state.code or "invalid_transition", user=user)
        decision = action.allowed_for(locked, user)
        if not decision:
            raise PermissionDenied(decision.reason)
        if callable(data):
            data = data()
        if data is not None and not isinstance(data, Mapping):
            # A JSON list, string or number where the body is an object: 400, never an empty body.
            raise serializers.ValidationError(
                {"non_field_errors": [_("The request body must be a JSON object.")]}
            )
        body = action.serializer(data={} if data is None else data, context={"case": locked, "user": user})
        body.is_valid(raise_exception=True)
        validated = dict(body.validated_data)
        from_state = getattr(locked, "status", "")
        if action.transition is not None:
            method = getattr(locked, action.transition)
            method(**(action.kwargs(locked, user, validated) if action.kwargs else {}))
            locked.save()
        result = action.apply(locked, user, validated, from_state) if action.apply else None
        record(locked, action, from_state, user, validated)
        if action.documents:
            transaction.on_commit(lambda: enqueue_documents(locked, user))
    return Outcome(locked, result)


@dataclass(frozen=True)
class OfferedAction:
    name: str
    label: str
    allowed: bool
    reason: str = ""
    confirm: bool = False


def actions_for(actions: Actions, case: Case, user, *, only: tuple[str, ...] | None = None) -> list:
    """The actions the case's state offers, each allowed or with the reason why not.

    An action whose role is never the user's is left out for non-FSM actions (a clerk sees
    no escalation button); a transition the state offers is shown disabled with its reason.
    """
    out = []
    for action in actions:
        if only is not None and action.name not in only:
            continue
        if not action.state_allows(case):
            continue
        if action.transition is None and not action.may_ever(case, user):
            continue
        decision = action.allowed_for(case, user)
        out.append(
            OfferedAction(action.name, str(action.label), decision.allowed, decision.reason, action.confirm)
        )
    return out


def validation_errors(exc: serializers.ValidationError) -> dict[str, list[str]]:
    """A serializer's errors flattened for a screen: field -> messages."""

    def flat(value) -> list[str]:
        if isinstance(value, dict):
            return [m for v in value.values() for m in flat(v)]
        if isinstance(value, list | tuple):
            return [m for v in value for m in flat(v)]
        return [str(value)]

    detail = exc.detail if isinstance(exc.detail, dict) else {"__all__": exc.detail}
    return {key: flat(value) for key, value in detail.items()}
