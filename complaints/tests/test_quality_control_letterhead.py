"""The quality-control body answers on its own letterhead, not the department complained about."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from complaints import services
from complaints.models import Complaint
from housing_aid.documents import documents_of

pytestmark = pytest.mark.django_db


def _text(case, kind) -> str:
    document = documents_of(case).defer(None).get(kind=kind)
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(document.pdf))).pages)


def test_quality_control_answer_is_on_its_letterhead(
    register, transition, complaints_officer, quality_officer, provider
):
    # given a complaint answered by the department and passed on to the quality-control body
    first = register()
    transition(complaints_officer, first["id"], "start_review")
    transition(complaints_officer, first["id"], "answer", {"response": "Ответ отдела."})
    child = services.act(Complaint.objects.get(pk=first["id"]), "escalate", complaints_officer).result

    # when the quality-control officer answers
    assert transition(quality_officer, child.pk, "start_review").status_code == 200
    assert (
        transition(quality_officer, child.pk, "answer", {"response": "Ответ органа контроля."}).status_code
        == 200
    )

    # then its letter is headed by the quality-control body, the department's by the department
    qc = " ".join(_text(child, "complaint_response").split())
    department = " ".join(_text(Complaint.objects.get(pk=first["id"]), "complaint_response").split())
    assert "контролю за качеством оказания государственных услуг" in qc
    assert provider.name_ru not in qc.split("Ответ органа контроля.")[0].split("Жалоба")[0]
    assert provider.name_ru.split()[0] in department


def test_the_quality_control_bodys_registration_stamp_is_its_own(register, complaints_officer, provider):
    # given a complaint passed on to the quality-control body
    first = register()
    services.act(Complaint.objects.get(pk=first["id"]), "start_review", complaints_officer)
    services.act(Complaint.objects.get(pk=first["id"]), "answer", complaints_officer, {"response": "Ответ."})
    child = services.act(Complaint.objects.get(pk=first["id"]), "escalate", complaints_officer).result

    # when its registration slip is read
    slip = " ".join(_text(child, "complaint_registration").split())

    # then the stamp (para 13: the registering body's stamp, incoming number and date) is the
    # quality-control body's, like the letterhead: the department complained about is not on it
    stamp = slip.split("Вх. №")[0].split("сопроводительном письме к ней.")[-1].upper()
    assert "КОНТРОЛЮ ЗА КАЧЕСТВОМ" in stamp and "АСТАНА" in stamp
    assert provider.name_ru.upper() not in slip.upper()
