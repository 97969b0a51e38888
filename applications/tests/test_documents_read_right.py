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
