"""Documents as the law draws them: Appendix 3 with every element of the form, issued by the
State Corporation's department; para 6's order; one-page documents on one page."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from applications.models import Application
from housing_aid.documents import documents_of
from housing_aid.models import StaffProfile

from .conftest import advance, package

pytestmark = pytest.mark.django_db


def _pdf(application, kind):
    document = documents_of(application).defer(None).get(kind=kind)
    reader = PdfReader(io.BytesIO(bytes(document.pdf)))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


@pytest.fixture
def clerk_of_department_3(clerk):
    StaffProfile.objects.filter(user=clerk).update(
        department_number="3", department_address="г. Астана, пр. Мәңгілік Ел, 11", phone="+7 7172 55-44-33"
    )
    return clerk


def test_appendix_3_has_every_element_of_the_form(api, clerk_of_department_3, provider, at_intake_day):
    # given an incomplete package at the State Corporation's desk
    body = (
        api.as_user(clerk_of_department_3)
        .post(
            "/api/v1/applications/",
            package(documents=["identity", "utility_bills", "family_income"]),
            format="json",
        )
        .json()
    )
    application = Application.objects.get(pk=body["id"])

    # when the refusal receipt is issued
    pages = _pdf(application, "intake_refusal_receipt")

    # then it is two copies, one a page, each with every element of Appendix 3
    assert len(pages) == 2
    for text in pages:
        assert "Приложение 3" in text and "Форма" in text
        assert "Государственная корпорация «Правительство для граждан»" in text
        assert "отдел № 3" in text and "пр. Мәңгілік Ел, 11" in text
        assert provider.name_ru not in text  # issued by the State Corporation, not the akimat
        assert "Исполнитель" in text and "+7 7172 55-44-33" in text
        assert "Әбдірахманова Гүлжан Серікқызы" in text and application.number in text
        assert "«14» апреля 2025" in text  # the date line
        assert "подпись услугополучателя" in text
    # para 6 order: employment status before alimony before bank account before maintenance
    first = pages[0]
    positions = [
        first.index(label) for label in ("Справка с места работы", "Сведения об алиментах", "Банковский счёт")
    ]
    assert positions == sorted(positions)


def test_one_page_notices_keep_the_signature_and_qr_on_page_one(registered, officer, head):
    # given an assignment with a full calculation, signed by the head
    application = advance(
        registered(language="kk"),
        officer,
        "start_review",
        "start_verification",
        (
            "draft_assignment",
            {
                "quarter_income": "300000",
                "payments": {"maintenance": "15000", "utilities": "30000", "telecom": "2000", "rent": "0"},
            },
        ),
    )
    advance(application, head, "sign")
    from applications.documents import issue_due_documents

    issue_due_documents(application, head)

    # when the notice is read
    pages = _pdf(application, "assignment_notice")

    # then it is one page, with the head's name and the verification address on it
    assert len(pages) == 1
    notice = documents_of(application).get(kind="assignment_notice")
    assert notice.signed_by_name and notice.signed_by_name in pages[0]
    assert "/verify/" in pages[0]


def test_documents_presented_are_listed_in_para_6_order(registered):
    application = registered()

    receipt = _pdf(application, "acceptance_receipt")[0]

    labels = [
        "Документ, удостоверяющий личность",
        "Документы, подтверждающие доходы семьи",
        "Банковский счёт",
    ]
    found = [receipt.find(label) for label in labels if label in receipt]
    assert len(found) >= 2 and found == sorted(found)
