"""How staff appear to readers: a person's name and position, never a login."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _


def full_name(user) -> str:
    """Surname and first name as the staff record holds them; the login only when there is
    no name at all (a service account)."""
    if user is None:
        return ""
    return surname_first(user.last_name, user.first_name, user.get_username())


# The columns a row read as values (a worklist's) names its executor from: ``surname_first`` or
# ``given_name_first`` of them, and ``assignee_id`` for whether anyone has the case.
ASSIGNEE_COLUMNS = ("assignee_id", "assignee__last_name", "assignee__first_name", "assignee__username")


def surname_first(last_name: str, first_name: str, login: str) -> str:
    """``full_name`` of a user read as values (a worklist row): "Last First", else the login."""
    return " ".join(p for p in (last_name, first_name) if p) or login


def given_name_first(first_name: str, last_name: str, login: str) -> str:
    """``User.get_full_name()`` of a user read as values: "First Last", else the login."""
    return f"{first_name} {last_name}".strip() or login


def position(user) -> str:
    """The position from the staff record, else the role's name in the reader's language."""
    try:
        staff = user.staff
    except (AttributeError, ObjectDoesNotExist):
        return ""
    return staff.position or str(staff.get_role_display())


def person(user) -> str:
    """``Surname Name, position``."""
    if user is None:
        return ""
    name, pos = full_name(user), position(user)
    return f"{name}, {pos}" if pos else name


def event_actor(event) -> str:
    """Who did what a history row records: the person, or the system for scheduled work."""
    if event.actor_id is not None:
        return person(event.actor)
    if not event.actor_name or event.actor_name == "system":
        return _("System")
    return event.actor_name
