"""Search that scales: the pg_trgm extension and a trigram index on the people's surnames,
so "surname begins with" reads the index instead of the national people table.

PostgreSQL only: ``make run`` on SQLite has no trigram indexes and needs none."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_last_name_trgm ON housing_aid_person "
    "USING gin (UPPER(last_name::text) gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS person_last_name_trgm"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("housing_aid", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
