"""Staff roles and the provider scope every query goes through."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Role(models.TextChoices):
    INTAKE_CLERK = "intake_clerk", _("State Corporation intake clerk")
    CASE_OFFICER = "case_officer", _("Case officer")
    HEAD = "head", _("Head of the service provider")
    COMPLAINTS_OFFICER = "complaints_officer", _("Complaints officer")
    QUALITY_OFFICER = "quality_officer", _("Quality-control officer")
    TRUSTEE = "trustee", _("Trustee (agent)")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")
    PORTAL = "portal", _("E-government portal (service account)")


def role_of(user: AbstractBaseUser | AnonymousUser | None) -> str | None:
    """The user's role, or None for anonymous users and users without a staff profile."""
    if user is None or not user.is_authenticated:
        return None
    profile = getattr(user, "staff", None)
    if profile is None:
        return Role.ADMINISTRATOR if user.is_superuser else None
    return profile.role


def has_role(user, *roles: str) -> bool:
    return role_of(user) in roles


def providers_of(user) -> list:
    """The providers the user's staff profile names (the header shows them; the scope reads
    their ids), read once per request and kept on the user object."""
    cached = getattr(user, "_providers_cache", None)
    if cached is not None:
        return cached
    profile = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
    result = list(profile.providers.all()) if profile is not None and not profile.all_providers else []
    if user is not None:
        user._providers_cache = result
    return result


def provider_ids_for(user) -> frozenset[int] | None:
    """Ids of the providers the user works for; None means every provider.

    Cached on the user object for the request: every list and lookup calls it.
    """
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_provider_ids_cache", False)
    if cached is not False:
        return cached
    profile = getattr(user, "staff", None)
    if profile is None:
        result = None if user.is_superuser else frozenset()
    elif profile.all_providers:
        result = None
    else:
        result = frozenset(p.pk for p in providers_of(user))
    user._provider_ids_cache = result
    return result


def works_for(user, provider_id: int) -> bool:
    ids = provider_ids_for(user)
    return ids is None or provider_id in ids


def of_the_provider(*allowed: str) -> Callable[[Any, Any], bool]:
    """A django-fsm ``permission``: the user holds one of the ``allowed`` roles and works for
    the provider of the case (``instance.provider_id``)."""

    def permission(instance, user) -> bool:
        return has_role(user, *allowed) and works_for(user, instance.provider_id)

    return permission
