"""The documents: issued once, with number, hash and QR; text carries the case number and the name."""

from __future__ import annotations

import hashlib
import io
import os
import re
from pathlib import Path

from pypdf import PdfReader

from housing_aid.documents import documents_of

from .conftest import advance, package

PDF_DIR = Path(os.environ.get("HA_PDF_DIR", Path(__file__).resolve().parents[2] / "artifacts" / "pdfs"))


def pdf_text(document) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(document.pdf))).pages)
    return re.sub(r"\s+", " ", text)


def keep(document) -> str:
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    (PDF_DIR / f"{document.kind}-{document.language}.pdf").write_bytes(bytes(document.pdf))
    return pdf_text(document)


def test_acceptance_receipt_and_application_form(registered):
    application = registered()

    docs = {d.kind: d for d in documents_of(application).defer(None)}

    receipt = keep(docs["acceptance_receipt"])
    form = keep(docs["application_form"])
    for text in (receipt, form):
        assert application.number in text
        assert "Әбдірахманова Гүлжан Серікқызы" in text
    assert "24.04.2025" in receipt  # the term, Appendix 2
    assert "KZ86125KZT5004100100" in form
    assert "Әбдірахманов Нұрлан" in form


def test_intake_refusal_receipt_names_each_missing_document(api, clerk, at_intake_day):
    body = (
        api.as_user(clerk)
        .post("/api/v1/applications/", package(documents=["identity", "family_income"]), format="json")
        .json()
    )
    from applications.models import Application

    application = Application.objects.get(pk=body["id"])
    text = keep(documents_of(application).defer(None).get(kind="intake_refusal_receipt"))

    assert application.number in text and "Әбдірахманова Гүлжан Серікқызы" in text
    for label in (
        "Счета на коммунальные услуги",
        "Счёт о размере ежемесячных взносов на содержание жилого дома",
        "Квитанция или договор на услуги связи",
        "Банковский счёт",
    ):
        assert label in text
    assert "в 2 экземплярах" in text


def test_assignment_notice_prints_the_calculation_in_kazakh(registered, officer, head):
    application = advance(
        registered(language="kk"),
        officer,
        "start_review",
        "start_verification",
        ("draft_assignment", {"quarter_income": "300000", "payments": {"maintenance": "15000"}}),
    )
    advance(application, head, "sign")
    from applications.documents import issue_due_documents

    issue_due_documents(application, head)
    notice = documents_of(application).defer(None).get(kind="assignment_notice")
    text = keep(notice)

    assert notice.language == "kk"
    assert application.number in text and "Әбдірахманова Гүлжан Серікқызы" in text
    # money is grouped by the document's language: "100 000,00" (the separator may be a no-break space)
    grouped = text.replace("\xa0", " ").replace("\u202f", " ")
    assert "5 000,00" in grouped and "100 000,00" in grouped and "15 000,00" in grouped
    assert "5000.00" not in text
    assert "30.06.2025" in text
    assert notice.signed_by_name in text
    assert hashlib.sha256(bytes(notice.pdf)).hexdigest() == notice.sha256


def test_refusal_and_return_notices_carry_their_ground_and_reasons(registered, officer, head):
    from applications.documents import issue_due_documents

    refused = advance(
        registered(),
        officer,
        "start_review",
        "start_verification",
        ("draft_refusal", {"ground": "court_deprivation", "reason": "Решение суда № 2-1234/2025."}),
    )
    advance(refused, head, "sign")
    issue_due_documents(refused, head)
    returned = advance(
        registered(iin="061211600012"),
        officer,
        "start_review",
        (
            "draft_return",
            {"reason": "Нет справки с места работы.", "missing_documents": ["employment_status"]},
        ),
    )
    advance(returned, head, "sign")
    issue_due_documents(returned, head)

    refusal_text = keep(documents_of(refused).defer(None).get(kind="refusal_notice"))
    return_text = keep(documents_of(returned).defer(None).get(kind="return_notice"))

    assert refused.number in refusal_text and "Решение суда № 2-1234/2025." in refusal_text
    assert "12.4" in refusal_text
    assert returned.number in return_text and "Нет справки с места работы." in return_text


def test_a_document_is_issued_once_and_verifiable(registered, client):
    from applications.documents import issue_due_documents

    application = registered()
    before = {d.number: d.sha256 for d in documents_of(application)}

    issue_due_documents(application)
    after = {d.number: d.sha256 for d in documents_of(application)}
    receipt = documents_of(application).get(kind="acceptance_receipt")
    page = client.get(f"/verify/{receipt.verification_token}/").content.decode()

    assert before == after
    assert receipt.number in page and receipt.sha256 in page


def test_pdf_download_through_the_api(api, registered, officer, other_officer):
    application = registered()
    body = api.as_user(officer).get(f"/api/v1/applications/{application.pk}/").json()
    url = body["documents"][0]["url"]

    response = api.as_user(officer).get(url)
    other = api.as_user(other_officer).get(url)

    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(response.content).hexdigest() == body["documents"][0]["sha256"]
    assert other.status_code == 404


def test_intake_refusal_receipt_prints_two_copies_one_for_each_party(api, clerk, at_intake_day):
    from applications.models import Application

    body = (
        api.as_user(clerk)
        .post("/api/v1/applications/", package(documents=["identity"], language="kk"), format="json")
        .json()
    )
    application = Application.objects.get(pk=body["id"])
    receipt = documents_of(application).defer(None).get(kind="intake_refusal_receipt")

    pages = [page.extract_text() for page in PdfReader(io.BytesIO(bytes(receipt.pdf))).pages]

    assert len(pages) == 2
    assert "1-дана: көрсетілетін қызметті алушыға".upper() in pages[0].upper()
    assert "2-дана: Мемлекеттік корпорацияға".upper() in pages[1].upper()
    for page in pages:
        assert application.number in page
        assert "Гүлжан" in page
