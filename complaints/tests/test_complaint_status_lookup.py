"""Para 13: the complainant follows delivery, registration, execution and the answer."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_complainant_sees_progress_in_their_language(api, register, transition, complaints_officer):
    complaint = register()
    transition(complaints_officer, complaint["id"], "start_review")
    api.credentials()

    response = api.get(
        "/api/v1/status/",
        {"number": complaint["number"], "iin": "850315410002"},
        HTTP_ACCEPT_LANGUAGE="kk",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["service"] == "complaint"
    assert body["status"] == "under_review"
    assert body["status_display"] == "Орындалуда"
    assert body["due_date"] == complaint["due_date"]
    assert [h["status"] for h in body["history"]] == ["delivered", "registered", "under_review"]


def test_wrong_iin_and_wrong_number_answer_the_same_404(api, register):
    complaint = register()
    api.credentials()

    wrong_iin = api.get("/api/v1/status/", {"number": complaint["number"], "iin": "061211600012"})
    wrong_number = api.get("/api/v1/status/", {"number": "CM-710000000-2025-09999", "iin": "850315410002"})

    assert wrong_iin.status_code == wrong_number.status_code == 404
    assert wrong_iin.json() == wrong_number.json()
