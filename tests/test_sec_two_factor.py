"""Two-factor sign-in for heads and administrators (issue 10): without a second factor they
cannot sign in, by the page or for an API token; an administrator enrols or resets it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "Pass-word-2fa!"


@pytest.fixture
def production_2fa(settings):
    settings.OTP_REQUIRED_ROLES = ["head", "administrator"]


@pytest.fixture
def head_with_password(head):
    head.set_password(PASSWORD)
    head.save()
    return head


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _sign_in(client, user, code=""):
    return client.post("/login/", {"username": user.username, "password": PASSWORD, "otp_token": code})


def test_a_head_without_a_second_factor_cannot_sign_in(client, api, production_2fa, head_with_password):
    page = _sign_in(client, head_with_password)
    token = api.post("/api/v1/auth/token/", {"username": "head", "password": PASSWORD})

    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "administrator" in page.content.decode() or "администратор" in page.content.decode()
    assert token.status_code == 400 and "otp_token" in token.json()


def test_an_enrolled_head_signs_in_with_the_current_code_once(
    client, api, production_2fa, head_with_password
):
    call_command("second_factor", "head", stdout=open("/dev/null", "w"))  # noqa: SIM115
    start = dt.datetime.now(tz=dt.UTC)

    with time_machine.travel(start, tick=False) as clock:
        code = _code(head_with_password)
        right = _sign_in(client, head_with_password, code)
        signing = client.get("/applications/signing/")
        replayed = api.post(
            "/api/v1/auth/token/", {"username": "head", "password": PASSWORD, "otp_token": code}
        )
        clock.shift(dt.timedelta(seconds=31))
        token = api.post(
            "/api/v1/auth/token/",
            {"username": "head", "password": PASSWORD, "otp_token": _code(head_with_password)},
        )

    assert right.status_code == 302
    assert signing.status_code == 200
    assert replayed.status_code == 400  # a code works once
    assert token.status_code == 200 and token.json()["token"]


def test_a_wrong_code_is_refused(client, production_2fa, head_with_password):
    call_command("second_factor", "head", stdout=open("/dev/null", "w"))  # noqa: SIM115
    code = _code(head_with_password)
    wrong = f"{(int(code) + 500000) % 1000000:06d}"

    response = _sign_in(client, head_with_password, wrong)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_unverified_session_of_a_head_is_ended(client, production_2fa, head):
    client.force_login(head)  # as the admin's own login form would, without the code

    response = client.get("/applications/signing/")

    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session


def test_an_officer_signs_in_with_the_password_alone(client, production_2fa, officer):
    officer.set_password(PASSWORD)
    officer.save()

    assert _sign_in(client, officer).status_code == 302
    assert client.get("/applications/").status_code == 200


def test_the_administrator_resets_a_lost_authenticator(client, production_2fa, head_with_password):
    call_command("second_factor", "head", stdout=open("/dev/null", "w"))  # noqa: SIM115
    old_key = TOTPDevice.objects.get(user=head_with_password).key
    call_command("second_factor", "head", stdout=open("/dev/null", "w"))  # noqa: SIM115
    new_key = TOTPDevice.objects.get(user=head_with_password).key
    call_command("second_factor", "head", "--remove", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert old_key != new_key
    assert not TOTPDevice.objects.filter(user=head_with_password).exists()
    assert _sign_in(client, head_with_password, "123456").status_code == 200


def test_the_admin_login_goes_through_the_same_page(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fadmin%2F"


def test_production_settings_require_it_for_heads_and_administrators():
    import subprocess
    import sys

    code = "from housing_aid import settings; print(settings.OTP_REQUIRED_ROLES)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"},
    ).stdout

    assert out.strip() == "['head', 'administrator']"
