"""Every URL that changes a case goes through the kernel's runner (issue 9).

The project's URL patterns are walked from the resolver: each one that accepts a write (a DRF
view with post/put/patch/delete; a function view unless it is listed as read-only) is either
walked here or says why a write there changes no case. A walk proves the runner: a done call
runs ``housing_aid.actions`` once and writes exactly one event row of one of the app's
declared event types on the case; a refused call (wrong role, wrong state, bad body) writes
none. A new state-changing URL without a walk fails ``test_every_url_that_accepts_a_write``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from applications.models import Application
from applications.tests.conftest import advance, package
from certificates.models import (
    AmountKind,
    CertificateProgram,
    CertificateRequest,
    Loan,
    ProgramEvent,
    ProgramEventKind,
)
from certificates.tests.conftest import NOW as CERTIFICATE_DAY
from certificates.tests.conftest import body as certificate_body
from complaints.models import Complaint
from complaints.tests.conftest import complaint_payload
from housing_aid import actions as kernel
from housing_aid.casework.services import EVENT_LABELS as CASEWORK_EVENT_LABELS
from housing_aid.models import CaseEvent

pytestmark = pytest.mark.django_db

APPLICATION_DAY = dt.datetime(2025, 4, 14, 11, 0, tzinfo=ZoneInfo("Asia/Almaty"))
WRITES = ("post", "put", "patch", "delete")

# URL name -> why a write there changes no case (or creates one: registration is not an action).
NOT_A_CASE_CHANGE = {
    "login": "signs in",
    "logout": "signs out",
    "set_language": "the reader's language",
    "api_token": "issues or revokes an API token",
    "api_applications": "registers an application (creation writes its own register event)",
    "api_certificates": "registers a certificate request (creation)",
    "api_complaints": "registers a complaint (creation)",
    "applications:intake": "the desk's registration form (creation)",
    "certificates:intake": "the registration form (creation)",
    "complaints:register": "the registration form (creation)",
    "api_certificate_programs": "creates a program; its budget edits are walked at api_certificate_program",
    "api_application_signing_sessions": "prepares a signature over the draft; the sign action changes the case",
    "applications:demo_sign": "exists only with DJANGO_DEBUG=1 (404 otherwise)",
    "api_notifications_read": "the reader's notifications",
    "api_notification_read": "the reader's notification",
    "sla:mark_all_read": "the reader's notifications",
    "sla:mark_read": "the reader's notification",
    "sla:open_notification": "the reader's notification",
    "api_substitutions": "a staff absence and its substitute",
    "casework:absences": "a staff absence and its substitute",
    "casework:save_filter": "the reader's own saved worklist filter",
    "casework:delete_filter": "the reader's own saved worklist filter",
}
# Function views that only read (a DRF view's methods are read from the view itself).
READ_ONLY = {
    "home",
    "healthz",
    "status_page",
    "verify_document",
    "verify_document_pdf",
    "document_pdf",
    "attachment_file",
    "applications:worklist",
    "applications:iin_lookup",
    "applications:signing_queue",
    "applications:events_export",
    "applications:case",
    "applications:draft_pdf",
    "certificates:worklist",
    "certificates:detail",
    "certificates:program",
    "certificates:loans",
    "certificates:loan",
    "certificates:announcements",
    "complaints:worklist",
    "complaints:detail",
    "complaints:answer",
    "sla:dashboard",
    "sla:notifications",
    "casework:person_search",
    "casework:person",
    "casework:export",
    "casework:open_elsewhere",
}
# Being ported onto the runner by other branches: the lead removes each entry once merged.
NOT_YET_THROUGH_THE_RUNNER: set[str] = set()


def url_patterns():
    """(route, name, callback) of every URL pattern outside the Django admin."""

    def walk(resolver, prefix="", namespace=None):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                full = f"{namespace}:{ns}" if namespace and ns else ns or namespace
                yield from walk(pattern, prefix + str(pattern.pattern), full)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
                yield prefix + str(pattern.pattern), name, pattern.callback

    return [p for p in walk(get_resolver()) if not p[0].startswith("admin/")]


def accepts_writes(name: str, callback) -> bool:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is not None:
        return any(hasattr(view_class, method) for method in WRITES)
    return name not in READ_ONLY


# -- the walks ---------------------------------------------------------------------------


@dataclass
class Call:
    user: object
    path: str
    data: dict | Callable[[], dict] = field(default_factory=dict)
    method: str = "post"
    multipart: bool = False

    def send(self):
        data = self.data() if callable(self.data) else self.data
        if self.path.startswith("/api/"):
            client = APIClient()
            client.force_authenticate(self.user)
            return getattr(client, self.method)(
                self.path, data, format="multipart" if self.multipart else "json"
            )
        client = Client()
        client.force_login(self.user)
        return client.post(self.path, data)


@dataclass
class Walk:
    case: object
    done: Call
    refused: list[Call]
    refused_after: list[Call] = field(default_factory=list)


WALKS: dict[str, tuple[str, Callable]] = {}


def walk(url_name: str, walk_id: str | None = None):
    def register(build):
        WALKS[walk_id or url_name] = (url_name, build)
        return build

    return register


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scan(name: str = "scan.pdf"):
    return SimpleUploadedFile(name, _pdf(), content_type="application/pdf")


class World:
    """The provider's staff and the ways to make each kind of case in the state a walk needs."""

    def __init__(self, users: dict, time_machine):
        self.__dict__.update(users)
        self.time_machine = time_machine

    def api(self, user, path, data=None):
        client = APIClient()
        client.force_authenticate(user)
        response = client.post(path, data or {}, format="json")
        assert response.status_code in (200, 201), (path, response.status_code, response.content[:300])
        return response.json()

    # applications
    def application(self) -> Application:
        self.time_machine.move_to(APPLICATION_DAY, tick=False)
        return Application.objects.get(pk=self.api(self.clerk, "/api/v1/applications/", package())["id"])

    # certificates
    def program(self) -> CertificateProgram:
        return CertificateProgram.objects.create(
            provider=self.provider,
            year=2025,
            budget=Decimal("30000000.00"),
            amount_kind=AmountKind.FIXED,
            amount_value=Decimal("1500000.00"),
        )

    def certificate(self) -> CertificateRequest:
        self.program()
        self.time_machine.move_to(CERTIFICATE_DAY, tick=False)
        created = self.api(self.officer, "/api/v1/certificates/", certificate_body(monthly="400000.00"))
        return CertificateRequest.objects.get(pk=created["id"])

    def loan(self) -> Loan:
        case = self.certificate()
        base = f"/api/v1/certificates/{case.pk}/transitions"
        self.api(self.officer, f"{base}/approve/")
        self.api(
            self.trustee,
            f"{base}/conclude_agreement/",
            {
                "visited_on": "2025-03-12",
                "agreement_on": "2025-03-12",
                "account_iban": "KZ86125KZT5004100100",
                "loan": {"term_months": 120, "security_kind": "surety"},
            },
        )
        self.api(self.trustee, f"{base}/record_transfer/", {"transferred_on": "2025-03-12"})
        return Loan.objects.get(request=case)

    # complaints
    def complaint(self, state: str = "registered") -> Complaint:
        complaint = Complaint.objects.get(
            pk=self.api(self.complaints_officer, "/api/v1/complaints/", complaint_payload())["id"]
        )
        base = f"/api/v1/complaints/{complaint.pk}/transitions"
        if state in ("under_review", "answered"):
            self.api(self.complaints_officer, f"{base}/start_review/")
        if state == "answered":
            self.api(self.complaints_officer, f"{base}/answer/", {"response": "Ответ по существу."})
        return Complaint.objects.get(pk=complaint.pk)


# applications


def _application_transition(w: World, path: str) -> Walk:
    app = w.application()
    url = path.format(pk=app.pk)
    return Walk(
        app,
        Call(w.officer, url.format(name="start_review"), {"expected_status": "registered"}),
        [
            Call(w.auditor, url.format(name="start_review")),  # a role that never acts
            Call(w.officer, url.format(name="start_verification")),  # not in this state
        ],
    )


@walk("api_application_transition")
def _(w):
    return _application_transition(w, "/api/v1/applications/{pk}/transitions/{{name}}/")


@walk("applications:transition")
def _(w):
    return _application_transition(w, "/applications/{pk}/transitions/{{name}}/")


def _application_attachment(w: World, path: str) -> Walk:
    app = w.application()
    url = path.format(pk=app.pk)
    return Walk(
        app,
        Call(w.officer, url, lambda: {"file": _scan()}, multipart=True),
        [Call(w.head, url, lambda: {"file": _scan()}, multipart=True)],
    )


@walk("api_application_attachments")
def _(w):
    return _application_attachment(w, "/api/v1/applications/{pk}/attachments/")


@walk("applications:attach")
def _(w):
    return _application_attachment(w, "/applications/{pk}/attachments/")


@walk("applications:hand_out")
def _(w):
    from applications.documents import issue_due_documents
    from housing_aid.documents import documents_of

    app = w.application()
    Application.objects.filter(pk=app.pk).update(id_document_number="045612378")
    app = advance(
        Application.objects.get(pk=app.pk),
        w.officer,
        "start_review",
        "start_verification",
        ("draft_refusal", {"ground": "non_compliance", "reason": "Не соответствует требованиям."}),
    )
    advance(app, w.head, "sign")
    issue_due_documents(app, w.head)
    notice = documents_of(app).get(kind="refusal_notice")
    url = f"/applications/{app.pk}/documents/{notice.number}/hand-out/"
    body = {"recipient_kind": "applicant", "id_number": "045612378"}
    return Walk(
        app, Call(w.clerk, url, body), [Call(w.head, url, body), Call(w.clerk, url, {"id_number": "1"})]
    )


# certificates


def _certificate_transition(w: World, path: str) -> Walk:
    case = w.certificate()
    url = path.format(pk=case.pk)
    return Walk(
        case,
        Call(w.officer, url.format(name="approve")),
        [Call(w.auditor, url.format(name="approve")), Call(w.officer, url.format(name="record_transfer"))],
    )


@walk("api_certificate_transition")
def _(w):
    return _certificate_transition(w, "/api/v1/certificates/{pk}/transitions/{{name}}/")


@walk("certificates:act")
def _(w):
    return _certificate_transition(w, "/certificates/{pk}/act/{{name}}/")


@walk("api_certificate_program")
def _(w):
    program = w.program()
    url = f"/api/v1/certificate-programs/{program.pk}/"
    body = {"budget": "31000000.00"}
    return Walk(
        program,
        Call(w.admin_user, url, body, method="patch"),
        [
            Call(w.auditor, url, body, method="patch"),
            Call(w.admin_user, url, {"budget": "-1"}, method="patch"),
        ],
    )


@walk("api_loan_repayments")
def _(w):
    loan = w.loan()
    url = f"/api/v1/loans/{loan.pk}/repayments/"
    body = {"paid_on": "2025-03-12", "amount": "10000.00"}
    return Walk(loan.request, Call(w.trustee, url, body), [Call(w.officer, url, body)])


@walk("api_loan_repayment_reverse")
def _(w):
    loan = w.loan()
    paid = w.api(
        w.trustee, f"/api/v1/loans/{loan.pk}/repayments/", {"paid_on": "2025-03-12", "amount": "10000.00"}
    )
    url = f"/api/v1/loans/{loan.pk}/repayments/{paid['id']}/reverse/"
    body = {"reason": "Ошибочно зачтён чужой платёж."}
    return Walk(loan.request, Call(w.trustee, url, body), [Call(w.officer, url, body)])


# complaints: every declared action, on the API and on the screen


def _complaint_url(pk: int, name: str, api: bool) -> str:
    if not api:
        return f"/complaints/{pk}/actions/{name}/"
    own = {
        "escalate": "escalate",
        "record_delivery": "delivery",
        "record_court_appeal": "court-appeal",
        "add_attachments": "attachments",
    }
    if name in own:
        return f"/api/v1/complaints/{pk}/{own[name]}/"
    return f"/api/v1/complaints/{pk}/transitions/{name}/"


def _today(api: bool) -> str:
    today = timezone.localdate()
    return today.isoformat() if api else today.strftime("%d.%m.%Y")


def _complaint_walk(w: World, name: str, api: bool) -> Walk:
    state = {"answer": "under_review", "record_delivery": "answered", "escalate": "answered"}
    complaint = w.complaint(state.get(name, "registered"))
    url = _complaint_url(complaint.pk, name, api)
    officer = w.complaints_officer
    later = "2099-01-01" if api else "01.01.2099"
    if name == "add_attachments":
        files = (lambda: {"file": [_scan()]}) if api else (lambda: {"attachments": [_scan()]})
        return Walk(
            complaint,
            Call(officer, url, files, multipart=True),
            [Call(w.auditor, url, files, multipart=True)],
        )
    bodies = {
        "start_review": (
            {},
            [Call(officer, _complaint_url(complaint.pk, "answer", api), {"response": "Ответ"})],
        ),
        "answer": ({"response": "Ответ по существу."}, [Call(officer, url, {"response": ""})]),
        "refuse_to_consider": ({"reason": "Повторная жалоба."}, [Call(officer, url, {})]),
        "record_delivery": ({"delivered_on": _today(api)}, [Call(officer, url, {"delivered_on": later})]),
        "record_court_appeal": ({"filed_on": _today(api)}, [Call(officer, url, {"filed_on": later})]),
        "escalate": ({"text": "Не согласна с ответом."}, []),
    }
    body, wrong = bodies[name]
    done = Call(officer, url, body)
    # A role that sees the complaint but may never act on it; then the state or the body refuses.
    return Walk(complaint, done, [Call(w.auditor, url, body), *wrong], refused_after=[done])


def _complaint_names() -> list[str]:
    from complaints.actions import ACTIONS

    return [action.name for action in ACTIONS]


for _name in _complaint_names():
    for _api, _url_name in ((True, None), (False, "complaints:action")):
        if _api:
            _url_name = {
                "escalate": "api_complaint_escalate",
                "record_delivery": "api_complaint_delivery",
                "record_court_appeal": "api_complaint_court_appeal",
                "add_attachments": "api_complaint_attachments",
            }.get(_name, "api_complaint_transition")
        WALKS[f"{_url_name}/{_name}"] = (
            _url_name,
            lambda w, name=_name, api=_api: _complaint_walk(w, name, api),
        )


# working the cases (the same views serve the three services; walked with an application)


def _assign(w: World, path: str) -> Walk:
    app = w.application()
    url = path.format(pk=app.pk)
    body = {"executor": w.officer.get_username()}
    return Walk(app, Call(w.head, url, body), [Call(w.auditor, url, body)])


@walk("api_case_assign")
def _(w):
    return _assign(w, "/api/v1/applications/{pk}/assign/")


@walk("casework:assign")
def _(w):
    return _assign(w, "/work/applications/{pk}/assign/")


def _bulk_assign(w: World, path: str) -> Walk:
    app = w.application()
    body = {"ids": [app.pk], "executor": w.officer.get_username()}
    return Walk(app, Call(w.head, path, body), [Call(w.auditor, path, body)])


@walk("api_case_bulk_assign")
def _(w):
    return _bulk_assign(w, "/api/v1/applications/bulk-assign/")


@walk("casework:bulk_assign")
def _(w):
    return _bulk_assign(w, "/work/applications/bulk-assign/")


def _note(w: World, path: str) -> Walk:
    app = w.application()
    url = path.format(pk=app.pk)
    return Walk(
        app, Call(w.officer, url, {"text": "Позвонить заявителю."}), [Call(w.auditor, url, {"text": "x"})]
    )


@walk("api_case_notes")
def _(w):
    return _note(w, "/api/v1/applications/{pk}/notes/")


@walk("casework:add_note")
def _(w):
    return _note(w, "/work/applications/{pk}/notes/")


@walk("casework:resolve_duplicate")
def _(w):
    first = w.application()
    second = Application.objects.get(pk=w.api(w.clerk, "/api/v1/applications/", package())["id"])
    url = f"/work/applications/{second.pk}/duplicate/"
    body = {"number": first.number, "decision": "explained", "explanation": "Разные заявления."}
    return Walk(second, Call(w.officer, url, body), [Call(w.auditor, url, body)])


# -- the declared event types of each kind of case -----------------------------------------


def declared_event_types(case) -> set[str]:
    from applications.actions import EVENT_TYPES as APPLICATION_EVENTS
    from certificates.actions import EVENT_TYPES as CERTIFICATE_EVENTS
    from complaints.actions import EVENT_TYPES as COMPLAINT_EVENTS

    if isinstance(case, Application):
        return set(APPLICATION_EVENTS)
    if isinstance(case, Complaint):
        return set(COMPLAINT_EVENTS)
    if isinstance(case, CertificateProgram):
        return set(ProgramEventKind.values)
    return set(CERTIFICATE_EVENTS) | set(CASEWORK_EVENT_LABELS)


def events_of(case) -> list[str]:
    if isinstance(case, CertificateProgram):
        return list(ProgramEvent.objects.filter(program=case).order_by("id").values_list("kind", flat=True))
    rows = CaseEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk
    ).order_by("id")
    return list(rows.values_list("transition", flat=True))


@pytest.fixture
def world(
    provider, clerk, officer, head, trustee, complaints_officer, auditor, admin_user, time_machine
) -> World:
    users = {
        "provider": provider,
        "clerk": clerk,
        "officer": officer,
        "head": head,
        "trustee": trustee,
        "complaints_officer": complaints_officer,
        "auditor": auditor,
        "admin_user": admin_user,
    }
    return World(users, time_machine)


def _params():
    out = []
    for walk_id, (url_name, _build) in WALKS.items():
        marks = ()
        if url_name in NOT_YET_THROUGH_THE_RUNNER:
            marks = pytest.mark.xfail(strict=False, reason="being ported onto the runner by another branch")
        out.append(pytest.param(walk_id, marks=marks, id=walk_id))
    return out


@pytest.mark.parametrize("walk_id", _params())
def test_a_done_call_runs_the_runner_and_writes_one_declared_event_a_refused_one_none(
    walk_id, world, monkeypatch
):
    _url_name, build = WALKS[walk_id]
    plan = build(world)
    runs = []
    real_run = kernel._run

    def counted(action, *args, **kwargs):
        runs.append(action.name)
        return real_run(action, *args, **kwargs)

    monkeypatch.setattr(kernel, "_run", counted)

    for call in plan.refused:
        before = events_of(plan.case)
        response = call.send()
        assert response.status_code < 500, (call.path, response.status_code)
        assert events_of(plan.case) == before, ("a refused call wrote an event", call.path, call.user)

    before = events_of(plan.case)
    runs.clear()
    response = plan.done.send()
    written = events_of(plan.case)[len(before) :]

    assert response.status_code in (200, 201, 302), (response.status_code, response.content[:500])
    assert len(written) == 1, written
    assert written[0] in declared_event_types(plan.case), written
    assert len(runs) == 1, runs

    for call in plan.refused_after:
        before = events_of(plan.case)
        assert call.send().status_code < 500
        assert events_of(plan.case) == before, ("a repeated call wrote an event", call.path)


def test_every_url_that_accepts_a_write_is_walked_or_says_why_not():
    walked = {url_name for url_name, _build in WALKS.values()}
    names = {name for _route, name, _callback in url_patterns()}
    unwalked = [
        (route, name)
        for route, name, callback in url_patterns()
        if accepts_writes(name, callback) and name not in walked and name not in NOT_A_CASE_CHANGE
    ]

    assert unwalked == [], "walk these URLs (or say in NOT_A_CASE_CHANGE why they change no case)"
    assert (set(NOT_A_CASE_CHANGE) | READ_ONLY | NOT_YET_THROUGH_THE_RUNNER) - names == set()
    assert NOT_YET_THROUGH_THE_RUNNER <= walked


def test_every_declared_complaint_action_is_walked_on_the_api_and_the_screen():
    walked = {walk_id.split("/", 1)[1] for walk_id in WALKS if "/" in walk_id}
    screen = {walk_id.split("/", 1)[1] for walk_id in WALKS if walk_id.startswith("complaints:action/")}

    assert set(_complaint_names()) == walked == screen
