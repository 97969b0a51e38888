"""Documents are jobs: a failing renderer never undoes nor fails the action that asked for the
document; the job retries (with backoff) until it is issued; a GET of the case page renders nothing."""

from __future__ import annotations

import pytest

from certificates.models import CertificateRequest, Status
from certificates.tests.conftest import body, frozen, make_program, program, transition  # noqa: F401
from housing_aid import pdf
from housing_aid.models import CaseEvent, IssuedDocument
from housing_aid.tasks import issue_case_documents


class Renderer:
    """The real PDF renderer behind a counter; the first ``failures`` calls raise, as a WeasyPrint
    crash or a missing font would."""

    def __init__(self, real, failures: int):
        self.real, self.failures, self.calls = real, failures, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError("the renderer is down")
        return self.real(*args, **kwargs)


@pytest.fixture
def renderer(monkeypatch):
    # As a worker does: a failed try is retried, not raised to the caller. (Eager mode that
    # propagates raises the first Retry instead; without propagation it runs the retries at once.)
    monkeypatch.setitem(issue_case_documents.app.conf, "task_eager_propagates", False)
    real = pdf.render_pdf

    def install(failures: int = 0) -> Renderer:
        counting = Renderer(real, failures)
        monkeypatch.setattr(pdf, "render_pdf", counting)
        return counting

    return install


@pytest.fixture
def case(api, officer, program, frozen) -> dict:  # noqa: F811 - the certificate fixtures
    """A request registered under the officer's program, awaiting the decision."""
    response = api.as_user(officer).post("/api/v1/certificates/", body(), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _approve(api, case: dict, officer):
    return transition(api, officer, case["id"], "approve")


def _notice(case: dict):
    return IssuedDocument.objects.filter(
        object_id=case["id"], content_type__model="certificaterequest", kind="decision_notice"
    )


def _page(client, case: dict) -> str:
    return client.get(f"/certificates/{case['id']}/").content.decode()


def test_the_document_job_retries_with_backoff():
    assert Exception in issue_case_documents.autoretry_for
    assert issue_case_documents.retry_backoff and issue_case_documents.max_retries >= 3


def test_a_renderer_down_leaves_the_action_done_and_the_document_being_prepared(
    api, client, case, officer, renderer
):
    down = renderer(failures=10**6)

    response = _approve(api, case, officer)

    assert response.status_code == 200
    assert response.json()["status"] == Status.APPROVED
    assert CertificateRequest.objects.get(pk=case["id"]).status == Status.APPROVED
    assert CaseEvent.objects.filter(case_number=case["number"], transition="approve").count() == 1
    assert not _notice(case).exists()
    # The job ran once and was retried max_retries times (eager here: no wait between tries).
    assert down.calls == 1 + issue_case_documents.max_retries
    client.force_login(officer)
    assert 'class="pending"' in _page(client, case)

    down.failures = 0
    issue_case_documents.delay(CertificateRequest._meta.label, case["id"], officer.pk)

    assert _notice(case).count() == 1
    assert 'class="pending"' not in _page(client, case)


def test_a_renderer_failing_once_is_retried_and_the_document_issued(api, case, officer, renderer):
    flaky = renderer(failures=1)

    response = _approve(api, case, officer)

    assert response.status_code == 200
    assert _notice(case).count() == 1
    assert flaky.calls == 2


def test_a_failing_renderer_on_the_screen_still_redirects_with_the_action_done(
    client, case, officer, renderer
):
    renderer(failures=10**6)
    client.force_login(officer)

    response = client.post(f"/certificates/{case['id']}/act/approve/")

    assert response.status_code == 302
    assert CertificateRequest.objects.get(pk=case["id"]).status == Status.APPROVED
    assert not _notice(case).exists()


def test_the_first_get_of_a_case_page_with_a_due_document_renders_no_pdf(
    api, client, case, officer, renderer
):
    renderer(failures=10**6)
    assert _approve(api, case, officer).status_code == 200
    counting = renderer()
    client.force_login(officer)

    first = client.get(f"/certificates/{case['id']}/")

    assert first.status_code == 200 and 'class="pending"' in first.content.decode()
    assert counting.calls == 0
    assert not _notice(case).exists()
