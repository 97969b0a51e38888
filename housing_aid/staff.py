"""Creating staff users (the ``create_staff_user`` command, ``seed_demo`` and tests)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from housing_aid.models import ServiceProvider, StaffProfile
from housing_aid.roles import Role


@transaction.atomic
def create_staff_user(
    username: str,
    *,
    role: str,
    provider_codes: list[str] | tuple[str, ...] = (),
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    language: str = "ru",
    email: str = "",
    iin: str = "",
):
    """Create or update a user with a role scoped to providers.

    Without providers only an administrator (or an auditor) gets every provider;
    any other role must name at least one.
    """
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}; one of: {', '.join(Role.values)}")
    providers = list(ServiceProvider.objects.filter(code__in=provider_codes))
    missing = set(provider_codes) - {p.code for p in providers}
    if missing:
        raise ValueError(f"unknown provider code(s): {', '.join(sorted(missing))}")
    all_providers = not provider_codes
    if all_providers and role not in (Role.ADMINISTRATOR, Role.AUDITOR, Role.PORTAL, Role.QUALITY_OFFICER):
        raise ValueError(f"role {role} needs --provider")
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if password:
        user.set_password(password)
    if first_name:
        user.first_name = first_name
    if last_name:
        user.last_name = last_name
    if email:
        user.email = email
    user.is_staff = role == Role.ADMINISTRATOR
    user.is_superuser = role == Role.ADMINISTRATOR
    user.save()
    defaults = {"role": role, "all_providers": all_providers, "language": language}
    if iin:
        # The IIN the head's EDS certificate must carry (SERIALNUMBER=IIN...).
        from housing_aid.identifiers import is_valid_iin

        if not is_valid_iin(iin):
            raise ValueError(f"{iin!r} is not a valid IIN")
        defaults["iin"] = iin
    profile, _ = StaffProfile.objects.update_or_create(user=user, defaults=defaults)
    profile.providers.set(providers)
    return user, created
