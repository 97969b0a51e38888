"""Two-factor sign-in (TOTP through django-otp) for the roles that sign and set budgets.

``OTP_REQUIRED_ROLES`` (production: heads and administrators) names the roles that must give
a code from their authenticator app with the password, on the login page and for an API
token. Such a user without a confirmed device cannot sign in: an administrator enrols or
resets the device with ``python manage.py second_factor USERNAME`` (the recovery path), or
deletes it in the admin. A session of such a user that was not verified is ended.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user
from django_otp import login as otp_login

from housing_aid import roles


def requires_second_factor(user) -> bool:
    return roles.role_of(user) in settings.OTP_REQUIRED_ROLES


def verified_device(user, token: str):
    """The user's confirmed device that accepts ``token``, or None."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit():
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def second_factor_error(user, token: str):
    """(device, None) when the user may sign in, else (None, message)."""
    if not requires_second_factor(user):
        return None, None
    if not any(True for _ in devices_for_user(user, confirmed=True)):
        return None, _(
            "Your role signs in with a second factor, and no authenticator is enrolled for you: "
            "ask an administrator to enrol one."
        )
    device = verified_device(user, token)
    if device is None:
        return None, _("Enter the current code from your authenticator app.")
    return device, None


class LoginForm(AuthenticationForm):
    otp_token = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if user is not None:
            self.otp_device, message = second_factor_error(user, cleaned.get("otp_token", ""))
            if message:
                raise forms.ValidationError(message, code="second_factor")
        return cleaned


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if getattr(form, "otp_device", None) is not None:
            otp_login(self.request, form.otp_device)
        return response


def admin_login(request):
    """The admin signs in through the same page (and the same second factor)."""
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(reverse("login") + "?" + urlencode({"next": target}))


class SecondFactorMiddleware:
    """Ends a session of a role that needs a second factor when it was not verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and requires_second_factor(user)
            and not (hasattr(user, "is_verified") and user.is_verified())
        ):
            logout(request)
            if not request.path.startswith("/api/"):
                return redirect(reverse("login") + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)
