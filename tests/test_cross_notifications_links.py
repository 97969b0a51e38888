"""The SLA sweep over real cases of all three services: every link on the notification list
opens the real case page (through the open-and-mark-read redirect), with the case number on it."""

from __future__ import annotations

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from applications.tests.conftest import make_iin, package
from certificates.models import AmountKind, CertificateProgram
from certificates.tests.conftest import NOW as CERTIFICATE_RECEIVED
from certificates.tests.conftest import body as certificate_body
from complaints.tests.conftest import complaint_payload
from housing_aid.sla import services as sla
from housing_aid.sla.models import Notification

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
INTAKE = dt.datetime(2025, 4, 14, 11, 0, tzinfo=ALMATY)  # Monday: the application's review is due Wed 16.04
SWEEP = dt.datetime(2025, 4, 16, 9, 0, tzinfo=ALMATY)
CASE_LINK = re.compile(r'<a href="(?P<href>[^"]+)" class="case-number">(?P<number>[^<]+)</a>')


@pytest.fixture
def cases(api, clerk, officer, complaints_officer, provider):
    """A case of each service with an open stage that is due or overdue on SWEEP's day."""
    CertificateProgram.objects.create(
        provider=provider,
        year=2025,
        budget="30000000.00",
        amount_kind=AmountKind.FIXED,
        amount_value="1500000.00",
        categories=[],
        mortgage_programs=[],
    )
    with time_machine.travel(INTAKE, tick=False):
        application = api.as_user(clerk).post(
            "/api/v1/applications/", package(iin=make_iin(1)), format="json"
        )
        certificate = api.as_user(officer).post(
            "/api/v1/certificates/",
            certificate_body(received_at=CERTIFICATE_RECEIVED, iin=make_iin(2)),
            format="json",
        )
        complaint = api.as_user(complaints_officer).post(
            "/api/v1/complaints/", complaint_payload(complainant={"iin": make_iin(3)}), format="json"
        )
    assert [r.status_code for r in (application, certificate, complaint)] == [201, 201, 201]
    return {
        "application": application.json(),
        "certificate": certificate.json(),
        "complaint": complaint.json(),
    }


def _links(client: Client) -> dict[str, str]:
    page = client.get("/sla/notifications/")
    assert page.status_code == 200
    return {m["number"].strip(): html.unescape(m["href"]) for m in CASE_LINK.finditer(page.content.decode())}


def _open(client: Client, href: str):
    return client.get(href, follow=True)


PAGES = {
    "application": "/applications/{id}/",
    "certificate": "/certificates/{id}/",
    "complaint": "/complaints/{id}/",
}


@pytest.mark.parametrize(
    ("service", "recipient"),
    [("application", "officer"), ("certificate", "officer"), ("complaint", "complaints_officer")],
)
def test_officers_notification_links_open_the_real_case_page(request, cases, service, recipient):
    # given a case whose stage is due, and the SLA sweep on that day
    case = cases[service]
    user = request.getfixturevalue(recipient)
    with time_machine.travel(SWEEP, tick=False):
        result = sla.sweep()
    assert result.total > 0
    assert Notification.objects.filter(recipient=user, case_number=case["number"]).exists()
    client = Client()
    client.force_login(user)

    # when the officer opens the link of that case on the notification list
    links = _links(client)
    assert case["number"] in links, links
    response = _open(client, links[case["number"]])

    # then the redirect lands on the case's own page, which shows the number
    assert response.status_code == 200
    assert response.redirect_chain, "the link should go through the open-and-mark-read view"
    assert response.redirect_chain[-1][0] == PAGES[service].format(id=case["id"])
    assert case["number"] in response.content.decode()
    notification = Notification.objects.get(recipient=user, case_number=case["number"])
    assert notification.read_at is not None


def test_every_link_of_the_officer_opens_a_page_with_its_number(cases, officer):
    # given the sweep on the day the application's review is due (the certificate is overdue)
    with time_machine.travel(SWEEP, tick=False):
        sla.sweep()
    client = Client()
    client.force_login(officer)

    # when the officer follows every case link on the list
    links = _links(client)
    opened = {number: _open(client, href) for number, href in links.items()}

    # then the application and the certificate are both there and every page answers with its number
    assert {cases["application"]["number"], cases["certificate"]["number"]} <= set(links)
    for number, response in opened.items():
        assert response.status_code == 200, number
        assert number in response.content.decode(), number


def test_heads_escalation_links_open_the_overdue_cases(cases, head):
    # given the sweep two days after the certificate's and the complaint's stages passed their due dates
    with time_machine.travel(SWEEP, tick=False):
        sla.sweep()
    escalated = set(
        Notification.objects.filter(recipient=head, kind="escalation").values_list("case_number", flat=True)
    )
    assert {cases["certificate"]["number"], cases["complaint"]["number"]} <= escalated
    client = Client()
    client.force_login(head)

    # when the head follows the escalation links
    links = _links(client)

    # then each overdue case's page opens with its number
    for service in ("certificate", "complaint"):
        number = cases[service]["number"]
        response = _open(client, links[number])
        assert response.status_code == 200, (service, response.redirect_chain)
        assert response.redirect_chain[-1][0] == PAGES[service].format(id=cases[service]["id"])
        assert number in response.content.decode()
