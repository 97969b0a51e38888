"""Issue 13: the calendar page shows a year with the package's holidays, the decree transfers and
the overrides, each with its legal basis; the staff page leads with role, providers and the
second factor, and filters by role and provider."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from housing_aid.models import CalendarOverride, StaffProfile
from tests.factories import staff_user


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    client.cookies["django_language"] = "kk"
    return client


def test_the_calendar_page_shows_holidays_transfers_and_overrides_with_their_basis(admin_client):
    CalendarOverride.objects.create(
        date=dt.date(2025, 12, 15),
        is_working_day=False,
        name="Local day off",
        legal_basis="Akimat resolution 12",
    )

    response = admin_client.get(reverse("admin:housing_aid_calendaroverride_year"), {"year": "2025"})

    assert response.status_code == 200
    rows = {row["date"]: row for row in response.context["special"]}
    # a holiday from the package, with the law
    assert rows[dt.date(2025, 3, 21)]["kind"] == "holiday" and "267-II" in rows[dt.date(2025, 3, 21)]["basis"]
    # the decree transfer of 2025: Sunday 5 January worked, Friday 3 January off
    assert rows[dt.date(2025, 1, 5)]["kind"] == "decree_working" and rows[dt.date(2025, 1, 5)]["working"]
    assert rows[dt.date(2025, 1, 3)]["kind"] == "decree" and not rows[dt.date(2025, 1, 3)]["working"]
    # the administrator's override with its own basis
    assert rows[dt.date(2025, 12, 15)]["basis"] == "Akimat resolution 12"
    # and the page speaks Kazakh
    assert "жылғы өндірістік күнтізбе" in response.content.decode()


def test_the_staff_page_sets_role_and_providers_and_filters_by_them(
    client, admin_user, provider, other_provider
):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "role": "case_officer",
            "providers": [provider.pk],
            "username": "new_officer",
            "usable_password": "true",
            "password1": "a-long-pass-phrase-2025",
            "password2": "a-long-pass-phrase-2025",
            "last_name": "Әбенова",
            "first_name": "Айгерім",
            "language": "kk",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = get_user_model().objects.get(username="new_officer")
    profile = StaffProfile.objects.get(user=user)
    assert profile.role == "case_officer" and list(profile.providers.all()) == [provider]
    assert not user.is_superuser and not user.is_staff
    staff_user("almaty_head", "head", other_provider)

    changelist = reverse("admin:auth_user_changelist")
    by_role = client.get(changelist, {"role": "case_officer"}).context["cl"].result_list
    by_provider = client.get(changelist, {"provider": str(other_provider.pk)}).context["cl"].result_list

    assert [u.username for u in by_role] == ["new_officer"]
    assert [u.username for u in by_provider] == ["almaty_head"]
    page = client.get(reverse("admin:auth_user_change", args=[user.pk]))
    fields = list(page.context["adminform"].form.fields)
    assert fields.index("role") < fields.index("username")
    assert "user_permissions" not in fields and "groups" not in fields
