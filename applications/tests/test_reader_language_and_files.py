"""One language per reader: document titles from their declared kind, histories with names and
positions, attachments that open inside the case's scope, CSV exports Excel opens as they are."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from applications.models import DocumentKind
from housing_aid.models import Attachment, StaffProfile

from .conftest import advance

pytestmark = pytest.mark.django_db


def _blank_pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _blank_pdf()


def _client(user, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_document_titles_follow_the_reader_not_the_issuer(registered, officer):
    # given an application whose documents were issued in Russian
    application = registered()
    assert application.language == "ru"

    # when an officer reads the case page in Kazakh and in English
    kk = _client(officer, "kk").get(f"/applications/{application.pk}/").content.decode()
    en = _client(officer, "en").get(f"/applications/{application.pk}/").content.decode()

    # then each reader sees the title of the declared kind in their own language
    with translation.override("kk"):
        kk_title = str(DocumentKind.APPLICATION_FORM.label)
    with translation.override("ru"):
        ru_title = str(DocumentKind.APPLICATION_FORM.label)
    assert kk_title != ru_title
    assert kk_title in kk and ru_title not in kk
    assert "Application (Appendix 1)" in en and ru_title not in en


def test_timeline_shows_name_and_position_not_the_login(registered, officer, clerk):
    # given a clerk with a position, and an officer without one
    StaffProfile.objects.filter(user=clerk).update(position="Главный менеджер ЦОН")
    application = advance(registered(), officer, "start_review")

    # when the officer opens the case
    html = _client(officer, "ru").get(f"/applications/{application.pk}/").content.decode()
    timeline = html.split('id="timeline"', 1)[1]

    # then the history names people and positions (the role when no position is set), never logins
    assert "Қалиев Айдос, Главный менеджер ЦОН" in timeline
    assert "Қалиев Айдос, Специалист" in timeline or "Қалиев Айдос, Ответственный исполнитель" in timeline
    assert f"· {clerk.username}<" not in timeline and f"· {officer.username}<" not in timeline


def test_attachment_opens_inline_for_the_case_scope_only(registered, clerk, officer, other_officer):
    # given a scan attached to the case at the desk
    application = registered()
    _client(clerk, "ru").post(
        f"/applications/{application.pk}/attachments/",
        {"file": SimpleUploadedFile("доход.pdf", PDF, "application/pdf"), "document_code": "family_income"},
    )
    attachment = Attachment.objects.get(object_id=application.pk)

    # when the officer opens the case page and follows the link, and another provider's officer tries
    page = _client(officer, "kk").get(f"/applications/{application.pk}/").content.decode()
    mine = _client(officer, "kk").get(f"/attachments/{attachment.pk}/")
    theirs = _client(other_officer, "kk").get(f"/attachments/{attachment.pk}/")

    # then the link is there with translated type and document names, the file opens in the
    # browser as a PDF, and outside the scope it does not exist
    assert f'href="/attachments/{attachment.pk}/"' in page
    with translation.override("kk"):
        assert str(Attachment.objects.get().type_name) in page
        assert attachment.document_label in page
    assert ">family_income<" not in page and "· family_income" not in page
    assert mine.status_code == 200
    assert mine["Content-Type"] == "application/pdf"
    assert mine["Content-Disposition"].startswith("inline")
    assert mine["X-Content-Type-Options"] == "nosniff"
    assert b"".join(mine.streaming_content) == PDF
    assert theirs.status_code == 404


def test_events_export_in_kazakh_uses_semicolons_and_a_bom(registered, officer, auditor):
    # given a registered and reviewed application
    advance(registered(), officer, "start_review")

    # when an auditor exports the events with the interface in Kazakh
    response = _client(auditor, "kk").get(
        "/applications/events.csv", {"from": "2025-04-01", "to": "2025-04-30"}
    )
    raw = b"".join(response.streaming_content)

    # then the file starts with the UTF-8 BOM, separates with ";" and speaks Kazakh
    assert raw.startswith("\ufeff".encode())
    header = raw.decode("utf-8-sig").splitlines()[0]
    assert header.split(";")[:2] == ["Күні мен уақыты", "Іс нөмірі"]
    assert "," not in header


def test_a_refused_scan_says_why_beside_the_file_field_and_keeps_the_document_chosen(registered, clerk):
    application = registered()
    client = _client(clerk, "ru")
    url = f"/applications/{application.pk}/attachments/"

    unreadable = client.post(
        url,
        {
            "file": SimpleUploadedFile("доход.pdf", b"not a pdf", "application/pdf"),
            "document_code": "family_income",
        },
    )
    no_file = client.post(url, {"document_code": "family_income"})

    assert not Attachment.objects.exists()
    for response in (unreadable, no_file):
        page = response.content.decode()
        assert response.status_code == 400
        assert 'id="att-error"' in page
        assert '<option value="family_income" selected>' in page
    assert "PDF" in unreadable.content.decode().split('id="att-error"')[1].split("</ul>")[0]
    assert "Выберите файл." in no_file.content.decode().split('id="att-error"')[1].split("</ul>")[0]
