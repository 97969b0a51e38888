"""From the decision to the transfer and the bank documents; lapse releases the money."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine
from django.contrib.contenttypes.models import ContentType
from pypdf import PdfReader

from certificates.models import CertificateProgram, CertificateRequest, Loan
from certificates.tests.conftest import ALMATY, transition
from housing_aid.models import CaseStage, IssuedDocument

IBAN = "KZ86125KZT5004100100"


def _open_stage(case_id):
    ct = ContentType.objects.get_for_model(CertificateRequest)
    return CaseStage.objects.get(content_type=ct, object_id=case_id, closed_at__isnull=True)


def _pdf_text(number: str) -> str:
    import io

    doc = IssuedDocument.objects.get(number=number)
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(bytes(doc.pdf))).pages)


def test_social_assistance_from_approval_to_bank_documents(api, officer, program, create):
    case = create()
    approved = transition(api, officer, case["id"], "approve").json()

    assert approved["status"] == "approved"
    assert [d["kind"] for d in approved["documents"]] == ["decision_notice"]
    text = _pdf_text(approved["documents"][0]["number"])
    assert case["number"] in text and "Жақсыбекова Айнұр Серікқызы" in text
    assert "143" in text  # the threshold 143 306,80 is on the notice
    stage = _open_stage(case["id"])
    assert (stage.stage, stage.due_date) == ("agreement", dt.date(2025, 3, 18))  # 12.03 + 2 + 2 wd

    concluded = transition(
        api,
        officer,
        case["id"],
        "conclude_agreement",
        {
            "visited_on": "2025-03-12",
            "agreement_on": "2025-03-12",
            "account_iban": IBAN,
            "account_bank": "Отбасы банк",
        },
    ).json()
    assert concluded["status"] == "agreement_concluded"
    assert _open_stage(case["id"]).stage == "transfer"
    assert _open_stage(case["id"]).due_date == dt.date(2025, 3, 13)

    transferred = transition(api, officer, case["id"], "record_transfer", {"transferred_on": "2025-03-12"})
    assert transferred.json()["status"] == "transferred"
    assert _open_stage(case["id"]).stage == "bank_documents"

    done = transition(
        api,
        officer,
        case["id"],
        "record_bank_documents",
        {
            "mortgage_applied_on": "2025-03-12",
            "received_on": "2025-03-12",
            "bank_loan_agreement": "ДБЗ-2025-118",
            "mortgage_agreement": "ДИ-2025-77",
        },
    ).json()
    assert done["status"] == "completed"
    assert {d["kind"] for d in done["documents"]} == {"decision_notice", "agreement"}
    ct = ContentType.objects.get_for_model(CertificateRequest)
    assert not CaseStage.objects.filter(
        content_type=ct, object_id=case["id"], closed_at__isnull=True
    ).exists()


def test_budget_loan_is_concluded_and_transferred_by_the_trustee(api, officer, trustee, program, create):
    case = create(monthly="400000.00")
    assert case["income_test"]["kind"] == "budget_loan"
    transition(api, officer, case["id"], "approve")
    agreement = {
        "visited_on": "2025-03-12",
        "agreement_on": "2025-03-12",
        "account_iban": IBAN,
        "loan": {"term_months": 180, "security_kind": "pledge", "security_details": "Залог квартиры"},
    }

    assert transition(api, officer, case["id"], "conclude_agreement", agreement).status_code == 403
    concluded = transition(api, trustee, case["id"], "conclude_agreement", agreement).json()

    assert concluded["status"] == "agreement_concluded"
    assert {d["kind"] for d in concluded["documents"]} == {
        "decision_notice",
        "tripartite_agreement",
        "repayment_schedule",
    }
    loan = Loan.objects.get(request_id=case["id"])
    assert loan.instalments.count() == 180
    assert sum(i.principal for i in loan.instalments.all()) == Decimal("1500000.00")
    transferred = transition(api, trustee, case["id"], "record_transfer", {"transferred_on": "2025-03-12"})
    assert transferred.json()["status"] == "transferred"


def test_lapse_of_a_missed_step_releases_the_money(api, officer, program, create):
    case = create()
    transition(api, officer, case["id"], "approve")
    program.refresh_from_db()
    assert program.committed == Decimal("1500000.00")

    early = transition(api, officer, case["id"], "lapse", {"reason": "Заявитель не явился"})
    assert early.status_code == 400

    with time_machine.travel(dt.datetime(2025, 3, 19, 10, 0, tzinfo=ALMATY), tick=False):
        lapsed = transition(api, officer, case["id"], "lapse", {"reason": "Заявитель не явился"})

    assert lapsed.status_code == 200
    assert lapsed.json()["status"] == "lapsed"
    program.refresh_from_db()
    assert program.committed == Decimal("0.00")


def test_refusal_needs_a_ground_and_a_reason_and_issues_the_refusal(api, officer, program, create):
    case = create()

    assert transition(api, officer, case["id"], "refuse", {"ground": "x", "reason": ""}).status_code == 400
    refused = transition(
        api,
        officer,
        case["id"],
        "refuse",
        {"ground": "inaccurate_documents", "reason": "Справка о доходах недействительна"},
    ).json()

    assert refused["status"] == "refused"
    assert refused["documents"][0]["kind"] == "refusal_notice"
    assert "Справка о доходах недействительна" in _pdf_text(refused["documents"][0]["number"])
    assert CertificateProgram.objects.get().committed == Decimal("0.00")


def test_transition_not_allowed_in_the_state_is_409(api, officer, program, create):
    case = create()

    response = transition(api, officer, case["id"], "record_transfer", {"transferred_on": "2025-03-12"})

    assert response.status_code == 409
    assert response.json()["allowed_transitions"] == ["approve", "refuse"]


def test_head_may_never_approve(api, head, program, create):
    case = create()

    assert transition(api, head, case["id"], "approve").status_code == 403
