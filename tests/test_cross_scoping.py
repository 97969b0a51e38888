"""API.md conventions: "A case outside the caller's service providers -> 404, exactly as if it
did not exist", for every service and every way in: API detail, transition, web page, PDF.
Lists show only the caller's providers; the portal account sees only what it created."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from applications.models import Application
from applications.tests.conftest import FULL_PACKAGE, make_iin, package
from certificates.models import AmountKind, CertificateProgram, CertificateRequest
from certificates.tests.conftest import NOW as CERTIFICATE_RECEIVED
from certificates.tests.conftest import body as certificate_body
from complaints.models import Complaint
from complaints.tests.conftest import complaint_payload
from housing_aid.documents import documents_of
from tests.factories import staff_user

ALMATY = ZoneInfo("Asia/Almaty")
NOW = dt.datetime(2025, 4, 14, 11, 0, tzinfo=ALMATY)
ASTANA_CODE, ALMATY_CODE = "710000000", "750000000"

SERVICES = {
    # service: (API collection, web detail URL pattern, a transition the owner's staff may take)
    "applications": ("/api/v1/applications/", "/applications/{pk}/", "start_review"),
    "certificates": ("/api/v1/certificates/", "/certificates/{pk}/", "approve"),
    "complaints": ("/api/v1/complaints/", "/complaints/{pk}/", "start_review"),
}
WEB_TRANSITION = {
    "applications": "/applications/{pk}/transitions/start_review/",
    "certificates": "/certificates/{pk}/act/approve/",
    "complaints": "/complaints/{pk}/actions/start_review/",
}
MODELS = {"applications": Application, "certificates": CertificateRequest, "complaints": Complaint}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _program(provider) -> CertificateProgram:
    return CertificateProgram.objects.create(
        provider=provider,
        year=2025,
        budget="30000000.00",
        amount_kind=AmountKind.FIXED,
        amount_value="1500000.00",
        categories=[],
        mortgage_programs=[],
    )


def _create(api, user, service: str, code: str, n: int) -> dict:
    if service == "applications":
        data = package(code, iin=make_iin(n))
    elif service == "certificates":
        data = certificate_body(received_at=CERTIFICATE_RECEIVED, provider=code, iin=make_iin(n))
    else:
        data = complaint_payload(provider=code, complainant={"iin": make_iin(n)})
    response = api.as_user(user).post(SERVICES[service][0], data, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.fixture
def staff(clerk, officer, complaints_officer, other_provider, other_officer):
    """For each service: (who creates at Astana, who acts at Astana, who creates/acts at Almaty)."""
    clerk_almaty = staff_user("clerk_almaty", "intake_clerk", other_provider)
    complaints_almaty = staff_user("complaints_almaty", "complaints_officer", other_provider)
    return {
        "applications": (clerk, officer, clerk_almaty, other_officer),
        "certificates": (officer, officer, other_officer, other_officer),
        "complaints": (complaints_officer, complaints_officer, complaints_almaty, complaints_almaty),
    }


@pytest.fixture
def astana_cases(api, staff, provider, frozen):
    """One Astana case of each service with at least one issued document."""
    _program(provider)
    cases = {}
    for n, service in enumerate(SERVICES, start=1):
        creator, actor, _c, _a = staff[service]
        created = _create(api, creator, service, ASTANA_CODE, n)
        if service == "certificates":
            # the decision notice is the certificate's first document
            approved = api.as_user(actor).post(
                f"/api/v1/certificates/{created['id']}/transitions/approve/", {}, format="json"
            )
            assert approved.status_code == 200, approved.json()
        detail = api.as_user(actor).get(f"{SERVICES[service][0]}{created['id']}/")
        assert detail.status_code == 200
        cases[service] = detail.json()
        assert cases[service]["documents"], f"{service}: no document issued"
    return cases


@pytest.fixture
def almaty_cases(api, staff, other_provider, frozen):
    _program(other_provider)
    return {
        service: _create(api, staff[service][2], service, ALMATY_CODE, 10 + n)
        for n, service in enumerate(SERVICES)
    }


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("service", list(SERVICES))
def test_another_providers_staff_get_404_on_the_api_detail(api, astana_cases, staff, service):
    # given an Astana case, and the Almaty staff member of the same role
    case = astana_cases[service]
    outsider = staff[service][3]

    # when the outsider asks for it, and for a case id that does not exist
    foreign = api.as_user(outsider).get(f"{SERVICES[service][0]}{case['id']}/")
    missing = api.as_user(outsider).get(f"{SERVICES[service][0]}999999/")

    # then both answer the same 404, and the owner's staff still see it
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    assert api.as_user(staff[service][1]).get(f"{SERVICES[service][0]}{case['id']}/").status_code == 200


@pytest.mark.parametrize("service", list(SERVICES))
def test_another_providers_staff_get_404_on_a_transition_and_nothing_changes(
    api, astana_cases, staff, service
):
    # given a case of Astana in its current status
    case = astana_cases[service]
    outsider = staff[service][3]
    collection, _page, name = SERVICES[service]
    if service == "certificates":
        name = "refuse"  # approved already; refusing is no longer possible, but the answer is 404 first

    # when the Almaty staff member POSTs a transition through the API
    response = api.as_user(outsider).post(
        f"{collection}{case['id']}/transitions/{name}/", {"reason": "x", "ground": "x"}, format="json"
    )

    # then 404, and the case and its history are as they were
    assert response.status_code == 404
    model = MODELS[service]
    assert model.objects.get(pk=case["id"]).status == case["status"]
    assert len(model.objects.get(pk=case["id"]).events()) == len(case["history"])


@pytest.mark.parametrize("service", list(SERVICES))
def test_another_providers_staff_get_404_on_the_web_case_page_and_web_action(astana_cases, staff, service):
    # given an Astana case
    case = astana_cases[service]
    pk = case["id"]
    outsider, owner = staff[service][3], staff[service][1]

    # when the Almaty staff member opens its page and posts its action, logged in by session
    page = _web(outsider).get(SERVICES[service][1].format(pk=pk))
    action = _web(outsider).post(WEB_TRANSITION[service].format(pk=pk), {"response": "x"})

    # then both answer 404, while the owner's page shows the case number
    assert page.status_code == 404
    assert action.status_code == 404
    assert MODELS[service].objects.get(pk=pk).status == case["status"]
    own = _web(owner).get(SERVICES[service][1].format(pk=pk))
    assert own.status_code == 200
    assert case["number"] in own.content.decode()


@pytest.mark.parametrize("service", list(SERVICES))
def test_another_providers_staff_get_404_on_the_document_pdf(api, astana_cases, staff, service):
    # given a document issued for an Astana case
    document = astana_cases[service]["documents"][0]
    number = document["number"]
    outsider, owner = staff[service][3], staff[service][1]

    # when the Almaty staff member downloads it on the web and through the API
    web = _web(outsider).get(f"/documents/{number}/")
    pdf = api.as_user(outsider).get(f"/api/v1/documents/{number}/pdf/")

    # then 404 on both, and the owner's staff get the PDF on both
    assert web.status_code == 404
    assert pdf.status_code == 404
    own_web = _web(owner).get(f"/documents/{number}/")
    own_api = api.as_user(owner).get(f"/api/v1/documents/{number}/pdf/")
    assert (own_web.status_code, own_web["Content-Type"]) == (200, "application/pdf")
    assert (own_api.status_code, own_api["Content-Type"]) == (200, "application/pdf")
    assert own_api.content.startswith(b"%PDF")


@pytest.mark.parametrize("service", list(SERVICES))
def test_list_apis_show_only_the_callers_providers_cases(api, astana_cases, almaty_cases, staff, service):
    # given one case of the service at Astana and one at Almaty
    collection = SERVICES[service][0]

    # when each provider's staff list the cases
    astana = api.as_user(staff[service][1]).get(collection)
    almaty = api.as_user(staff[service][3]).get(collection)

    # then each sees exactly its own provider's case
    assert astana.status_code == almaty.status_code == 200
    assert [row["number"] for row in astana.json()["results"]] == [astana_cases[service]["number"]]
    assert [row["number"] for row in almaty.json()["results"]] == [almaty_cases[service]["number"]]


@pytest.fixture
def portal_cases(api, portal, clerk, complaints_officer, frozen):
    """The portal's own application and complaint, and the desk's at the same provider."""
    documents = [code for code in FULL_PACKAGE if code != "identity"]
    own_application = api.as_user(portal).post(
        "/api/v1/applications/",
        package(channel="portal", documents=documents, iin=make_iin(41)),
        format="json",
    )
    own_complaint = api.as_user(portal).post(
        "/api/v1/complaints/",
        complaint_payload(channel="portal", complainant={"iin": make_iin(42)}),
        format="json",
    )
    assert own_application.status_code == own_complaint.status_code == 201, (
        own_application.json(),
        own_complaint.json(),
    )
    desk_application = _create(api, clerk, "applications", ASTANA_CODE, 43)
    desk_complaint = _create(api, complaints_officer, "complaints", ASTANA_CODE, 44)
    return {
        "applications": (own_application.json(), desk_application),
        "complaints": (own_complaint.json(), desk_complaint),
    }


@pytest.mark.parametrize("service", ["applications", "complaints"])
def test_portal_account_sees_only_what_it_created(api, portal, portal_cases, service):
    # given the portal's own case and a desk case of the same provider
    own, desk = portal_cases[service]
    collection = SERVICES[service][0]
    client = api.as_user(portal)

    # when the portal lists the cases and opens each
    listed = client.get(collection)
    own_detail = client.get(f"{collection}{own['id']}/")
    desk_detail = client.get(f"{collection}{desk['id']}/")

    # then only its own case is there; the desk's answers 404
    assert [row["number"] for row in listed.json()["results"]] == [own["number"]]
    assert own_detail.status_code == 200
    assert desk_detail.status_code == 404


@pytest.mark.parametrize("service", ["applications", "complaints"])
def test_portal_account_cannot_download_documents_of_desk_cases(api, portal, portal_cases, service):
    # given the portal's own case and a desk case of the same provider, each with a document
    own, desk = portal_cases[service]
    collection = SERVICES[service][0]
    client = api.as_user(portal)
    own_document = client.get(f"{collection}{own['id']}/").json()["documents"][0]["number"]
    desk_document = documents_of(MODELS[service].objects.get(pk=desk["id"])).first().number

    # when the portal downloads both through the API
    mine = client.get(f"/api/v1/documents/{own_document}/pdf/")
    theirs = client.get(f"/api/v1/documents/{desk_document}/pdf/")

    # then its own answers the PDF, the desk's 404
    assert (mine.status_code, mine["Content-Type"]) == (200, "application/pdf")
    assert theirs.status_code == 404
