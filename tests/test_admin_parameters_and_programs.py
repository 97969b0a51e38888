"""Issue 13: parameters that cannot break deadlines, and program budgets only through the
locked service. Issue 14: the case changelist costs the same at any size and never COUNTs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework import serializers

from certificates import programs
from certificates.models import AmountKind, CertificateProgram, ProgramEvent
from complaints.models import Complaint
from housing_aid import parameters
from housing_aid.actions import run_action
from housing_aid.cases import CaseConflict
from housing_aid.models import Parameter
from tests.factories import staff_user
from tests.test_cross_scoping import _create, frozen, staff  # noqa: F401


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _post_parameter(client, **changes):
    data = {
        "key": "complaint_answer_days",
        "provider": "",
        "valid_from": "2099-01-01",
        "value": "5",
        "legal_basis": "Law No. 1",
    }
    data.update(changes)
    return client.post(reverse("admin:housing_aid_parameter_add"), data)


def test_negative_term_refused_in_the_admin(admin_client, reference):
    response = _post_parameter(admin_client, value="-3")

    assert response.status_code == 200
    assert "value" in response.context["adminform"].form.errors
    assert not Parameter.objects.filter(key="complaint_answer_days", valid_from=dt.date(2099, 1, 1)).exists()


@pytest.mark.parametrize("value", ["0", "2.5", "121"])
def test_a_term_is_a_whole_number_of_working_days_in_range(admin_client, reference, value):
    response = _post_parameter(admin_client, value=value)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["value"]


def test_money_must_be_positive_on_every_path(reference):
    with pytest.raises(ValidationError):
        parameters.set_value("msl", dt.date(2099, 1, 1), "-1")
    with pytest.raises(ValidationError):
        Parameter(key="ha_term_days", valid_from=dt.date(2099, 1, 1), value="-3").save()
    with pytest.raises(ValidationError):
        Parameter(key="ha_term_days", valid_from=dt.date(2099, 1, 1), value="-3").full_clean()


def test_a_valid_future_term_is_saved_without_confirmation(admin_client, reference):
    response = _post_parameter(admin_client, value="7")

    assert response.status_code == 302
    assert parameters.value_on("complaint_answer_days", dt.date(2099, 2, 1)) == 7


def test_a_retroactive_version_needs_confirmation_and_names_the_open_cases(
    api,
    admin_client,
    staff,  # noqa: F811
    frozen,  # noqa: F811
):
    # given two open complaints registered in April 2025
    for n in (1, 2):
        _create(api, staff["complaints"][0], "complaints", "710000000", n)
    assert Complaint.objects.filter(closed_at__isnull=True).count() == 2

    # when the administrator adds a version in force since 1 April without confirming
    refused = _post_parameter(admin_client, valid_from="2025-04-01", value="3")

    # then nothing is saved and the form says how many open cases it changes and how
    assert refused.status_code == 200
    message = " ".join(refused.context["adminform"].form.errors["confirm_retroactive"])
    assert "2" in message and "3" in message
    assert not Parameter.objects.filter(key="complaint_answer_days", valid_from=dt.date(2025, 4, 1)).exists()

    # and with the confirmation it is saved
    confirmed = _post_parameter(admin_client, valid_from="2025-04-01", value="3", confirm_retroactive="on")
    assert confirmed.status_code == 302
    assert Parameter.objects.filter(key="complaint_answer_days", valid_from=dt.date(2025, 4, 1)).exists()


def test_the_parameter_list_shows_translated_names_and_finds_them(admin_client, reference):
    admin_client.cookies["django_language"] = "en"
    response = admin_client.get(reverse("admin:housing_aid_parameter_changelist"), {"q": "complaint to the"})

    keys = {p.key for p in response.context["cl"].result_list}
    assert keys == {"complaint_answer_days", "complaint_quality_control_answer_days"}


# -- programs -------------------------------------------------------------------------------
@pytest.fixture
def program(provider):
    return CertificateProgram.objects.create(
        provider=provider,
        year=2025,
        budget="3000000.00",
        committed="1500000.00",
        amount_kind=AmountKind.FIXED,
        amount_value="1500000.00",
    )


def _program_action(program, name, user, body):
    return run_action(programs.PROGRAM_ACTIONS, program, name, user, body).case


def test_a_budget_change_is_locked_recorded_and_never_below_committed(program, admin_user):
    changed = _program_action(
        program, "change_budget", admin_user, {"budget": "4500000", "reason": "Decision 7"}
    )

    assert changed.budget == 4500000
    event = ProgramEvent.objects.get(program=program, kind="budget_changed")
    assert (event.budget_before, event.budget_after, event.reason) == (3000000, 4500000, "Decision 7")
    with pytest.raises(serializers.ValidationError) as refused:
        _program_action(program, "change_budget", admin_user, {"budget": "1000000"})
    assert "budget" in refused.value.detail
    assert ProgramEvent.objects.filter(program=program).count() == 1


def test_only_an_administrator_of_the_provider_changes_the_budget(program, provider):
    officer = staff_user("officer_budget", "case_officer", provider)

    with pytest.raises(PermissionDenied):
        _program_action(program, "change_budget", officer, {"budget": "not a number"})
    assert not ProgramEvent.objects.filter(program=program).exists()


def test_lowering_the_budget_to_the_committed_sum_terminates_and_raising_does_not_resume(program, admin_user):
    _program_action(program, "change_budget", admin_user, {"budget": "1500000"})
    program.refresh_from_db()
    assert program.terminated and program.announcement

    _program_action(program, "change_budget", admin_user, {"budget": "9000000"})
    program.refresh_from_db()
    assert program.terminated  # never silently

    _program_action(program, "resume_issuance", admin_user, {"reason": "Decision 9 added funds"})
    program.refresh_from_db()
    assert not program.terminated
    with pytest.raises(CaseConflict):
        _program_action(program, "resume_issuance", admin_user, {"reason": "Again"})
    # One event row per action; the first says the lowering terminated issuance.
    assert list(
        ProgramEvent.objects.filter(program=program).order_by("id").values_list("kind", "terminated")
    ) == [("budget_changed", True), ("budget_changed", True), ("resumed", False)]


def test_the_admin_form_never_writes_committed(admin_client, program):
    # given a stale form read: committed was 1.5 M when the page opened, then an approval commits more
    url = reverse("admin:certificates_certificateprogram_change", args=[program.pk])
    page = admin_client.get(url)
    assert "committed" not in page.context["adminform"].form.fields
    CertificateProgram.objects.filter(pk=program.pk).update(committed="3000000.00")

    # when the administrator saves a new decision text and budget
    response = admin_client.post(
        url,
        {
            "decision": "Decision 12",
            "budget": "6000000.00",
            "budget_reason": "Decision 12",
            "amount_kind": "fixed",
            "amount_value": "1500000.00",
            "amount_cap": "",
            "categories_0": [],
            "categories_1": "",
            "mortgage_programs_0": [],
            "mortgage_programs_1": "",
            "announcement-TOTAL_FORMS": "0",
            "announcement-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )

    # then committed keeps the approval's sum, the budget changed through the service
    assert response.status_code == 302, response.context["adminform"].form.errors
    program.refresh_from_db()
    assert (program.committed, program.budget, program.decision) == (3000000, 6000000, "Decision 12")
    assert ProgramEvent.objects.filter(program=program, kind="budget_changed").count() == 1
    # and the decision text (a term) through the runner too, with its own event row
    assert ProgramEvent.objects.filter(program=program, kind="terms_changed").count() == 1


def test_the_api_changes_the_budget_through_the_service(api, admin_user, program):
    response = api.as_user(admin_user).patch(
        f"/api/v1/certificate-programs/{program.pk}/", {"budget": "5000000.00"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert ProgramEvent.objects.filter(program=program, kind="budget_changed").count() == 1


# -- national size --------------------------------------------------------------------------
COUNT = re.compile(r"COUNT\(\*\)", re.IGNORECASE)


def _complaints(n):
    """``n`` more complaints, cloned from the last one in one INSERT."""
    last = Complaint.objects.order_by("-pk").first()
    start = Complaint.objects.count()
    rows = []
    fields = _fields(last)
    for i in range(n):
        rows.append(Complaint(**{**fields, "number": f"{last.number}-{start + i}"}))
    Complaint.objects.bulk_create(rows)


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}


def test_the_case_changelist_costs_the_same_at_any_size_and_never_counts(
    api,
    admin_client,
    staff,  # noqa: F811
    frozen,  # noqa: F811
):
    _create(api, staff["complaints"][0], "complaints", "710000000", 1)
    url = reverse("admin:complaints_complaint_changelist")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = admin_client.get(url)
        assert response.status_code == 200
        return response, [q["sql"] for q in ctx.captured_queries]

    # past the exact-count threshold the list reads a bounded probe and the planner's estimate
    _complaints(1100)
    medium_response, medium = queries()
    _complaints(2200)
    large_response, large = queries()

    assert len(large) == len(medium)
    assert medium_response.context["cl"].result_count > 1000
    assert len(large_response.context["cl"].result_list) == 100
    counting = [q for q in medium + large if COUNT.search(q) and "complaints_complaint" in q]
    assert counting == [], counting
    # and a small list does not cost more than a large one
    Complaint.objects.exclude(pk=Complaint.objects.order_by("pk").first().pk).delete()
    _small_response, small = queries()
    assert len(small) <= len(large)


def test_case_search_by_exact_number_first(api, admin_client, staff, frozen):  # noqa: F811
    created = _create(api, staff["complaints"][0], "complaints", "710000000", 1)
    url = reverse("admin:complaints_complaint_changelist")

    with CaptureQueriesContext(connection) as ctx:
        response = admin_client.get(url, {"q": created["number"]})

    assert [c.number for c in response.context["cl"].result_list] == [created["number"]]
    assert not any("LIKE" in q["sql"] and "complaints_complaint" in q["sql"] for q in ctx.captured_queries)
