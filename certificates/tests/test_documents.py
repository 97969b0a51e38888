"""The PDFs: decision notice with the income test, refusal, agreements, repayment schedule (ru and kk)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from certificates.tests.conftest import transition
from housing_aid.models import IssuedDocument

IBAN = "KZ86125KZT5004100100"
DUMP = os.environ.get("CERT_PDF_DIR")


def _text(number: str) -> str:
    doc = IssuedDocument.objects.get(number=number)
    if DUMP:
        Path(DUMP).mkdir(parents=True, exist_ok=True)
        Path(DUMP, f"{doc.kind}-{doc.language}.pdf").write_bytes(bytes(doc.pdf))
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(doc.pdf))).pages)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_document_carries_the_number_the_name_and_its_language(
    api, officer, trustee, program, create, language
):
    social = create(language=language)
    loan = create(iin="061211600012", monthly="400000.00", language=language)
    transition(api, officer, social["id"], "approve")
    transition(
        api,
        officer,
        social["id"],
        "conclude_agreement",
        {"visited_on": "2025-03-12", "agreement_on": "2025-03-12", "account_iban": IBAN},
    )
    transition(api, officer, loan["id"], "approve")
    docs = transition(
        api,
        trustee,
        loan["id"],
        "conclude_agreement",
        {
            "visited_on": "2025-03-12",
            "agreement_on": "2025-03-12",
            "account_iban": IBAN,
            "loan": {
                "term_months": 180,
                "security_kind": "pledge",
                "security_details": "Квартира, г. Астана",
            },
        },
    ).json()["documents"]
    social_docs = api.as_user(officer).get(f"/api/v1/certificates/{social['id']}/").json()["documents"]

    words = {"ru": "Расчёт дохода", "kk": "Табысты есептеу"}[language]
    for doc in social_docs + docs:
        text = _text(doc["number"])
        assert "Жақсыбекова Айнұр Серікқызы" in text
        assert (social["number"] in text) or (loan["number"] in text)
    decision = next(d for d in social_docs if d["kind"] == "decision_notice")
    assert words in _text(decision["number"])
    schedule = next(d for d in docs if d["kind"] == "repayment_schedule")
    expected = "8 340,00"  # grouped the same way in both languages (housing_aid/formats/kk)
    assert expected in _text(schedule["number"]).replace("\xa0", " ")


def test_refusal_notice_names_the_ground(api, officer, program, create):
    case = create(language="kk")
    refused = transition(
        api, officer, case["id"], "refuse", {"ground": "not_in_category", "reason": "Санатқа жатпайды"}
    ).json()

    text = _text(refused["documents"][0]["number"])

    assert "Алушылар санатына жатпайды" in text
    assert case["number"] in text
