"""The registration slip and the response letter: text the complainant and the court can read."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from housing_aid.models import IssuedDocument

pytestmark = pytest.mark.django_db


def _text(number: str) -> str:
    document = IssuedDocument.objects.get(number=number)
    content = bytes(document.pdf)
    if os.environ.get("COMPLAINTS_PDF_DIR"):  # to look at them as images
        Path(os.environ["COMPLAINTS_PDF_DIR"], f"{document.kind}-{document.language}.pdf").write_bytes(
            content
        )
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_registration_slip_carries_number_name_and_due_date(register):
    complaint = register()

    text = _squash(_text(complaint["documents"][0]["number"]))

    assert complaint["number"] in text
    assert "Сейітқали Әсел Болатқызы" in text
    assert "12.03.2025" in text


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_response_letter_in_russian_or_kazakh(register, transition, complaints_officer, language):
    complaint = register()
    transition(complaints_officer, complaint["id"], "start_review")
    body = transition(
        complaints_officer,
        complaint["id"],
        "answer",
        {"response": "Заявление рассмотрено 05.03.2025, жилищная помощь назначена.", "language": language},
    ).json()

    letter = next(d for d in body["documents"] if d["kind"] == "complaint_response")
    text = _squash(_text(letter["number"]))

    assert complaint["number"] in text
    assert "Сейітқали Әсел Болатқызы" in text
    assert "жилищная помощь назначена" in text
    heading = {"ru": "Мотивированный ответ на жалобу", "kk": "Шағымға дәлелді жауап"}[language]
    assert heading in text


def test_the_response_names_the_quality_control_term_in_force(register, transition, complaints_officer):
    # given an administrator who set the quality-control body's term to 10 working days
    import datetime as dt

    from complaints import parameters as terms
    from housing_aid import parameters

    parameters.set_value(terms.QUALITY_CONTROL_ANSWER_DAYS, dt.date(2025, 1, 1), 10, legal_basis="test")
    complaint = register()
    transition(complaints_officer, complaint["id"], "start_review")

    # when the department answers
    body = transition(complaints_officer, complaint["id"], "answer", {"response": "Ответ."}).json()
    letter = next(d for d in body["documents"] if d["kind"] == "complaint_response")

    # then the letter tells the complainant the term in force, not a figure written into it
    text = _squash(_text(letter["number"]))
    assert "в течение 10 рабочих дней со дня регистрации" in text
    assert "15 рабочих дней" not in text
