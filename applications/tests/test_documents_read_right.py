"""What an applicant reads on the documents: every word in the document's language, and
what the Rules require on each (the right to appeal, the blanks of Appendix 1, the date line)."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from applications.models import Application
from housing_aid.documents import documents_of
from housing_aid.eds import services as eds

from .conftest import advance

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return " ".join(re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages)


def _issued(application: Application, kind: str) -> str:
    return _text(bytes(documents_of(application).defer(None).get(kind=kind).pdf))


def _assignment_drafted(registered, officer, **changes) -> Application:
    return advance(
        registered(**changes),
        officer,
        "start_review",
        "start_verification",
        ("draft_assignment", {"quarter_income": "300000", "payments": {"maintenance": "15000"}}),
    )


def test_a_kazakh_draft_says_draft_in_kazakh_whatever_the_heads_language(registered, officer, head):
    # given a notice drafted in Kazakh, previewed by a head who works in Russian
    application = _assignment_drafted(registered, officer, language="kk")

    with translation.override("ru"):
        text = _text(eds.render_draft(application, head))

    # then the number's placeholder is Kazakh too (the watermark carries all three words)
    assert "Құжат № ЖОБА" in text
    assert "№ ПРОЕКТ" not in text


def _refused(registered, officer, head, **changes) -> Application:
    application = advance(
        registered(**changes),
        officer,
        "start_review",
        "start_verification",
        ("draft_refusal", {"ground": "inaccurate_documents", "reason": "Доходы не подтверждены."}),
    )
    return advance(application, head, "sign")


def _returned(registered, officer, head, **changes) -> Application:
    application = advance(
        registered(**changes),
        officer,
        "start_review",
        ("draft_return", {"reason": "Нет справки о доходах.", "missing_documents": ["family_income"]}),
    )
    return advance(application, head, "sign")


APPEAL = {
    "ru": [
        "руководителя услугодателя",
        "уполномоченный орган в сфере жилищных отношений",
        "в течение 5 рабочих дней со дня её регистрации",
        "уполномоченный орган по оценке и контролю за качеством оказания государственных услуг",
        "в течение 15 рабочих дней со дня её регистрации",
        "суд",
    ],
    "kk": [
        "көрсетілетін қызметті берушінің басшысына",
        "тұрғын үй қатынастары саласындағы уәкілетті органға",
        "5 жұмыс күні ішінде қаралады",
        "сапасын бағалау және бақылау жөніндегі уәкілетті органға",
        "15 жұмыс күні ішінде",
        "сотқа",
    ],
}


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_refusal_and_a_refusal_to_consider_further_say_where_and_within_what_term_to_appeal(
    registered, officer, head, language
):
    # given a reasoned refusal (para 12) and a reasoned refusal to consider further (para 9.2)
    refused = _refused(registered, officer, head, language=language)
    returned = _returned(registered, officer, head, language=language)

    # then each names every step of chapter 3 with its term: the provider's head or the
    # authorized body (5 wd), the quality-control body (15 wd), the court
    for text in (_issued(refused, "refusal_notice"), _issued(returned, "return_notice")):
        for words in APPEAL[language]:
            assert words in text, words


def test_the_appeal_terms_are_the_ones_in_force_not_written_into_the_template(
    registered, officer, head, provider
):
    # given an administrator who shortened the answer term to 3 working days
    import datetime as dt

    from complaints import parameters as terms
    from housing_aid import parameters

    parameters.set_value(terms.ANSWER_DAYS, dt.date(2025, 1, 1), 3, legal_basis="test")

    # when a refusal is issued
    text = _issued(_refused(registered, officer, head), "refusal_notice")

    # then it names the term in force
    assert "в течение 3 рабочих дней со дня её регистрации" in text
    assert "в течение 5 рабочих дней" not in text


@pytest.mark.parametrize(
    ("language", "date_line"), [("ru", "«14» апреля 2025 г."), ("kk", "2025 жылғы «14» сәуір")]
)
def test_appendix_3s_date_line_is_written_as_each_language_writes_a_date(
    api, clerk, at_intake_day, language, date_line
):
    # given an incomplete package refused at the desk
    from .conftest import package

    response = api.as_user(clerk).post(
        "/api/v1/applications/", package(documents=["identity"], language=language), format="json"
    )
    application = Application.objects.get(pk=response.json()["id"])

    # then the form's «__» ________ 20__ line reads as the language writes a date (Kazakh: the
    # year first, the month in lower case), on both copies
    text = _issued(application, "intake_refusal_receipt")
    assert text.count(date_line) == 2


def test_appendix_1_keeps_a_blank_for_what_the_case_does_not_hold(registered):
    # given a package registered without the applicant's date of birth and identity document
    application = registered()
    assert application.applicant.birth_date is None and not application.id_document_number

    # then the form still asks for each field of Appendix 1, with a blank to fill in by hand
    text = _issued(application, "application_form")
    for label in ("год рождения", "№ документа, удостоверяющего личность", "кем выдан"):
        assert label in text, label


def test_appendix_1_prints_what_the_case_holds(api, clerk, at_intake_day):
    from .conftest import package

    data = package(language="kk")
    data["applicant"].update(
        birth_date="1985-03-15", id_document_number="045678912", id_document_issuer="ҚР ІІМ"
    )
    response = api.as_user(clerk).post("/api/v1/applications/", data, format="json")
    text = _issued(Application.objects.get(pk=response.json()["id"]), "application_form")

    assert "туған жылы 1985" in text
    assert "жеке басын куәландыратын құжат № 045678912, кім берген ҚР ІІМ" in text
