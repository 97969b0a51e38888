from __future__ import annotations

from housing_aid import roles


def staff(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    profile = getattr(user, "staff", None)
    role = roles.role_of(user)
    return {
        "staff_role": role,
        "staff_role_display": dict(roles.Role.choices).get(role, ""),
        # The scope's providers, read once per request (roles.providers_of).
        "staff_providers": roles.providers_of(user)[:3],
        "staff_all_providers": profile is None or profile.all_providers,
    }
