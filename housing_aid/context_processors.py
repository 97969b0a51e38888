from __future__ import annotations

from housing_aid import roles


def staff(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    profile = getattr(user, "staff", None)
    role = roles.role_of(user)
    providers = []
    if profile is not None and not profile.all_providers:
        providers = list(profile.providers.all()[:3])
    return {
        "staff_role": role,
        "staff_role_display": dict(roles.Role.choices).get(role, ""),
        "staff_providers": providers,
        "staff_all_providers": profile is None or profile.all_providers,
    }
