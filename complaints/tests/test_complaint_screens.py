"""The worklist, the registration form, the complaint page and the answer form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from complaints.models import Complaint
from housing_aid import documents, pdf
from housing_aid.models import IssuedDocument
from housing_aid.uploads import attachments_of

pytestmark = pytest.mark.django_db


def _real_pdf() -> bytes:
    """A one-page PDF that pypdf opens (uploads are parsed, not sniffed: issue 10)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _real_pdf()


def _form(**overrides):
    data = {
        "provider": "",
        "addressee": "service_provider",
        "channel": "office",
        "received_at": "2025-03-04T10:00",
        "complainant_last_name": "Ким",
        "complainant_first_name": "Сергей",
        "complainant_patronymic": "",
        "complainant_postal_address": "010000, г. Астана, пр. Республики, 24, кв. 3",
        "complainant_iin": "",
        "subject": "inaction",
        "case_number": "",
        "respondent": "",
        "language": "ru",
        "text": "Не получил ответа на заявление.",
    }
    data.update(overrides)
    return data


def test_registration_form_registers_and_attaches_scans(client, complaints_officer, provider):
    client.force_login(complaints_officer)
    scan = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")

    response = client.post("/complaints/new/", {**_form(provider=provider.pk), "attachments": [scan]})

    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/complaints/{complaint.pk}/"
    assert complaint.registered_on == dt.date(2025, 3, 4)
    assert [a.original_name for a in attachments_of(complaint)] == ["scan.pdf"]


def test_registration_form_without_postal_address_shows_the_error_and_saves_nothing(
    client, complaints_officer, provider
):
    client.force_login(complaints_officer)

    response = client.post("/complaints/new/", _form(provider=provider.pk, complainant_postal_address=""))

    assert response.status_code == 200
    assert "complainant_postal_address" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_registration_form_rejects_a_file_that_is_not_a_document(client, complaints_officer, provider):
    client.force_login(complaints_officer)
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client.post("/complaints/new/", {**_form(provider=provider.pk), "attachments": [fake]})

    assert response.status_code == 200
    assert "attachments" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_worklist_puts_overdue_first_with_colours(client, register, complaints_officer, time_machine):
    time_machine.move_to("2025-03-20T12:00:00+05:00")
    fresh = register(received_at="2025-03-19T10:00:00+05:00")
    late = register(received_at="2025-03-04T10:00:00+05:00")
    client.force_login(complaints_officer)

    response = client.get("/complaints/")

    rows = list(response.context["page"])
    assert [c.number for c in rows] == [late["number"], fresh["number"]]
    assert re.findall(r'<tr class="row-(\w+)">', response.content.decode()) == ["overdue", "on_track"]
    assert b"deadline-overdue" in response.content


def test_worklist_query_count_does_not_grow(
    client, register, complaints_officer, django_assert_max_num_queries
):
    register()
    client.force_login(complaints_officer)
    client.get("/complaints/")
    for _ in range(5):
        register()

    with django_assert_max_num_queries(12):
        response = client.get("/complaints/")

    assert len(response.context["page"]) == 6


def test_case_officer_does_not_see_the_complaints_screens(client, register, officer):
    complaint = register()
    client.force_login(officer)

    assert client.get("/complaints/").status_code == 404
    assert client.get(f"/complaints/{complaint['id']}/").status_code == 404


def test_page_answer_form_and_escalation(client, register, complaints_officer):
    complaint = register()
    client.force_login(complaints_officer)
    act = f"/complaints/{complaint['id']}/actions"

    page = client.get(f"/complaints/{complaint['id']}/")
    client.post(f"{act}/start_review/")
    form = client.get(f"/complaints/{complaint['id']}/answer/")
    empty = client.post(f"{act}/answer/", {"response": "", "language": "ru", "delivery_method": "mail"})
    done = client.post(
        f"{act}/answer/",
        {
            "response": "Жалоба обоснована, заявление рассмотрено.",
            "language": "ru",
            "delivery_method": "mail",
        },
    )
    escalated = client.post(f"{act}/escalate/", {"text": "Не согласен."})

    assert page.status_code == 200 and b"start-review" in page.content
    assert form.status_code == 200 and b'id="answer-form"' in form.content
    # the refused body comes back on the answer page, with the error naming the field
    assert empty.status_code == 400 and b'id="answer-form"' in empty.content
    assert any(e.startswith(("Reasoned response", "Мотивированный")) for e in empty.context["errors"])
    assert done.status_code == 302
    child = Complaint.objects.get(parent_id=complaint["id"])
    assert escalated["Location"] == f"/complaints/{child.pk}/"
    assert child.addressee == "quality_control_body"
    original = client.get(f"/complaints/{complaint['id']}/")
    assert child.number.encode() in original.content


def test_escalation_before_answer_shows_a_message(client, register, complaints_officer):
    complaint = register()
    client.force_login(complaints_officer)

    response = client.post(f"/complaints/{complaint['id']}/actions/escalate/", {}, follow=True)

    assert not Complaint.objects.filter(parent_id=complaint["id"]).exists()
    assert any("answered" in str(m) or "ответ" in str(m) for m in response.context["messages"])


def test_delivery_dated_in_the_future_comes_back_with_the_error(
    client, register, transition, complaints_officer
):
    complaint = register()
    transition(complaints_officer, complaint["id"], "refuse_to_consider", {"reason": "Повторная жалоба."})
    client.force_login(complaints_officer)
    url = f"/complaints/{complaint['id']}/actions/record_delivery/"

    refused = client.post(url, {"delivered_on": "01.01.2099", "note": ""})
    done = client.post(
        url, {"delivered_on": timezone.localdate().strftime("%d.%m.%Y"), "note": "Заказное № 5"}
    )

    assert refused.status_code == 400 and refused.context["error_action"] == "record_delivery"
    assert b'id="record_delivery-box" open' in refused.content
    assert done.status_code == 302
    assert Complaint.objects.get(pk=complaint["id"]).delivery_note == "Заказное № 5"


def test_the_page_renders_no_document_and_says_it_is_being_prepared(
    client, register, complaints_officer, monkeypatch
):
    # given a complaint whose registration slip the document job has not issued yet
    monkeypatch.setattr(documents, "enqueue_documents", lambda *a, **k: None)
    complaint = register()
    client.force_login(complaints_officer)
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: pytest.fail("a GET rendered a PDF"))

    page = client.get(f"/complaints/{complaint['id']}/")

    assert page.status_code == 200
    assert b'class="pending"' in page.content
    assert not IssuedDocument.objects.filter(case_number=complaint["number"]).exists()


def test_complaint_page_speaks_kazakh(client, register, complaints_officer):
    complaint = register()
    client.force_login(complaints_officer)
    client.cookies["django_language"] = "kk"

    response = client.get(f"/complaints/{complaint['id']}/", HTTP_ACCEPT_LANGUAGE="kk")

    content = response.content.decode()
    assert "Шағым" in content and "Тіркелді" in content and "Орындауға алу" in content


def test_an_appeal_to_court_dated_before_the_complaint_comes_back_with_the_error(
    client, register, complaints_officer
):
    complaint = register()  # received 04.03.2025
    client.force_login(complaints_officer)
    url = f"/complaints/{complaint['id']}/actions/record_court_appeal/"

    refused = client.post(url, {"filed_on": "01.01.0001", "note": "Районный суд № 2"})
    done = client.post(url, {"filed_on": "05.03.2025", "note": "Районный суд № 2"})

    assert refused.status_code == 400 and refused.context["error_action"] == "record_court_appeal"
    assert "раньше получения жалобы" in refused.content.decode()
    assert 'value="Районный суд № 2"' in refused.content.decode()
    assert done.status_code == 302
    assert str(Complaint.objects.get(pk=complaint["id"]).court_appeal_on) == "2025-03-05"


def test_a_receipt_date_before_the_calendar_comes_back_beside_the_field_with_what_was_typed(
    client, complaints_officer, provider
):
    client.force_login(complaints_officer)
    post = {
        "provider": provider.pk,
        "addressee": "service_provider",
        "channel": "mail",
        "received_at": "01.01.0001 10:55",
        "language": "ru",
        "subject": "decision",
        "complainant_last_name": "Сейітқали",
        "complainant_first_name": "Әсел",
        "complainant_postal_address": "010000, Астана, ул. Сарайшық, 5",
        "text": "Жалоба на решение",
    }

    response = client.post("/complaints/new/", post)

    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert not Complaint.objects.exists()
    assert "производственного календаря" in page
    assert 'value="01.01.0001 10:55"' in page and "Сейітқали" in page
