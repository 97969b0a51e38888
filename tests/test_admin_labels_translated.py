"""The admin's change pages label every field in the administrator's language: a field without
a translated verbose name showed its English name ("Content type", "Case number", "Closed at")
on Russian and Kazakh pages."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.functional import Promise

from complaints.models import Complaint
from complaints.tests.conftest import complaint_payload
from housing_aid.models import CaseEvent, CaseStage, IssuedDocument

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
NAMES = {"SHA-256", "PDF", "IBAN", "E-mail", "ID"}  # the same in every language
PROJECT_APPS = {"housing_aid", "applications", "certificates", "complaints", "sla", "casework", "eds"}


LABEL = re.compile(r"<label[^>]*>(.*?)</label>", re.S)
TAG = re.compile(r"<[^>]+>")


def _labels(page: bytes) -> list[str]:
    """The field labels of the change form (the part of the page inside its <form>)."""
    form = page.decode().split('<div id="content-main">', 1)[1].split("</form>", 1)[0]
    return [" ".join(TAG.sub("", m).split()).rstrip(":") for m in LABEL.findall(form)]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_field_of_a_case_row_is_labelled_in_the_admins_language(
    client, api, complaints_officer, admin_user, language
):
    response = api.as_user(complaints_officer).post("/api/v1/complaints/", complaint_payload(), format="json")
    assert response.status_code == 201, response.json()
    client.force_login(admin_user)
    client.cookies["django_language"] = language
    rows = [Complaint.objects.get(), CaseEvent.objects.first(), CaseStage.objects.first()]
    rows += list(IssuedDocument.objects.all()[:1])

    for row in rows:
        opts = row._meta
        page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
        assert page.status_code == 200, opts.label
        labels = _labels(page.content)
        assert labels, opts.label
        english = [label for label in labels if not CYRILLIC.search(label) and label not in NAMES]
        assert not english, (opts.label, english)


def test_an_event_and_a_stage_show_their_action_status_and_stage_in_words_not_codes(
    client, api, complaints_officer, admin_user
):
    response = api.as_user(complaints_officer).post("/api/v1/complaints/", complaint_payload(), format="json")
    assert response.status_code == 201, response.json()
    client.force_login(admin_user)
    event, stage = CaseEvent.objects.get(transition="register"), CaseStage.objects.first()

    event_page = client.get(reverse("admin:housing_aid_caseevent_change", args=[event.pk])).content.decode()
    stage_page = client.get(reverse("admin:housing_aid_casestage_change", args=[stage.pk])).content.decode()
    events = client.get(reverse("admin:housing_aid_caseevent_changelist")).content.decode()

    for page in (event_page, events):
        assert "Зарегистрирована" in page or "Зарегистрировано" in page
        assert ">register<" not in page and "->registered" not in page
    assert ">complaint<" not in event_page
    assert f">{stage.stage}<" not in stage_page and " due " not in stage_page


def test_every_field_the_admin_shows_of_the_projects_models_has_a_translated_name():
    untranslated = []
    for model, model_admin in admin.site._registry.items():
        shown = [(model, None)] + [(inline.model, inline.fk_name) for inline in model_admin.inlines]
        for shown_model, _parent in shown:
            if shown_model._meta.app_label not in PROJECT_APPS:
                continue
            for field in shown_model._meta.concrete_fields:
                if (
                    not field.editable
                    or field.auto_created
                    or field.is_relation
                    and field.related_model is model
                ):
                    continue
                if not isinstance(field.verbose_name, Promise) and field.verbose_name not in NAMES:
                    untranslated.append(f"{shown_model._meta.label}.{field.name}")

    assert not untranslated
