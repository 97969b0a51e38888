"""A complaint names the case it is about (``case_number``): a housing-assistance application or
a certificate request of the same provider is linked and shown as a link on the complaint page;
another provider's number or an unknown one is a clear 400 in the caller's language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from applications.tests.conftest import make_iin, package
from certificates.models import AmountKind, CertificateProgram
from certificates.tests.conftest import NOW as CERTIFICATE_RECEIVED
from certificates.tests.conftest import body as certificate_body
from complaints.models import Complaint
from complaints.tests.conftest import complaint_payload
from tests.factories import staff_user

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
NOW = dt.datetime(2025, 4, 14, 11, 0, tzinfo=ALMATY)
UNKNOWN_CASE = "No case with this number at this service provider."


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _program(provider):
    CertificateProgram.objects.create(
        provider=provider,
        year=2025,
        budget="30000000.00",
        amount_kind=AmountKind.FIXED,
        amount_value="1500000.00",
        categories=[],
        mortgage_programs=[],
    )


@pytest.fixture
def astana_cases(api, clerk, officer, provider):
    _program(provider)
    application = api.as_user(clerk).post("/api/v1/applications/", package(iin=make_iin(1)), format="json")
    certificate = api.as_user(officer).post(
        "/api/v1/certificates/",
        certificate_body(received_at=CERTIFICATE_RECEIVED, iin=make_iin(2)),
        format="json",
    )
    assert application.status_code == certificate.status_code == 201
    return {
        "housing_assistance": (application.json(), "/applications/{id}/"),
        "housing_certificate": (certificate.json(), "/certificates/{id}/"),
    }


@pytest.fixture
def almaty_cases(api, other_provider, other_officer):
    _program(other_provider)
    clerk_almaty = staff_user("clerk_almaty", "intake_clerk", other_provider)
    application = api.as_user(clerk_almaty).post(
        "/api/v1/applications/", package("750000000", iin=make_iin(3)), format="json"
    )
    certificate = api.as_user(other_officer).post(
        "/api/v1/certificates/",
        certificate_body(received_at=CERTIFICATE_RECEIVED, provider="750000000", iin=make_iin(4)),
        format="json",
    )
    assert application.status_code == certificate.status_code == 201
    return {"housing_assistance": application.json(), "housing_certificate": certificate.json()}


def _complain(api, user, case_number: str, language: str | None = None):
    return api.as_user(user, language=language).post(
        "/api/v1/complaints/", complaint_payload(case_number=case_number), format="json"
    )


@pytest.mark.parametrize("service", ["housing_assistance", "housing_certificate"])
def test_complaint_about_a_case_of_the_same_provider_links_to_its_page(
    api, astana_cases, complaints_officer, service
):
    # given an Astana case of the service
    case, page = astana_cases[service]

    # when a complaint naming its number is registered
    response = _complain(api, complaints_officer, case["number"])

    # then the complaint is linked to that very case ...
    assert response.status_code == 201, response.json()
    complaint = Complaint.objects.get(pk=response.json()["id"])
    assert complaint.case_number == case["number"]
    assert complaint.related_case.pk == case["id"]
    detail = api.as_user(complaints_officer).get(f"/api/v1/complaints/{complaint.pk}/").json()
    assert detail["case"]["service"] == service
    assert (detail["case"]["id"], detail["case"]["number"]) == (case["id"], case["number"])
    # ... and its page shows a link to the case's page
    client = Client()
    client.force_login(complaints_officer)
    html = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert f'<a href="{page.format(id=case["id"])}">{case["number"]}</a>' in html
    # ... which the complaints officer can open to see what the complaint is about
    opened = client.get(page.format(id=case["id"]))
    assert opened.status_code == 200
    assert case["number"] in opened.content.decode()


@pytest.mark.parametrize("service", ["housing_assistance", "housing_certificate"])
def test_complaint_about_another_providers_case_is_a_400_and_nothing_is_saved(
    api, astana_cases, almaty_cases, complaints_officer, service
):
    # given an Almaty case, and a complaints officer of Astana
    number = almaty_cases[service]["number"]

    # when the Astana complaint names the Almaty number
    response = _complain(api, complaints_officer, number, language="en")

    # then a 400 on case_number, exactly as for a number that does not exist, and no complaint
    assert response.status_code == 400
    assert response.json() == {"case_number": [UNKNOWN_CASE]}
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("number", ["HA-710000000-2025-09999", "HC-710000000-2025-09999", "NOT-A-NUMBER"])
def test_complaint_about_an_unknown_number_is_a_400_in_the_callers_language(
    api, astana_cases, complaints_officer, number
):
    # given a number that names no case of the provider
    # when a complaint names it, in Russian (default), Kazakh and English
    answers = {lang: _complain(api, complaints_officer, number, language=lang) for lang in ("ru", "kk", "en")}

    # then each is a 400 on case_number with the message in that language, and nothing is saved
    for lang, response in answers.items():
        assert response.status_code == 400, lang
        with translation.override(lang):
            expected = gettext(UNKNOWN_CASE)
        assert response.json() == {"case_number": [expected]}, lang
    assert answers["ru"].json() != answers["en"].json()
    assert answers["kk"].json() != answers["ru"].json()
    assert not Complaint.objects.exists()
