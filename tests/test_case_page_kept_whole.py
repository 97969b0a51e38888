"""Issue 14: the case page is kept whole per reader (housing_aid.casepage.page) and is never
wrong for it: a change of the case, of the reader, of the day or of the person's other cases
shows at once; each reader, role and language has its own page; flash messages show once; the
CSRF token is the request's own; another provider's reader gets 404 before anything kept is
read. The same for the three services' pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from applications.tests.conftest import advance, at_intake_day, registered  # noqa: F401
from certificates.tests.conftest import create, frozen, make_program, program  # noqa: F401
from complaints.tests.conftest import register  # noqa: F401
from housing_aid import casepage
from housing_aid.models import StaffProfile
from housing_aid.sla.models import Notification

# What a kept page costs: the session's user and the stamp through the reader's scope; a
# reader who is not the case's executor, also whether they substitute for the executor today.
KEPT_QUERIES = 2


def _client(user, language: str = "ru", **kwargs) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language, **kwargs)
    client.cookies["django_language"] = language
    client.force_login(user)
    return client


def _get(client, case):
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return response


def _page(client, case) -> str:
    return _get(client, case).content.decode()


def _kept_page(client, case) -> str:
    """The page read twice: the second time it comes from the cache, in ``KEPT_QUERIES``."""
    _page(client, case)
    with CaptureQueriesContext(connection) as queries:
        html = _page(client, case)
    executor = case.assignee_id in (None, int(client.session["_auth_user_id"]))
    assert len(queries) == KEPT_QUERIES + (0 if executor else 1), [q["sql"][:80] for q in queries]
    return html


def _status(html: str) -> str:
    match = re.search(r'id="case-status">([^<]*)<', html)
    assert match
    return match.group(1)


@pytest.fixture
def application(registered, officer):  # noqa: F811
    return advance(registered(), officer, "start_review")


def test_an_action_shows_at_once(application, officer):
    client = _client(officer)
    before = _kept_page(client, application)
    advance(application, officer, "start_verification")
    after = _page(client, application)
    assert _status(after) != _status(before)
    assert after.count("<li><strong>") == before.count("<li><strong>") + 1


def test_a_save_without_an_event_shows_at_once(application, officer, at_intake_day):  # noqa: F811
    client = _client(officer)
    assert "30.04.2025" not in _kept_page(client, application)
    at_intake_day.shift(dt.timedelta(seconds=1))  # updated_at moves with the clock
    application.due_date = dt.date(2025, 4, 30)
    application.save(update_fields=["due_date", "updated_at"])
    assert "30.04.2025" in _page(client, application)


def test_each_reader_sees_their_own_page(application, officer, officer2, head):
    pages = {user.username: _kept_page(_client(user), application) for user in (officer, officer2, head)}
    header = re.compile(r'<div class="who">.*?<div><strong>([^<]*)</strong></div>', re.S)
    for user in (officer, officer2, head):
        assert header.search(pages[user.username]).group(1) == (user.get_full_name() or user.username)
    # The head's menu and assignment form; the officer's own actions.
    assert "/applications/signing/" in pages["head"] and 'id="assign-submit"' in pages["head"]
    assert 'id="assign-submit"' not in pages["officer"]
    assert 'id="action-start_verification"' in pages["officer"]


def test_a_change_of_role_shows_at_once(application, officer):
    client = _client(officer)
    assert 'id="action-start_verification"' in _kept_page(client, application)
    StaffProfile.objects.filter(user=officer).update(role="auditor")
    after = _page(client, application)
    assert 'id="action-start_verification"' not in after


def test_each_language_has_its_own_page(application, auditor):
    # The auditor's header names no provider (all of them): nothing else in it has a language.
    russian = _kept_page(_client(auditor, "ru"), application)
    kazakh = _kept_page(_client(auditor, "kk"), application)
    assert 'lang="ru"' in russian and 'lang="kk"' in kazakh
    assert _status(russian) != _status(kazakh)


def test_the_bell_counts_the_readers_notifications(application, officer):
    client = _client(officer)
    assert 'data-unread="1"' not in _kept_page(client, application)
    Notification.objects.create(
        recipient=officer, kind="reminder", due_date=dt.date(2025, 4, 16), case_number=application.number
    )
    assert 'data-unread="1"' in _page(client, application)


def test_a_deadline_badge_is_todays(application, officer, at_intake_day):  # noqa: F811
    client = _client(officer)
    badge = re.compile(r'class="badge deadline-[a-z_]+"')
    monday = badge.search(_kept_page(client, application)).group(0)
    at_intake_day.move_to(dt.datetime(2025, 4, 18, 11, 0, tzinfo=dt.UTC))  # the review was due 16.04
    friday = badge.search(_page(client, application)).group(0)
    assert monday != friday and "overdue" in friday


def test_the_persons_new_application_shows_at_once(application, officer, registered):  # noqa: F811
    client = _client(officer)
    assert "Other applications of this person" not in _kept_page(client, application)
    other = registered()
    assert other.applicant_id == application.applicant_id
    html = _page(client, application)
    assert other.number in html


def test_flash_messages_show_once_after_a_redirect(application, officer):
    client = _client(officer)
    _kept_page(client, application)
    response = client.post(
        f"/applications/{application.pk}/transitions/start_verification/",
        {"expected_status": application.status},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="messages"' in html
    # Shown once: the next reading is the kept page, without the message.
    assert 'class="messages"' not in _kept_page(client, application)


def test_the_csrf_token_is_the_requests_own(application, officer):
    first = _client(officer, enforce_csrf_checks=True)
    _kept_page(first, application)
    second = _client(officer, enforce_csrf_checks=True)
    response = _get(second, application)
    html = response.content.decode()
    assert not re.search(r"casepage[0-9a-f]{32}", html), "no mark is left for the token"
    assert "csrftoken" in response.cookies, "the CSRF cookie is set for the kept page"
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1
    posted = second.post(
        f"/applications/{application.pk}/transitions/start_verification/",
        {"expected_status": application.status, "csrfmiddlewaretoken": tokens.pop()},
    )
    assert posted.status_code == 302, "the kept page's form posts with the request's token"


def test_another_providers_reader_gets_404_before_anything_kept(
    application, officer, other_officer, monkeypatch
):
    _kept_page(_client(officer), application)

    def no_reading(*args, **kwargs):
        raise AssertionError("the cache was read for a reader outside the scope")

    monkeypatch.setattr(casepage.cache, "get", no_reading)
    monkeypatch.setattr(casepage.cache, "get_many", no_reading)
    response = _client(other_officer).get(application.get_absolute_url())
    assert response.status_code == 404


def test_a_certificate_page_shows_the_programs_budget_at_once(officer, program, create):  # noqa: F811
    from certificates.models import CertificateProgram, CertificateRequest

    case = CertificateRequest.objects.get(pk=create()["id"])
    client = _client(officer)
    _kept_page(client, case)
    # Another request's approval moves the committed sum with a conditional update: no event
    # on this request, no updated_at on the program.
    CertificateProgram.objects.filter(pk=case.program_id).update(committed=1234567)
    assert "1 234 567" in _page(client, case).replace("\xa0", " ")


def test_a_complaint_page_shows_an_escalation_at_once(complaints_officer, register, other_officer):  # noqa: F811
    from complaints.models import Complaint

    complaint = Complaint.objects.get(pk=register()["id"])
    child = Complaint.objects.get(pk=register()["id"])
    client = _client(complaints_officer)
    assert "escalation-link" not in _kept_page(client, complaint)
    # Passed on as the child: only the child's row changes.
    Complaint.objects.filter(pk=child.pk).update(parent=complaint)
    assert f'class="escalation-link">{child.number}<' in _page(client, complaint)
    assert _client(other_officer).get(complaint.get_absolute_url()).status_code == 404


def test_a_refused_notes_draft_shows_once(application, officer):
    client = _client(officer)
    _kept_page(client, application)
    session = client.session
    session["note_draft"] = "Черновик примечания"
    session.save()
    assert "Черновик примечания" in _page(client, application)
    assert "Черновик примечания" not in _page(client, application)


def test_a_query_string_is_drawn_afresh_and_not_kept(application, officer):
    client = _client(officer)
    url = application.get_absolute_url() + "?from=worklist"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) > KEPT_QUERIES + 1
