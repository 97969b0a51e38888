"""``seed_demo`` walks the demo requests through the real services, and adds nothing twice."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from certificates import demo, selectors
from certificates.models import CertificateRequest, Instalment, Loan
from housing_aid import demo as kernel_demo
from housing_aid.models import CaseEvent, IssuedDocument


def _seed(capture) -> None:
    with capture(execute=True):
        demo.seed_demo(with_cases=True)


def test_demo_gives_the_trustee_a_paid_out_loan_and_the_worklist_several_states(
    reference, frozen, django_capture_on_commit_callbacks
):
    kernel_demo.seed_users()

    _seed(django_capture_on_commit_callbacks)

    states = dict(CertificateRequest.objects.values_list("applicant__last_name", "status"))
    assert states == {
        "Жақсыбекова": "transferred",
        "Ахметов": "transferred",
        "Ким": "under_consideration",
        "Сейтқали": "approved",
    }
    loan_case = CertificateRequest.objects.get(applicant__last_name="Ахметов")
    assert loan_case.kind == "budget_loan" and loan_case.per_capita_income > 3 * loan_case.msl
    assert CertificateRequest.objects.get(applicant__last_name="Жақсыбекова").kind == "social_assistance"
    loan = Loan.objects.get(request=loan_case)
    assert loan.security_kind == "pledge" and loan.trustee.username == "trustee"
    assert loan.instalments.count() == loan.term_months == 120
    trustee = get_user_model().objects.get(username="trustee")
    assert [row.pk for row in selectors.loans_for(trustee)] == [loan.pk]
    transfer = CaseEvent.objects.get(case_number=loan_case.number, transition="record_transfer")
    assert transfer.actor == trustee
    kinds = set(IssuedDocument.objects.filter(case_number=loan_case.number).values_list("kind", flat=True))
    assert {"decision_notice", "tripartite_agreement", "repayment_schedule"} <= kinds


def test_seed_demo_twice_adds_nothing(reference, frozen, django_capture_on_commit_callbacks):
    kernel_demo.seed_users()
    _seed(django_capture_on_commit_callbacks)
    counts = (
        CertificateRequest.objects.count(),
        Loan.objects.count(),
        Instalment.objects.count(),
        CaseEvent.objects.count(),
        IssuedDocument.objects.count(),
    )

    _seed(django_capture_on_commit_callbacks)

    assert counts[0] == 4 and counts[1] == 1
    assert (
        CertificateRequest.objects.count(),
        Loan.objects.count(),
        Instalment.objects.count(),
        CaseEvent.objects.count(),
        IssuedDocument.objects.count(),
    ) == counts
