"""Issue 14: each service's case page costs at most 10 queries for an officer, and the count
does not grow with the case's history (stages, events, documents, notes), whether its cached
panels are drawn afresh or read from the cache."""

from __future__ import annotations

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.tests.conftest import advance, at_intake_day, registered  # noqa: F401
from certificates.tests.conftest import create, frozen, make_program, program  # noqa: F401
from complaints.tests.conftest import register  # noqa: F401
from housing_aid import casepage
from housing_aid.casework import actions as casework
from housing_aid.models import IssuedDocument

MAX_QUERIES = 10


def grow_history(case, user, kinds: list[str], notes: int) -> None:
    """Notes (each one also an event) and issued documents of these kinds."""
    for n in range(notes):
        casework.add_note(case, user, f"Примечание {n}")
    for kind in kinds:
        IssuedDocument.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(type(case)),
            object_id=case.pk,
            kind=kind,
            defaults={
                "provider_id": case.provider_id,
                "case_number": case.number,
                "number": f"{case.number}-{kind}",
                "sha256": hashlib.sha256(kind.encode()).hexdigest(),
                "pdf": b"%PDF-1.7",
            },
        )


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def page_queries(client, case) -> tuple[int, int]:
    """The page's queries drawn afresh (the case changed: every cached panel is read again) and
    then from its kept panels (housing_aid.casepage)."""
    url = case.get_absolute_url()
    client.get(url)  # warm: content types, translations, templates
    casepage.changed(case)
    return queries_of(client, url), queries_of(client, url)


def assert_flat_and_small(client, case, user, kinds: list[str]) -> None:
    grow_history(case, user, kinds[:1], notes=1)
    few, kept = page_queries(client, case)
    grow_history(case, user, kinds, notes=6)
    many, kept_many = page_queries(client, case)
    assert few <= MAX_QUERIES, few
    assert many <= few, (few, many)
    assert kept <= few and kept_many <= many, (kept, kept_many)


def test_application_page(client, registered, officer):  # noqa: F811
    application = advance(registered(), officer, "start_review", "start_verification")
    client.force_login(officer)
    kinds = ["application_form", "acceptance_receipt", "return_notice", "assignment_notice"]
    assert_flat_and_small(client, application, officer, kinds)


def test_certificate_page(client, officer, program, create):  # noqa: F811
    from certificates.models import CertificateRequest

    case = CertificateRequest.objects.get(pk=create()["id"])
    client.force_login(officer)
    kinds = ["decision_notice", "agreement", "tripartite_agreement", "repayment_schedule"]
    assert_flat_and_small(client, case, officer, kinds)


def test_complaint_page(client, register, complaints_officer):  # noqa: F811
    from complaints.models import Complaint

    complaint = Complaint.objects.get(pk=register()["id"])
    client.force_login(complaints_officer)
    client.post(f"/complaints/{complaint.pk}/start-review/")
    kinds = ["complaint_registration", "complaint_response", "complaint_refusal"]
    assert_flat_and_small(client, complaint, complaints_officer, kinds)


def test_certificate_page_under_a_termination_notice(client, officer, program, create):  # noqa: F811
    """The banner of a terminated program at the reader's provider is kept under what the
    page's stamp counted: drawn afresh the page stays within 10 queries, and a new notice
    shows at once."""
    from certificates.models import Announcement, CertificateProgram, CertificateRequest

    case = CertificateRequest.objects.get(pk=create()["id"])
    # The year's funds ran out after this request was registered (set up directly: the test
    # is about the page, not the termination).
    CertificateProgram.objects.filter(pk=program.pk).update(terminated=True)
    this_year = program
    Announcement.objects.create(
        program=this_year, text_ru="Объявление № 1: средства исчерпаны", text_kk="№ 1 хабарландыру"
    )
    client.force_login(officer)
    few, kept = page_queries(client, case)
    assert few <= MAX_QUERIES and kept <= few, (few, kept)
    assert "Объявление № 1" in client.get(case.get_absolute_url()).content.decode()

    Announcement.objects.filter(program=this_year).delete()
    assert "Объявление № 1" not in client.get(case.get_absolute_url()).content.decode()
    Announcement.objects.create(
        program=this_year, text_ru="Объявление № 2: средства исчерпаны", text_kk="№ 2 хабарландыру"
    )
    assert "Объявление № 2" in client.get(case.get_absolute_url()).content.decode()
