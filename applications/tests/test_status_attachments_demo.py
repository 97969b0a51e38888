"""The applicant's status lookup, portal attachments, and the demo data."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Application
from housing_aid.models import Parameter

from .conftest import package


def test_status_lookup_by_number_and_iin(api, registered):
    application = registered()
    api.credentials()

    found = api.get("/api/v1/status/", {"number": application.number, "iin": "850315410002"})
    wrong = api.get("/api/v1/status/", {"number": application.number, "iin": "061211600012"})

    assert found.status_code == 200
    assert found.json()["service"] == "housing_assistance"
    assert found.json()["status"] == "registered"
    assert found.json()["due_date"] == "2025-04-24"
    assert [h["status"] for h in found.json()["history"]] == ["registered"]
    assert wrong.status_code == 404


def _upload(content: bytes, name: str):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _real_pdf() -> bytes:
    """A PDF that pypdf opens (uploads are parsed, not sniffed: issue 10)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_portal_uploads_attachments_checked_by_content(api, portal, at_intake_day):
    documents = [c for c in package()["documents"] if c != "identity"]
    client = api.as_user(portal)
    body = client.post(
        "/api/v1/applications/", package(channel="portal", documents=documents), format="json"
    ).json()
    url = f"/api/v1/applications/{body['id']}/attachments/"

    good = client.post(
        url,
        {"file": _upload(_real_pdf(), "income.pdf"), "document_code": "family_income"},
        format="multipart",
    )
    fake = client.post(url, {"file": _upload(b"MZ\x90\x00 not a pdf", "income.pdf")}, format="multipart")

    assert good.status_code == 201
    assert good.json()["media_type"] == "application/pdf"
    assert fake.status_code == 400 and "file" in fake.json()


def test_attachment_size_is_limited(api, portal, settings, at_intake_day):
    settings.ATTACHMENT_MAX_BYTES = 1024
    documents = [c for c in package()["documents"] if c != "identity"]
    client = api.as_user(portal)
    body = client.post(
        "/api/v1/applications/", package(channel="portal", documents=documents), format="json"
    ).json()

    response = client.post(
        f"/api/v1/applications/{body['id']}/attachments/",
        {"file": _upload(b"\x89PNG\r\n\x1a\n" + b"0" * 2048, "scan.png")},
        format="multipart",
    )

    assert response.status_code == 400


def test_attachments_of_another_providers_case_answer_404(api, registered, other_officer):
    application = registered()

    response = api.as_user(other_officer).post(
        f"/api/v1/applications/{application.pk}/attachments/",
        {"file": _upload(b"%PDF-1.7", "a.pdf")},
        format="multipart",
    )

    assert response.status_code == 404


def test_seed_demo_is_idempotent(reference, django_capture_on_commit_callbacks):
    from applications import demo
    from housing_aid import demo as kernel_demo

    kernel_demo.seed_users()
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed_demo(with_cases=True)
    count = Application.objects.count()
    rows = Parameter.objects.count()
    demo.seed_demo(with_cases=True)

    assert count == 5
    assert Application.objects.count() == count
    assert Parameter.objects.count() == rows
    assert set(Application.objects.values_list("status", flat=True)) == {
        "registered",
        "under_review",
        "under_verification",
        "decision_drafted",
        "rejected_at_intake",
    }
