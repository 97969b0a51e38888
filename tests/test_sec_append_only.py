"""The event log, issued documents, repayments and case notes are append-only in PostgreSQL itself:
an SQL UPDATE or DELETE is refused, not only the ORM's save() (issue 10)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection, transaction
from django.db.utils import DatabaseError

from applications.tests.conftest import package
from housing_aid.casework.models import CaseNote
from housing_aid.models import CaseEvent, IssuedDocument

ALMATY = dt.timezone(dt.timedelta(hours=5))


@pytest.fixture
def application(api, clerk):
    with time_machine.travel(dt.datetime(2025, 4, 14, 11, 0, tzinfo=ALMATY), tick=False):
        response = api.as_user(clerk).post("/api/v1/applications/", package(), format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _refused(sql: str, *params) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    except DatabaseError:
        return True
    return False


def test_sql_cannot_update_or_delete_a_case_event(application):
    event = CaseEvent.objects.filter(case_number=application["number"]).first()

    assert _refused("UPDATE housing_aid_caseevent SET reason = 'edited' WHERE id = %s", event.pk)
    assert _refused("DELETE FROM housing_aid_caseevent WHERE id = %s", event.pk)


def test_queryset_update_of_an_event_is_refused(application):
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(case_number=application["number"]).update(reason="edited")


def test_an_issued_document_never_changes_and_is_never_deleted(application):
    document = IssuedDocument.objects.filter(case_number=application["number"]).first()
    original = bytes(document.pdf)

    assert _refused(
        "UPDATE housing_aid_issueddocument SET pdf = %s WHERE id = %s", b"%PDF-forged", document.pk
    )
    assert _refused("UPDATE housing_aid_issueddocument SET sha256 = 'f00' WHERE id = %s", document.pk)
    assert _refused("UPDATE housing_aid_issueddocument SET issued_at = now() WHERE id = %s", document.pk)
    assert _refused("DELETE FROM housing_aid_issueddocument WHERE id = %s", document.pk)
    document.refresh_from_db()
    assert bytes(document.pdf) == original


def test_the_hand_out_and_the_render_after_insert_still_pass(application, clerk):
    document = IssuedDocument.objects.filter(case_number=application["number"]).first()

    assert not _refused(
        "UPDATE housing_aid_issueddocument SET handed_out_to = 'Әбдірахманова' WHERE id = %s", document.pk
    )
    with connection.cursor() as cursor:  # a row inserted before its PDF is rendered
        cursor.execute(
            "INSERT INTO housing_aid_issueddocument (content_type_id, object_id, provider_id, case_number,"
            " kind, number, language, title, issued_at, signed_by_name, sha256, size, pdf,"
            " verification_token, handed_out_to, handed_out_id_document, signer_name, signer_iin,"
            " signer_position, certificate_serial, certificate_issuer)"
            " SELECT content_type_id, object_id, provider_id, case_number, 'later', 'D-LATER', language,"
            " '', now(), '', '', 0, ''::bytea, 'tok-later', '', '', '', '', '', '', ''"
            " FROM housing_aid_issueddocument"
            " WHERE id = %s RETURNING id",
            [document.pk],
        )
        later = cursor.fetchone()[0]
    assert not _refused(
        "UPDATE housing_aid_issueddocument SET pdf = %s, sha256 = 'abc', size = 3 WHERE id = %s",
        b"PDF",
        later,
    )
    assert _refused("UPDATE housing_aid_issueddocument SET pdf = %s WHERE id = %s", b"PDF2", later)


def test_sql_cannot_update_or_delete_a_case_note(api, application, officer):
    url = f"/api/v1/applications/{application['id']}/notes/"
    assert api.as_user(officer).post(url, {"text": "Позвонить заявителю"}, format="json").status_code == 201
    note = CaseNote.objects.get()

    assert _refused("UPDATE casework_casenote SET text = 'edited' WHERE id = %s", note.pk)
    assert _refused("DELETE FROM casework_casenote WHERE id = %s", note.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseNote.objects.filter(pk=note.pk).update(text="edited")
    note.refresh_from_db()
    assert note.text == "Позвонить заявителю"
