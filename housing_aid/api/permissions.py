from __future__ import annotations

from rest_framework.permissions import BasePermission

from housing_aid import roles


def has_any_role(*allowed: str):
    class _HasRole(BasePermission):
        def has_permission(self, request, view):
            return roles.role_of(request.user) in allowed

    _HasRole.__name__ = "HasRole_" + "_".join(allowed)
    return _HasRole


class IsStaff(BasePermission):
    """Any user with a staff role (including the portal account)."""

    def has_permission(self, request, view):
        return roles.role_of(request.user) is not None
