"""The OpenAPI schema documents every operation's error answers (API.md, conventions: "The
OpenAPI schema documents the 400/401/403/404/409 answers of every operation").

The answers follow from how the API is built, so they are derived here once rather than
declared view by view:

- 400: every operation. The edge refuses a NUL byte in any path or query
  (``housing_aid.middleware``), and views validate their parameters and bodies.
- 401: every operation that authenticates (a missing, wrong or expired token).
- 403: every operation with a permission beyond "signed in" (roles).
- 404: every operation on an object (a path with a key): missing and out of scope alike.
- 409: every POST or PATCH on a case of a service: actions that the case's state may refuse.
- 415: every operation that reads a body, for a Content-Type it does not parse.
- 429: every throttled operation.

Each answer carries the project's error body (``housing_aid.api.errors``).
"""

from __future__ import annotations

import re

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny, IsAuthenticated

MESSAGES = {"type": "array", "items": {"type": "string"}}

ERROR_BODIES = {
    "ValidationErrorBody": {
        "type": "object",
        "description": "Field name -> list of messages; nested objects nest; the rest under non_field_errors.",
        "properties": {"non_field_errors": MESSAGES},
        "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}]},
    },
    "ErrorBody": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ConflictBody": {
        "type": "object",
        "properties": {
            "detail": {"type": "string"},
            "code": {"type": "string"},
            "status": {"type": "string", "nullable": True},
            "allowed_transitions": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["detail", "code", "status", "allowed_transitions"],
    },
}

ERRORS = {
    "400": ("ValidationErrorBody", "Invalid input: a parameter, the body, or a NUL byte anywhere."),
    "401": ("ErrorBody", "No credentials, or a wrong or expired token."),
    "403": ("ErrorBody", "The caller's role may not do this (decided before the body is read)."),
    "404": ("ErrorBody", "No such object in the caller's scope (the same answer as a missing one)."),
    "409": ("ConflictBody", "The case's current state does not allow this."),
    "415": ("ErrorBody", "The body's Content-Type is not one the operation reads."),
    "429": ("ErrorBody", "Too many requests from this client address."),
}

CASE_PATH = re.compile(r"^/api/v1/(applications|certificates|complaints|\{service\})/\{id\}/")
OPEN_PERMISSIONS = (AllowAny, IsAuthenticated)


def error_statuses(view, method: str, path: str, reads_body: bool) -> list[str]:
    """The error statuses an operation may answer (see the module's docstring)."""
    statuses = ["400"]
    if view.get_authenticators():
        statuses.append("401")
    if not all(isinstance(p, OPEN_PERMISSIONS) for p in view.get_permissions()):
        statuses.append("403")
    if "{" in path:
        statuses.append("404")
    if method in ("POST", "PATCH") and CASE_PATH.match(path):
        statuses.append("409")
    if reads_body:
        statuses.append("415")
    if view.get_throttles():
        statuses.append("429")
    return statuses


class ErrorAnswersSchema(AutoSchema):
    """drf-spectacular's AutoSchema, plus each operation's error answers with their bodies;
    an answer a view declares itself keeps its description and gains the body."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        self._name_the_actions(operation)
        responses = operation.setdefault("responses", {})
        for status in error_statuses(self.view, method, path, "requestBody" in operation):
            component, description = ERRORS[status]
            declared = responses.get(status) or {"description": description}
            declared.setdefault("content", {"application/json": {"schema": self._error_body(component)}})
            responses[status] = declared
        return operation

    def _name_the_actions(self, operation: dict) -> None:
        """``.../transitions/{name}/`` of a declared-actions view: ``name`` is one of its actions."""
        actions = getattr(self.view, "actions", None)
        for parameter in operation.get("parameters", []):
            if actions is not None and parameter["in"] == "path" and parameter["name"] == "name":
                parameter["schema"] = {"type": "string", "enum": [action.name for action in actions]}

    def _error_body(self, name: str) -> dict:
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=ERROR_BODIES[name]
        )
        self.registry.register_on_missing(component)
        return component.ref
