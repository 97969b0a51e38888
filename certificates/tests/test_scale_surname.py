"""Search by surname scoped by provider: the applicant's surname kept on the request by
triggers (migration 0006), read without the national people table."""

from __future__ import annotations

from certificates.models import CertificateRequest
from certificates.selectors import search
from housing_aid.models import Person


def test_the_surname_on_the_request_follows_the_person_and_serves_the_search(officer, program, create):
    case = CertificateRequest.objects.get(pk=create()["id"])
    assert case.applicant_last_name == case.applicant.last_name != ""

    Person.objects.filter(pk=case.applicant_id).update(last_name="Жақсыбекова")

    qs = search(CertificateRequest.objects.visible_to(officer), "жақс")
    assert list(qs) == [case]
    assert CertificateRequest.objects.get(pk=case.pk).applicant_last_name == "Жақсыбекова"
    assert "housing_aid_person" not in str(qs.query)
