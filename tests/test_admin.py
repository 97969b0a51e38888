"""Administrators work through the Django admin: every registered model's pages open."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from housing_aid.models import CalendarOverride, Parameter


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_every_changelist_and_add_page_opens(admin_client):
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200, opts.label
        if model_admin.has_add_permission(changelist.wsgi_request):
            add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
            assert add.status_code == 200, opts.label


def test_an_administrator_adds_a_day_off_with_its_legal_basis(admin_client):
    import datetime as dt

    from housing_aid import workdays

    response = admin_client.post(
        reverse("admin:housing_aid_calendaroverride_add"),
        {"date": "2026-12-14", "is_working_day": "", "name": "", "legal_basis": "Akimat resolution No. 12"},
    )

    assert response.status_code == 302
    assert CalendarOverride.objects.get().legal_basis == "Akimat resolution No. 12"
    assert not workdays.is_working_day(dt.date(2026, 12, 14))


def test_an_administrator_adds_next_years_msl(admin_client, reference):
    response = admin_client.post(
        reverse("admin:housing_aid_parameter_add"),
        {
            "key": "msl",
            "provider": "",
            "valid_from": "2027-01-01",
            "value": "53000",
            "legal_basis": "Budget law 2027",
        },
    )

    assert response.status_code == 302
    import datetime as dt

    from housing_aid import parameters

    assert parameters.value_on("msl", dt.date(2027, 3, 1)) == 53000
    assert Parameter.objects.filter(key="msl").count() == 5


def test_non_administrators_cannot_open_the_admin(client, officer):
    client.force_login(officer)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
