"""Search by surname scoped by provider: the applicant's surname on the case table.

PostgreSQL triggers keep ``applicant_last_name`` equal to the person's surname (on insert,
on a change of applicant, and when the person's surname changes), and a b-tree on
(provider, upper surname) with pattern operators serves "surname begins with" as a range of
that one index inside each of the user's providers, without reading the national people
table. (A GIN on (provider, surname trigrams) was measured at 1M cases: the planner read the
surname's trigrams nationally, 8,000 entries, and joined the provider's 100,000 from another
index, 58 ms; this index reads the ~200 matching entries, 1.5 ms.)
PostgreSQL only: on SQLite (``make run``) the search reads the person's surname."""

from django.db import migrations, models

FORWARD = [
    "UPDATE applications_application a SET applicant_last_name = p.last_name "
    "FROM housing_aid_person p WHERE p.id = a.applicant_id AND a.applicant_last_name IS DISTINCT FROM p.last_name",
    """
    CREATE OR REPLACE FUNCTION application_applicant_last_name() RETURNS trigger AS $$
    BEGIN
        SELECT last_name INTO NEW.applicant_last_name FROM housing_aid_person WHERE id = NEW.applicant_id;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER application_applicant_last_name BEFORE INSERT OR UPDATE OF applicant_id, applicant_last_name "
    "ON applications_application FOR EACH ROW EXECUTE FUNCTION application_applicant_last_name()",
    """
    CREATE OR REPLACE FUNCTION person_last_name_to_applications() RETURNS trigger AS $$
    BEGIN
        UPDATE applications_application SET applicant_last_name = NEW.last_name WHERE applicant_id = NEW.id;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER person_last_name_to_applications AFTER UPDATE OF last_name ON housing_aid_person "
    "FOR EACH ROW WHEN (OLD.last_name IS DISTINCT FROM NEW.last_name) "
    "EXECUTE FUNCTION person_last_name_to_applications()",
    "CREATE INDEX IF NOT EXISTS application_provider_surname ON applications_application "
    "(provider_id, UPPER(applicant_last_name::text) text_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS application_provider_surname",
    "DROP TRIGGER IF EXISTS person_last_name_to_applications ON housing_aid_person",
    "DROP FUNCTION IF EXISTS person_last_name_to_applications()",
    "DROP TRIGGER IF EXISTS application_applicant_last_name ON applications_application",
    "DROP FUNCTION IF EXISTS application_applicant_last_name()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_merge_0002_desk_handout_0002_scale_worklist")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="applicant_last_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=100),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
