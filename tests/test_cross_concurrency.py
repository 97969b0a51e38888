"""Safe against two users at once: real threads, each with its own PostgreSQL connection,
released together by a barrier. One wins, the other gets the 409 conflict; nothing is done twice."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from rest_framework.test import APIClient

from applications import services as application_services
from applications.models import Application, ApplicationStatus
from applications.tests.conftest import advance, make_iin, package
from complaints import services as complaint_services
from complaints.models import Complaint, ComplaintStatus, DocumentKind
from complaints.services import Complainant
from housing_aid.cases import CaseConflict
from housing_aid.models import CaseEvent, IssuedDocument
from tests import eds
from tests.factories import staff_user

pytestmark = pytest.mark.django_db(transaction=True)

ALMATY = ZoneInfo("Asia/Almaty")
NOW = dt.datetime(2025, 4, 14, 11, 0, tzinfo=ALMATY)
TIMEOUT = 60


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=True):
        yield


def race(*actions: Callable[[], str]) -> list[str]:
    """Run the actions in threads released at the same instant; each returns its outcome.

    Every thread opens its own database connection (Django's are per thread) and closes it."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(action: Callable[[], str]) -> None:
        try:
            barrier.wait(timeout=TIMEOUT)
            result = action()
            with lock:
                outcomes.append(result)
        except BaseException as exc:  # noqa: BLE001 - reported to the test below
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    assert not errors, errors
    return outcomes


def _events(case, transition: str) -> int:
    return CaseEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk, transition=transition
    ).count()


def _documents(case, kind: str) -> int:
    return IssuedDocument.objects.filter(
        content_type=ContentType.objects.get_for_model(type(case)), object_id=case.pk, kind=kind
    ).count()


@pytest.fixture
def drafted(api, clerk, officer, frozen):
    """An application with the assignment drafted, waiting for the head's signature."""
    response = api.as_user(clerk).post("/api/v1/applications/", package(), format="json")
    assert response.status_code == 201, response.json()
    application = Application.objects.get(pk=response.json()["id"])
    return advance(
        application,
        officer,
        "start_review",
        "start_verification",
        (
            "draft_assignment",
            {
                "quarter_income": "450000.00",
                "payments": {"maintenance": "9000.00", "utilities": "42000.00", "telecom": "0", "rent": "0"},
            },
        ),
    )


def test_two_heads_signing_at_once_sign_once(drafted, head, provider):
    # given a drafted assignment and two heads of the provider
    assert drafted.status == ApplicationStatus.DECISION_DRAFTED
    head2 = staff_user("head2", "head", provider)

    bodies = {user.pk: eds.sign_in_python(drafted, user) for user in (head, head2)}

    def sign(user_id: int) -> Callable[[], str]:
        def action() -> str:
            user = get_user_model().objects.get(pk=user_id)
            application = Application.objects.get(pk=drafted.pk)
            try:
                application_services.transition(application, "sign", user, bodies[user_id])
            except CaseConflict as exc:
                return f"conflict:{exc.code}:{exc.case.status}"
            return f"signed:{user.username}"

        return action

    # when both sign through the service at the same instant
    outcomes = race(sign(head.pk), sign(head2.pk))

    # then exactly one signs; the other gets the 409 conflict about the new status
    signed = [o for o in outcomes if o.startswith("signed:")]
    conflicts = [o for o in outcomes if o.startswith("conflict:")]
    assert len(signed) == 1 and len(conflicts) == 1, outcomes
    assert conflicts[0].endswith(":assigned")
    application = Application.objects.get(pk=drafted.pk)
    assert application.status == ApplicationStatus.ASSIGNED
    assert application.signed_by.username == signed[0].split(":")[1]
    assert _events(application, "sign") == 1
    assert _documents(application, "assignment_notice") == 1


@pytest.fixture
def complaint_in_review(complaints_officer, provider, frozen):
    complaint = complaint_services.register_complaint(
        user=complaints_officer,
        provider=provider,
        addressee="service_provider",
        channel="office",
        received_at=NOW - dt.timedelta(hours=1),
        complainant=Complainant(
            last_name="Сейітқали",
            first_name="Әсел",
            patronymic="Болатқызы",
            postal_address="010000, г. Астана, ул. Сарайшық, 5, кв. 12",
            iin="850315410002",
        ),
        text="Заявление о жилищной помощи не рассмотрено в срок.",
    )
    return complaint_services.act(complaint, "start_review", complaints_officer).case


def test_two_complaints_officers_answering_at_once_answer_once(
    complaint_in_review, complaints_officer, provider
):
    # given a complaint under review and two complaints officers of the provider
    complaints2 = staff_user("complaints2", "complaints_officer", provider)

    def answer(user_id: int) -> Callable[[], str]:
        def action() -> str:
            user = get_user_model().objects.get(pk=user_id)
            complaint = Complaint.objects.get(pk=complaint_in_review.pk)
            try:
                complaint_services.act(complaint, "answer", user, {"response": f"Ответ от {user.username}."})
            except CaseConflict as exc:
                return f"conflict:{exc.code}:{exc.case.status}"
            return f"answered:{user.username}"

        return action

    # when both answer at the same instant
    outcomes = race(answer(complaints_officer.pk), answer(complaints2.pk))

    # then one answer stands, the other gets the 409 conflict, and one letter is issued
    answered = [o for o in outcomes if o.startswith("answered:")]
    conflicts = [o for o in outcomes if o.startswith("conflict:")]
    assert len(answered) == 1 and len(conflicts) == 1, outcomes
    assert conflicts[0].endswith(":answered")
    complaint = Complaint.objects.get(pk=complaint_in_review.pk)
    assert complaint.status == ComplaintStatus.ANSWERED
    winner = answered[0].split(":")[1]
    assert complaint.response == f"Ответ от {winner}."
    assert _events(complaint, "answer") == 1
    assert _documents(complaint, DocumentKind.RESPONSE_LETTER) == 1


def test_two_clerks_registering_at_once_get_two_sequential_numbers(clerk, provider, frozen):
    # given two intake clerks of the provider with two complete packages
    clerk2 = staff_user("clerk2", "intake_clerk", provider)

    def register(user_id: int, iin: str) -> Callable[[], str]:
        def action() -> str:
            client = APIClient()
            client.force_authenticate(get_user_model().objects.get(pk=user_id))
            response = client.post("/api/v1/applications/", package(iin=iin), format="json")
            assert response.status_code == 201, response.json()
            return response.json()["number"]

        return action

    # when both register at the same instant
    numbers = race(register(clerk.pk, make_iin(51)), register(clerk2.pk, make_iin(52)))

    # then they get the first two numbers of the year's series, one each
    assert sorted(numbers) == ["HA-710000000-2025-00001", "HA-710000000-2025-00002"]
    assert sorted(Application.objects.values_list("number", flat=True)) == sorted(numbers)


def test_two_clerks_registering_the_same_person_at_once_share_one_person_record(clerk, provider, frozen):
    # given two intake clerks with two packages of the same applicant (same IIN)
    from housing_aid.models import Person

    clerk2 = staff_user("clerk2", "intake_clerk", provider)
    iin = make_iin(61)

    def register(user_id: int) -> Callable[[], str]:
        def action() -> str:
            client = APIClient()
            client.force_authenticate(get_user_model().objects.get(pk=user_id))
            client.raise_request_exception = False
            response = client.post("/api/v1/applications/", package(iin=iin), format="json")
            return f"{response.status_code}"

        return action

    # when both register at the same instant
    outcomes = race(register(clerk.pk), register(clerk2.pk))

    # then neither fails on the shared person: both are answered, one person record holds the IIN
    assert outcomes == ["201", "201"]
    assert Person.objects.filter(iin=iin).count() == 1
    assert Application.objects.filter(applicant__iin=iin).count() == 2


def test_the_same_idempotency_key_sent_twice_at_once_creates_one_case(clerk, frozen):
    # given a caller whose retry races the first request with the same Idempotency-Key
    def register() -> str:
        client = APIClient()
        client.raise_request_exception = False
        client.force_authenticate(get_user_model().objects.get(pk=clerk.pk))
        response = client.post(
            "/api/v1/applications/", package(iin=make_iin(71)), format="json", HTTP_IDEMPOTENCY_KEY="k-71"
        )
        number = response.json().get("number") if response.status_code == 201 else ""
        return f"{response.status_code}:{number}"

    # when both arrive at the same instant
    outcomes = race(register, register)

    # then both get the same first response and only one application exists
    numbers = list(Application.objects.values_list("number", flat=True))
    assert len(numbers) == 1
    assert outcomes == [f"201:{numbers[0]}"] * 2
