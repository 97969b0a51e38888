"""The session's user read in one statement (housing_aid.backends) keeps every field of what
it loads where the ORM would put it."""

from __future__ import annotations

import pytest
from django.utils import translation

from housing_aid.backends import StaffModelBackend

pytestmark = pytest.mark.django_db


def test_the_session_user_has_its_profile_and_providers_in_their_own_fields(officer, provider):
    user = StaffModelBackend().get_user(officer.pk)

    assert user.username == officer.username and user.staff.role == "case_officer"
    (loaded,) = user._providers_cache
    assert (loaded.pk, loaded.code, loaded.region) == (provider.pk, provider.code, provider.region)
    assert (loaded.name_ru, loaded.name_kk, loaded.name_en) == (
        provider.name_ru,
        provider.name_kk,
        provider.name_en,
    )
    with translation.override("kk"):
        assert loaded.name == provider.name_kk
