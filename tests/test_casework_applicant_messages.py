"""The applicant is told (API.md "Working the cases"): at registration, at a decision and when
documents are ready, by e-mail and SMS, exactly once per event, through a real HTTP gateway."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail

from housing_aid.casework import notify, tasks
from housing_aid.casework.models import ApplicantMessage, MessageStatus
from housing_aid.models import CaseEvent


class Gateway:
    """A stand-in SMS gateway speaking HTTP+JSON on loopback; fails the first N requests."""

    def __init__(self, fail_first: int = 0):
        self.received: list[dict] = []
        self.fail_first = fail_first
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers["Content-Length"])
                payload = json.loads(self.rfile.read(length))
                if gateway.fail_first > 0:
                    gateway.fail_first -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                assert self.headers["Authorization"] == "Bearer gw-token"
                gateway.received.append(payload)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"id": f"m{len(gateway.received)}"}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def intake_day():
    import datetime as dt

    import time_machine

    from applications.tests.conftest import ALMATY_TZ

    with time_machine.travel(dt.datetime(2025, 4, 14, 11, 0, tzinfo=ALMATY_TZ), tick=False):
        yield


@pytest.fixture
def gateway(settings):
    with Gateway() as gw:
        settings.SMS_BACKEND = "housing_aid.casework.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = gw.url
        settings.SMS_GATEWAY_TOKEN = "gw-token"
        yield gw


def _register(api, clerk, django_capture_on_commit_callbacks, **changes):
    from applications.tests.conftest import package

    data = package(**changes)
    data["applicant"]["email"] = "gulzhan@example.kz"
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(clerk).post("/api/v1/applications/", data, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_registration_tells_the_applicant_once_by_email_and_sms(
    api, clerk, gateway, intake_day, django_capture_on_commit_callbacks
):
    created = _register(api, clerk, django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["gulzhan@example.kz"]]
    assert len(gateway.received) == 1
    sms = gateway.received[0]
    assert sms["to"] == "+77011234567"
    assert created["number"] in sms["text"] and "/status/?number=" in sms["text"]
    # the name and the number, nothing else personal: no IIN, no address, no amounts
    for text in (sms["text"], mail.outbox[0].body):
        assert "850315410002" not in text and "Кенесары" not in text
        assert "Гүлжан" in text
    assert set(ApplicantMessage.objects.values_list("channel", "status")) == {
        ("email", "sent"),
        ("sms", "sent"),
    }


def test_a_doubled_trigger_sends_nothing_twice(
    api, clerk, gateway, intake_day, django_capture_on_commit_callbacks
):
    created = _register(api, clerk, django_capture_on_commit_callbacks)
    event = CaseEvent.objects.get(case_number=created["number"], transition="register")
    from django.contrib.contenttypes.models import ContentType

    from applications.models import Application

    ct = ContentType.objects.get_for_model(Application).pk
    # when the same event's task runs twice more (a redelivered message, a second trigger)
    tasks.tell_applicant.delay(ct, created["id"], f"event:{event.pk}", "registered")
    tasks.tell_applicant.delay(ct, created["id"], f"event:{event.pk}", "registered")

    assert len(gateway.received) == 1
    assert len(mail.outbox) == 1
    assert ApplicantMessage.objects.count() == 2


def test_a_failing_gateway_neither_fails_the_registration_nor_loses_the_message(
    api, clerk, settings, intake_day, django_capture_on_commit_callbacks
):
    with Gateway(fail_first=100) as gw:
        settings.SMS_BACKEND = "housing_aid.casework.sms.HttpGatewaySmsBackend"
        settings.SMS_GATEWAY_URL = gw.url
        settings.SMS_GATEWAY_TOKEN = "gw-token"
        _register(api, clerk, django_capture_on_commit_callbacks)
        sms = ApplicantMessage.objects.get(channel="sms")
        assert sms.status == MessageStatus.FAILED and "503" in sms.last_error

        # when the gateway is back and the requeue runs
        gw.fail_first = 0
        assert notify.retry_candidates() == [sms.pk]
        tasks.requeue_applicant_messages.delay()

        assert len(gw.received) == 1
        sms.refresh_from_db()
        assert sms.status == MessageStatus.SENT and sms.attempts >= 2


def test_the_message_speaks_the_applicants_language(
    api, clerk, gateway, intake_day, django_capture_on_commit_callbacks, settings
):
    from applications.models import Application

    created = _register(api, clerk, django_capture_on_commit_callbacks)
    Application.objects.filter(pk=created["id"]).update(language="kk")
    case = Application.objects.get(pk=created["id"])
    _subject, text = notify.compose(case, "decision")
    assert "Құрметті" in text or "шешім" in text.lower()
