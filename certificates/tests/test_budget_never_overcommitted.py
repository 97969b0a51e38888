"""The budget is never over-committed, whatever the concurrency (PostgreSQL, separate connections)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from certificates import services
from certificates.models import AmountKind, CertificateProgram, CertificateRequest, Status
from certificates.serializers import CertificateCreateSerializer
from certificates.tests.conftest import body
from housing_aid import workdays
from housing_aid.cases import CaseConflict

REQUESTS = 12
FITS = 5
AMOUNT = Decimal("1500000.00")


def _register(officer, iin_index: int) -> CertificateRequest:
    from housing_aid.identifiers import iin_check_digit

    # distinct valid IINs: 850315 4 1000x + check digit
    for tail in range(iin_index * 10, iin_index * 10 + 10):
        first = f"8503154{tail:04d}"
        check = iin_check_digit(first)
        if check is not None:
            break
    from django.utils import timezone

    data = body(
        received_at=timezone.now(), iin=f"{first}{check}", bank_notified_on=workdays.today().isoformat()
    )
    serializer = CertificateCreateSerializer(data=data)
    assert serializer.is_valid(), serializer.errors
    return services.register_request(officer, serializer.validated_data)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_from_separate_connections_never_overcommit(
    transactional_db, officer, provider
):
    from django.utils import timezone

    year = workdays.registration_date(timezone.now(), provider).year
    program = CertificateProgram.objects.create(
        provider=provider,
        year=year,
        budget=AMOUNT * FITS + Decimal("1000000.00"),  # room for 5 and a remainder too small for a 6th
        amount_kind=AmountKind.FIXED,
        amount_value=AMOUNT,
        categories=[],
        mortgage_programs=[],
    )
    cases = [_register(officer, i) for i in range(REQUESTS)]
    barrier = threading.Barrier(REQUESTS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(case_id: int) -> None:
        try:
            user = get_user_model().objects.get(pk=officer.pk)  # this thread's own connection
            case = CertificateRequest.objects.get(pk=case_id)
            barrier.wait(timeout=30)
            try:
                services.approve(case, user)
                result = "approved"
            except CaseConflict as exc:
                result = exc.code
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(c.pk,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    program.refresh_from_db()
    assert sorted(outcomes) == sorted(["approved"] * FITS + ["funds_exhausted"] * (REQUESTS - FITS))
    assert program.committed == AMOUNT * FITS
    assert program.committed <= program.budget
    assert CertificateRequest.objects.filter(status=Status.APPROVED).count() == FITS
    assert program.terminated
    assert program.announcement.text_ru


@pytest.mark.django_db
def test_check_constraint_refuses_a_commitment_beyond_the_budget(provider):
    program = CertificateProgram.objects.create(
        provider=provider,
        year=2025,
        budget=Decimal("100"),
        amount_kind=AmountKind.FIXED,
        amount_value=Decimal("50"),
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateProgram.objects.filter(pk=program.pk).update(committed=F("budget") + 1)
