"""The main menu and the language switcher's choices, drawn once a role and language rather
than on every page view.

What the menu shows depends on the reader's role and the language only (its links are fixed
URLs), yet drawing it was a tenth of a worklist page's time: ten URL reversals, ten translated
labels and a dozen role tests a page.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def main_nav(role: str | None) -> SafeString:
    """``{% main_nav staff_role %}``: the menu of ``role`` in the current language."""
    return _kept("_main_nav.html", role)


@register.simple_tag
def language_options() -> SafeString:
    """``{% language_options %}``: the switcher's ``<option>``s, the current language selected."""
    return _kept("_language_options.html")


def _kept(template_name: str, role: str | None = None) -> SafeString:
    # The language, the URL configuration and its prefix are part of the key: the labels are
    # translated and the links reversed under them. Under DEBUG a template edited while
    # runserver runs shows at once.
    key = (template_name, role, translation.get_language(), get_urlconf(), get_script_prefix())
    return _drawn.__wrapped__(*key) if settings.DEBUG else _drawn(*key)


@lru_cache(maxsize=256)
def _drawn(template_name: str, role: str | None, language: str, urlconf, script_prefix: str) -> SafeString:
    return mark_safe(render_to_string(template_name, {"staff_role": role}))  # noqa: S308 - a template's output
