"""A worklist row's HTML, pinned: each service's row is filled into a format string
(``WORKLIST_ROW`` beside its worklist view), so a change to what a row shows, or to how its
values are escaped, shows here rather than only on screen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import translation

from applications import views as applications_views
from applications.models import Application
from certificates import views as certificates_views
from certificates.models import CertificateRequest
from complaints import views as complaints_views
from complaints.models import Complaint
from housing_aid.casework import worklists
from housing_aid.paging import Row

EXECUTOR = {
    "assignee_id": 7,
    "assignee__first_name": "Aigul",
    "assignee__last_name": "Sadykova",
    "assignee__username": "aigul",
}
UNASSIGNED = {
    "assignee_id": None,
    "assignee__first_name": None,
    "assignee__last_name": None,
    "assignee__username": None,
}


def cells(model, *, bulk=False, covering=None, labels=(), phrases=None, name=worklists.given_name_first):
    work = {"bulk": bulk, "may_take": False, "service": "x", "next": "/", "covering": covering or {}}
    request = RequestFactory().get("/")
    return worklists.RowCells(request, work, model=model, executor_name=name, labels=labels, phrases=phrases)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_an_application_row_escapes_its_texts_and_marks_the_colleague_covered_for():
    row = Row(
        pk=41,
        number="HA-710000000-2025-00001",
        status="registered",
        channel="state_corporation",
        stage_due_date=dt.date(2025, 4, 16),
        due_date=None,
        closed_at=None,
        applicant__last_name="O'Neil <b>",
        applicant__first_name="Aru & Co",
        applicant__patronymic="",
        applicant__iin="850315410002",
        **EXECUTOR,
    )
    shared = cells(
        Application,
        bulk=True,
        covering={7: "Aigul Sadykova"},
        labels=("status", "channel"),
        name=worklists.surname_first,
    )
    badge = worklists.rendered_once("applications/_deadline.html", "deadline")

    html = applications_views.worklist_row(row, cells=shared, deadline_badge=badge)

    assert html == (
        '\n  <tr class="row-overdue"><td class="select"><input type="checkbox" class="row-select" name="ids" '
        'value="41" id="sel-41" form="bulk-form"><label for="sel-41" class="visually-hidden">'
        "Select HA-710000000-2025-00001</label></td>\n"
        '    <td><a href="/applications/41/">HA-710000000-2025-00001</a></td>\n'
        '    <td>O&#x27;Neil &lt;b&gt; Aru &amp; Co<div class="muted small">850315410002</div></td>\n'
        "    <td>Registered</td>\n"
        '    <td>16.04.2025 <span class="badge deadline-overdue">Overdue</span>\n</td>\n'
        "    <td>—</td>\n"
        '    <td>Sadykova Aigul <span class="badge covering">covering for Aigul Sadykova</span></td>\n'
        "    <td>State Corporation</td>\n"
        "  </tr>\n  "
    )


def test_a_certificate_row_shows_the_amount_and_an_unassigned_request():
    row = Row(
        pk=5,
        number="HC-710000000-2025-00002",
        registered_on=dt.date(2025, 4, 14),
        kind="social_assistance",
        amount=Decimal("1500000.00"),
        status="under_consideration",
        stage_due_date=None,
        closed_at=None,
        applicant__last_name="Seitkali",
        applicant__first_name="Dana",
        applicant__patronymic="Nurlanovna",
        applicant__iin="850315410002",
        **UNASSIGNED,
    )

    html = certificates_views.worklist_row(row, cells=cells(CertificateRequest, labels=("status", "kind")))

    assert html == (
        "<tr>\n"
        '    <td><a href="/certificates/5/">HC-710000000-2025-00002</a><div class="muted">14.04.2025</div></td>\n'
        '    <td>Seitkali Dana Nurlanovna<div class="muted">850315410002</div></td>\n'
        "    <td>Social assistance</td>\n"
        '    <td class="num">1,500,000.00</td>\n'
        '    <td><span class="badge">Under consideration</span></td>\n'
        '    <td class="executor"><span class="muted">unassigned</span></td>\n'
        '    <td><span class="muted">—</span></td>\n'
        "  </tr>"
    )


def test_a_complaint_row_shows_its_parent_and_says_overdue():
    row = Row(
        pk=9,
        number="CM-710000000-2025-00003",
        parent_id=8,
        parent__number="CM-710000000-2025-00001",
        complainant_last_name="Seitkali",
        complainant_first_name="Dana",
        complainant_patronymic="",
        channel="mail",
        addressee="service_provider",
        case_number="",
        status="registered",
        registered_on=dt.date(2025, 4, 14),
        answer_term_days=15,
        due_date=dt.date(2025, 5, 5),
        closed_at=None,
        **EXECUTOR,
    )
    shared = cells(Complaint, labels=("status", "addressee", "channel"), phrases=complaints_views.ROW_PHRASES)

    html = complaints_views.worklist_row(row, cells=shared)

    assert html == (
        '\n    <tr class="row-overdue">\n'
        '      <td><a href="/complaints/9/">CM-710000000-2025-00003</a>'
        '<div class="muted small">↳ CM-710000000-2025-00001</div></td>\n'
        '      <td>Seitkali Dana<div class="muted small">By mail</div></td>\n'
        "      <td>Head of the service provider</td>\n"
        "      <td>—</td>\n"
        '      <td><span class="badge status-registered">Registered</span></td>\n'
        "      <td>14.04.2025</td>\n"
        '      <td><span class="badge deadline-overdue" title="Answer term: 15">05.05.2025</span>\n'
        '        <div class="small deadline-text">overdue</div></td>\n'
        '      <td class="executor">Aigul Sadykova</td>\n'
        "    </tr>\n  "
    )
