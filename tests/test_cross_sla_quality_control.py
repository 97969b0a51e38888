"""A complaint to the quality-control body (15 wd) that nobody has taken yet reminds the
quality officers, who work for every provider, not the provider's complaints officers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from complaints.tests.conftest import complaint_payload
from housing_aid import workdays
from housing_aid.models import CaseStage
from housing_aid.sla import services as sla
from housing_aid.sla.models import Notification

ALMATY = ZoneInfo("Asia/Almaty")


def test_an_unassigned_quality_control_complaint_reminds_the_quality_officers(
    api, quality_officer, complaints_officer
):
    # given a complaint registered with the quality-control body on Tuesday 4 March 2025
    response = api.as_user(quality_officer).post(
        "/api/v1/complaints/", complaint_payload(addressee="quality_control_body"), format="json"
    )
    assert response.status_code == 201, response.json()
    stage = CaseStage.objects.get(case_number=response.json()["number"])
    assert stage.stage == "quality_answer"
    assert stage.due_date == workdays.add_working_days(dt.date(2025, 3, 4), 15)

    # when the sweep runs on the working day before the due date
    day_before = workdays.add_working_days(dt.date(2025, 3, 4), 14)
    with time_machine.travel(dt.datetime.combine(day_before, dt.time(9, 0), tzinfo=ALMATY), tick=False):
        sla.sweep(send_emails=False)

    # then the quality officer has the reminder, the provider's complaints officer none
    reminders = Notification.objects.filter(case_number=response.json()["number"], kind="reminder")
    assert list(reminders.values_list("recipient__username", flat=True)) == ["quality"]
    assert not Notification.objects.filter(recipient=complaints_officer).exists()


def test_an_unassigned_provider_complaint_still_reminds_the_complaints_officers(
    api, quality_officer, complaints_officer
):
    response = api.as_user(complaints_officer).post("/api/v1/complaints/", complaint_payload(), format="json")
    due = dt.date.fromisoformat(response.json()["due_date"])

    with time_machine.travel(dt.datetime.combine(due, dt.time(9, 0), tzinfo=ALMATY), tick=False):
        sla.sweep(send_emails=False)

    kinds = Notification.objects.filter(case_number=response.json()["number"]).values_list(
        "recipient__username", "kind"
    )
    assert list(kinds) == [("complaints", "due_today")]
