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
        Path(DUMP, f"{doc.kind}-{doc.language}-{doc.case_number[-5:]}.pdf").write_bytes(bytes(doc.pdf))
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


FAMILY_OF_FOUR = [
    {"full_name": "Жақсыбеков Ерлан Болатұлы", "birth_date": "1983-06-01", "relationship": "spouse"},
    {"full_name": "Жақсыбекова Әйгерім Ерланқызы", "birth_date": "2012-09-01", "relationship": "child"},
    {"full_name": "Жақсыбеков Нұрлан Ерланұлы", "birth_date": "2016-04-20", "relationship": "child"},
]


def _pages(number: str) -> int:
    _text(number)  # dumps it when CERT_PDF_DIR is set
    return len(PdfReader(io.BytesIO(bytes(IssuedDocument.objects.get(number=number).pdf))).pages)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_decision_and_refusal_of_a_family_of_four_fit_one_page(api, officer, program, create, language):
    social = create(language=language, members=FAMILY_OF_FOUR, member_monthly={0: "250000.00"})
    loan = create(
        iin="061211600012",
        monthly="900000.00",
        language=language,
        members=FAMILY_OF_FOUR,
        member_monthly={0: "900000.00"},
    )
    refused = create(iin="880212350010", language=language, members=FAMILY_OF_FOUR)
    notices = [
        transition(api, officer, social["id"], "approve").json()["documents"][0],
        transition(api, officer, loan["id"], "approve").json()["documents"][0],
        transition(
            api,
            officer,
            refused["id"],
            "refuse",
            {
                "ground": "inaccurate_documents",
                "reason": "Сведения о доходах супруга за январь не совпадают с данными ЕНПФ; "
                "справка о составе семьи выдана более 30 дней назад.",
            },
        ).json()["documents"][0],
    ]

    assert (
        loan["income_test"]["kind"] == "budget_loan" and social["income_test"]["kind"] == "social_assistance"
    )
    assert {d["kind"] for d in notices} == {"decision_notice", "refusal_notice"}
    assert [_pages(d["number"]) for d in notices] == [1, 1, 1]


@pytest.mark.parametrize(
    ("language", "label", "result"),
    [("ru", "Вид поддержки по доходу", "Результат"), ("kk", "Табыс бойынша қолдау түрі", "Нәтиже")],
)
def test_a_refusal_does_not_read_as_if_support_were_granted(
    api, officer, program, create, language, label, result
):
    # given a request whose income is within the limit for social assistance, refused on a ground
    case = create(language=language)
    refused = transition(
        api,
        officer,
        case["id"],
        "refuse",
        {"ground": "inaccurate_documents", "reason": "Доходы не подтверждены."},
    ).json()

    text = " ".join(_text(refused["documents"][0]["number"]).split())

    # then the income test names what the income corresponds to, not a "Result" that reads
    # "Social assistance (free, non-repayable)" on a letter of refusal
    assert label in text
    assert result not in text


def test_the_rate_and_the_multiplier_read_as_the_law_writes_them(api, officer, trustee, program, create):
    # given a budget loan at 0.01 % a year, decided against 3.1 x MSL
    loan = create(iin="061211600012", monthly="400000.00")
    decision = transition(api, officer, loan["id"], "approve").json()["documents"][0]
    documents = transition(
        api,
        trustee,
        loan["id"],
        "conclude_agreement",
        {
            "visited_on": "2025-03-12",
            "agreement_on": "2025-03-12",
            "account_iban": IBAN,
            "loan": {"term_months": 180, "security_kind": "pledge", "security_details": "Квартира"},
        },
    ).json()["documents"]

    # then the figures carry the decimals they have: 0,01 %, not 0,0100 %; 3,1 x, not 3,10 x;
    # a figure and its sign are never split over two lines (no-break spaces)
    loan_documents = [d for d in documents if d["kind"] in ("tripartite_agreement", "repayment_schedule")]
    assert len(loan_documents) == 2
    for document in loan_documents:
        text = _text(document["number"])
        assert "0,01\xa0%" in text and "0,0100" not in text, document["kind"]
    assert "(3,1\xa0×\xa0ПМ)" in _text(decision["number"])


def test_a_decision_issued_by_a_later_job_is_signed_by_the_officer_who_decided(
    api, officer, trustee, program, create, monkeypatch
):
    from certificates import services
    from certificates.models import CertificateRequest

    officer.first_name, officer.last_name = "Бауыржан", "Қасымов"
    officer.save()
    trustee.first_name, trustee.last_name = "Мәдина", "Жұмабаева"
    trustee.save()
    loan = create(iin="061211600012", monthly="400000.00")
    # given a decision whose document job did not run (the worker was down) ...
    with monkeypatch.context() as patched:
        patched.setattr(services, "enqueue_documents", lambda case, user=None: None)
        services.act(CertificateRequest.objects.get(pk=loan["id"]), "approve", officer, {})
    # ... until the trustee concluded the agreement, whose job issues everything due
    documents = transition(
        api,
        trustee,
        loan["id"],
        "conclude_agreement",
        {
            "visited_on": "2025-03-12",
            "agreement_on": "2025-03-12",
            "account_iban": IBAN,
            "loan": {"term_months": 120, "security_kind": "pledge", "security_details": "Квартира"},
        },
    ).json()["documents"]

    # then the decision is signed by the officer who decided, the agreement by the trustee
    signers = {d.kind: d.signed_by_name for d in IssuedDocument.objects.filter(object_id=loan["id"])}
    assert {d["kind"] for d in documents} >= {"decision_notice", "tripartite_agreement"}
    assert signers["decision_notice"] == "Бауыржан Қасымов"
    assert signers["tripartite_agreement"] == signers["repayment_schedule"] == "Мәдина Жұмабаева"
    assert "Бауыржан Қасымов" in _text(
        IssuedDocument.objects.get(object_id=loan["id"], kind="decision_notice").number
    )
