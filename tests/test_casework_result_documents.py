"""The documents the applicant comes for (para 10) are declared once, on the case model: the
"documents are ready" message reads them (and the State Corporation's hand-out, for housing
assistance)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from applications.models import Application
from certificates.models import CertificateRequest
from complaints.models import Complaint
from housing_aid.casework import notify
from housing_aid.registry import CASE_MODELS


@pytest.mark.parametrize("model", CASE_MODELS, ids=lambda model: model.SERVICE)
def test_result_documents_are_documents_the_case_issues(model):
    assert set(model.RESULT_DOCUMENT_KINDS) <= set(model.DOCUMENT_KINDS.values)


@pytest.mark.parametrize(
    ("case", "kind", "tells"),
    [
        (Application(), "assignment_notice", True),
        (Application(), "acceptance_receipt", False),
        (CertificateRequest(), "decision_notice", True),
        (CertificateRequest(), "tripartite_agreement", False),
        (Complaint(), "complaint_response", False),
    ],
)
def test_issuing_a_result_document_tells_the_applicant(monkeypatch, case, kind, tells):
    scheduled = []
    monkeypatch.setattr(notify, "schedule", lambda case, key, message: scheduled.append(message))

    notify.document_issued(case, SimpleNamespace(pk=1, kind=kind))

    assert scheduled == (["documents_ready"] if tells else [])
