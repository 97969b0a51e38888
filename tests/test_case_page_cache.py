"""Issue 14: the case page keeps the panels that read the same for every reader (history,
documents, notes, applicant and calculation) rendered under the case's version
(housing_aid.casepage). The page still shows every change at once: an action, a document the job
has just issued, a note; each language has its own panels; another provider's reader gets 404
before any panel is read."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from applications import documents as application_documents
from applications.tests.conftest import advance, at_intake_day, registered  # noqa: F401
from certificates.tests.conftest import create, frozen, make_program, program  # noqa: F401
from complaints.tests.conftest import register  # noqa: F401
from housing_aid import casepage
from housing_aid.actions import run_action
from housing_aid.casework import actions as casework


def _client(user, language: str = "ru") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def _panel(html: str, element_id: str) -> str:
    """The element with this id, up to the end of its panel."""
    match = re.search(rf'id="{element_id}".*?</(ol|ul|section)>', html, re.S)
    assert match, element_id
    return match.group(0)


def _page(client, case) -> str:
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _kept_panels(case) -> dict:
    """What the cache holds for the case now, in Russian."""
    fresh = type(case).objects.get(pk=case.pk)
    with translation.override("ru"):
        return casepage._panels(fresh)


@pytest.fixture
def application(registered, officer):  # noqa: F811
    return advance(registered(), officer, "start_review")


def test_an_action_shows_at_once(application, officer):
    client = _client(officer)
    before = _page(client, application)
    assert _kept_panels(application), "the panels are kept after the first reading"
    assert "Сведения проверяются" not in _panel(before, "timeline")
    advance(application, officer, "start_verification")
    after = _page(client, application)
    assert _panel(after, "timeline").count("<li>") == _panel(before, "timeline").count("<li>") + 1


def test_a_note_shows_at_once(application, officer):
    client = _client(officer)
    assert "Позвонить заявителю" not in _page(client, application)
    casework.add_note(application, officer, "Позвонить заявителю")
    assert "Позвонить заявителю" in _panel(_page(client, application), "notes")


def test_a_document_the_job_issues_shows_at_once(registered, officer, monkeypatch):  # noqa: F811
    # The job has not run yet: the application form is being prepared.
    monkeypatch.setattr("applications.api.enqueue_documents", lambda *args, **kwargs: None)
    application = registered()
    client = _client(officer)
    documents = _panel(_page(client, application), "documents")
    assert "готовится" in documents and "/documents/" not in documents
    issued = application_documents.issue_due_documents(application)
    assert issued
    documents = _panel(_page(client, application), "documents")
    assert "готовится" not in documents
    for document in issued:
        assert document.number in documents


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_each_language_has_its_own_panels(application, officer, language):
    with translation.override(language):
        heading = translation.gettext("Timeline")
        others = {translation.gettext("Timeline")}
    for other in ("ru", "kk", "en"):
        with translation.override(other):
            others.add(translation.gettext("Timeline"))
    others.discard(heading)
    # Every language read once, this one last: its panels come from the cache.
    for first in ("ru", "kk", "en"):
        _page(_client(officer, first), application)
    html = _page(_client(officer, language), application)
    timeline = re.search(r"<h2>([^<]*)</h2>\s*<ol class=\"timeline\" id=\"timeline\">", html)
    assert timeline is not None and timeline.group(1) == heading
    assert others and not any(f'<h2>{o}</h2>\n    <ol class="timeline"' in html for o in others)


def test_another_providers_reader_gets_404_before_any_panel(application, officer, other_officer):
    _page(_client(officer), application)
    assert _kept_panels(application)
    response = _client(other_officer).get(application.get_absolute_url())
    assert response.status_code == 404
    assert application.number not in response.content.decode()


def test_another_providers_reader_gets_404_on_a_certificate(officer, other_officer, program, create):  # noqa: F811
    from certificates.models import CertificateRequest

    case = CertificateRequest.objects.get(pk=create()["id"])
    assert 'id="income-test"' in _page(_client(officer), case)
    assert _kept_panels(case)
    response = _client(other_officer).get(case.get_absolute_url())
    assert response.status_code == 404
    assert case.number not in response.content.decode()


def test_a_complaint_page_shows_an_action_at_once(complaints_officer, register, other_officer):  # noqa: F811
    from complaints.actions import ACTIONS
    from complaints.models import Complaint

    complaint = Complaint.objects.get(pk=register()["id"])
    client = _client(complaints_officer)
    before = _page(client, complaint)
    assert _kept_panels(complaint)
    run_action(ACTIONS, complaint, "start_review", complaints_officer)
    after = _page(client, complaint)
    assert after.count("<li><strong>") == before.count("<li><strong>") + 1
    response = _client(other_officer).get(complaint.get_absolute_url())
    assert response.status_code == 404


def test_a_panel_with_the_readers_csrf_token_is_never_kept(application, officer):
    """A panel that came out holding a form (the hand-out form of a ready document, for a
    reader who hands documents out) is drawn for each reader, never served from the cache."""
    html = casepage.panel(application, "probe", (), lambda: '<input name="csrfmiddlewaretoken" value="x">')
    assert "csrfmiddlewaretoken" in html
    assert not any(name.startswith("panel:probe") for name in _kept_panels(application))
