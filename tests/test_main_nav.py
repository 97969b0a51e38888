"""The main menu is drawn once a role and language (housing_aid.templatetags.nav): what each
reader sees is what the menu's template draws for their role, in their language."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from housing_aid.roles import Role
from housing_aid.templatetags import nav


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
@pytest.mark.parametrize("role", [None, *Role.values])
def test_the_kept_menu_is_the_template_drawn_for_the_role(role, language):
    with translation.override(language):
        drawn = render_to_string("_main_nav.html", {"staff_role": role})
        assert nav.main_nav(role) == drawn
        assert nav.main_nav(role) is nav.main_nav(role)  # kept, not drawn again


def test_each_role_and_language_has_its_own_menu():
    with translation.override("ru"):
        head_ru = nav.main_nav(Role.HEAD)
        clerk_ru = nav.main_nav(Role.INTAKE_CLERK)
    with translation.override("kk"):
        head_kk = nav.main_nav(Role.HEAD)
    assert reverse("applications:signing_queue") in head_ru
    assert reverse("applications:signing_queue") not in clerk_ru
    assert reverse("applications:intake") in clerk_ru
    assert head_kk != head_ru  # the labels in Kazakh
    assert nav.main_nav(None).strip() == ""  # no role, no menu


@pytest.mark.django_db
def test_a_page_shows_the_readers_menu(client):
    from tests.factories import ProviderFactory, staff_user

    client.force_login(staff_user("nav_head", Role.HEAD, ProviderFactory()))
    html = client.get(reverse("applications:worklist"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    with translation.override("kk"):
        assert nav.main_nav(Role.HEAD) in html


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_the_language_choices_select_the_current_language(language):
    with translation.override(language):
        options = nav.language_options()
        assert options == render_to_string("_language_options.html")
    assert f'<option value="{language}" selected>' in options
    assert options.count(" selected") == 1
    assert "Қазақ" in options  # the names as their speakers write them
