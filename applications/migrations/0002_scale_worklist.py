"""Worklists that cost the open caseload, and search through indexes.

A partial index of the open cases by provider, due date and id serves the worklist's order,
its keyset (a row comparison), and the overdue / due soon filters (date ranges); one without
the provider serves users of every provider; open cases without a due date (read after
the dated ones, by id) have their own small index. Trigram indexes serve a part of a case number.
PostgreSQL only (SQLite, for ``make run``, needs none)."""

from django.db import migrations

OPEN = "status IN ('registered', 'under_review', 'return_drafted', 'under_verification', 'decision_drafted')"
FORWARD = [
    "CREATE INDEX IF NOT EXISTS application_open_provider_due ON applications_application (provider_id, stage_due_date, id) WHERE " + OPEN,
    "CREATE INDEX IF NOT EXISTS application_open_undated ON applications_application (provider_id, id) "
    "WHERE stage_due_date IS NULL AND " + OPEN,
    "CREATE INDEX IF NOT EXISTS application_open_due ON applications_application (stage_due_date, id) WHERE " + OPEN,
    "CREATE INDEX IF NOT EXISTS application_number_trgm ON applications_application USING gin (UPPER(number::text) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS application_open_provider_due",
    "DROP INDEX IF EXISTS application_open_undated",
    "DROP INDEX IF EXISTS application_open_due",
    "DROP INDEX IF EXISTS application_number_trgm",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial"), ("housing_aid", "0002_scale_search")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
