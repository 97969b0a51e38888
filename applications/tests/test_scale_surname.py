"""Search by surname scoped by provider: the applicant's surname kept on the case by
triggers, read through the (provider, surname) index, never the national people table."""

from __future__ import annotations

from django.db import connection

from applications.models import Application
from applications.selectors import search
from housing_aid.models import Person

from .conftest import make_iin, package


def test_the_surname_on_the_case_follows_the_person(registered):
    application = registered()
    assert Application.objects.get(pk=application.pk).applicant_last_name == "Әбдірахманова"

    Person.objects.filter(pk=application.applicant_id).update(last_name="Жақсыбекова")

    assert Application.objects.get(pk=application.pk).applicant_last_name == "Жақсыбекова"
    assert list(search(Application.objects.all(), "жақс")) == [application]


def test_surname_search_reads_the_provider_index_not_the_people_table(api, clerk, officer, at_intake_day):
    client = api.as_user(clerk)
    for n in range(3):
        assert (
            client.post("/api/v1/applications/", package(iin=make_iin(n)), format="json").status_code == 201
        )
    qs = search(Application.objects.visible_to(officer).order_by("id"), "Әбді")
    assert qs.count() == 3

    sql = str(qs.query)
    assert "housing_aid_person" not in sql
    assert 'UPPER("applications_application"."applicant_last_name"::text) LIKE' in sql
    with connection.cursor() as cursor:  # the expression the index is built on
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'application_provider_surname'")
        (definition,) = cursor.fetchone()
    assert "(provider_id, upper((applicant_last_name)::text) text_pattern_ops)" in definition
