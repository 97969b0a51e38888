"""Worklists that cost the open caseload, and search through indexes.

A partial index of the open cases by provider, due date and id serves the worklist's order,
its keyset (a row comparison), and the overdue / due soon filters (date ranges); one without
the provider serves users of every provider; open cases without a due date (read after
the dated ones, by id) have their own small index. Trigram indexes serve a part of a case number and of the complainant's surname.
PostgreSQL only (SQLite, for ``make run``, needs none)."""

from django.db import migrations

OPEN = "status IN ('registered', 'under_review')"
FORWARD = [
    "CREATE INDEX IF NOT EXISTS complaint_open_provider_due ON complaints_complaint (provider_id, due_date, id) WHERE " + OPEN,
    "CREATE INDEX IF NOT EXISTS complaint_open_undated ON complaints_complaint (provider_id, id) "
    "WHERE due_date IS NULL AND " + OPEN,
    "CREATE INDEX IF NOT EXISTS complaint_open_due ON complaints_complaint (due_date, id) WHERE " + OPEN,
    "CREATE INDEX IF NOT EXISTS complaint_number_trgm ON complaints_complaint USING gin (UPPER(number::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS complaint_last_name_trgm ON complaints_complaint "
    "USING gin (UPPER(complainant_last_name::text) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS complaint_open_provider_due",
    "DROP INDEX IF EXISTS complaint_open_undated",
    "DROP INDEX IF EXISTS complaint_open_due",
    "DROP INDEX IF EXISTS complaint_number_trgm",
    "DROP INDEX IF EXISTS complaint_last_name_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial"), ("housing_aid", "0002_scale_search")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
