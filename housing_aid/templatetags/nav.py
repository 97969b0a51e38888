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
    if settings.DEBUG:  # a template edited under runserver shows at once
        return _draw(role)
    return _drawn(role, translation.get_language(), get_urlconf(), get_script_prefix())


def _draw(role: str | None) -> SafeString:
    return mark_safe(render_to_string("_main_nav.html", {"staff_role": role}))  # noqa: S308 - a template's output


@lru_cache(maxsize=256)
def _drawn(role: str | None, language: str, urlconf, script_prefix: str) -> SafeString:
    # The URL configuration and prefix are part of the key: the links are reversed under them.
    return _draw(role)


@register.simple_tag
def language_options() -> SafeString:
    """``{% language_options %}``: the switcher's ``<option>``s, the current language selected."""
    if settings.DEBUG:
        return _options()
    return _options_in(translation.get_language())


def _options() -> SafeString:
    return mark_safe(render_to_string("_language_options.html"))  # noqa: S308 - a template's output


@lru_cache(maxsize=16)
def _options_in(language: str) -> SafeString:
    return _options()
