from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from housing_aid import roles
from housing_aid.models import Parameter, ServiceProvider


def test_create_staff_user_scopes_the_user_to_providers(reference):
    call_command(
        "create_staff_user",
        "aigerim",
        "--role",
        "case_officer",
        "--provider",
        "710000000,750000000",
        "--password",
        "s3cret-pass",
    )

    user = get_user_model().objects.get(username="aigerim")
    assert user.check_password("s3cret-pass")
    assert roles.role_of(user) == "case_officer"
    assert {p.code for p in user.staff.providers.all()} == {"710000000", "750000000"}
    assert not user.is_staff


def test_create_staff_user_updates_an_existing_user(reference):
    call_command(
        "create_staff_user",
        "aigerim",
        "--role",
        "case_officer",
        "--provider",
        "710000000",
        "--password",
        "a-pass-1",
    )
    call_command(
        "create_staff_user", "aigerim", "--role", "head", "--provider", "750000000", "--password", "b-pass-2"
    )

    user = get_user_model().objects.get(username="aigerim")
    assert roles.role_of(user) == "head"
    assert [p.code for p in user.staff.providers.all()] == ["750000000"]
    assert user.check_password("b-pass-2")


def test_an_administrator_without_providers_sees_every_provider(reference):
    call_command("create_staff_user", "root2", "--role", "administrator", "--password", "x-pass-3")

    user = get_user_model().objects.get(username="root2")
    assert roles.provider_ids_for(user) is None
    assert user.is_staff and user.is_superuser


def test_unknown_provider_or_missing_scope_is_an_error(reference):
    with pytest.raises(CommandError, match="unknown provider"):
        call_command(
            "create_staff_user", "x", "--role", "case_officer", "--provider", "000", "--password", "p-4444"
        )
    with pytest.raises(CommandError, match="needs --provider"):
        call_command("create_staff_user", "x", "--role", "case_officer", "--password", "p-4444")


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo")
    counts = (ServiceProvider.objects.count(), Parameter.objects.count(), get_user_model().objects.count())
    call_command("seed_demo")

    assert (
        ServiceProvider.objects.count(),
        Parameter.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert ServiceProvider.objects.filter(code__in=["710000000", "750000000", "790000000"]).count() == 3
