"""Search by surname scoped by provider: the applicant's surname on the case table.

PostgreSQL triggers keep ``applicant_last_name`` equal to the person's surname (on insert,
on a change of applicant, and when the person's surname changes), and a b-tree on
(provider, upper surname) with pattern operators serves "surname begins with" as a range of
that one index inside each of the user's providers, without reading the national people
table (as applications/0004_s18_scale_applicant_surname, where the choice of index is measured).
PostgreSQL only: on SQLite (``make run``) the search reads the person's surname."""

from django.db import migrations, models

FORWARD = [
    "UPDATE certificates_certificaterequest a SET applicant_last_name = p.last_name "
    "FROM housing_aid_person p WHERE p.id = a.applicant_id AND a.applicant_last_name IS DISTINCT FROM p.last_name",
    """
    CREATE OR REPLACE FUNCTION certificaterequest_applicant_last_name() RETURNS trigger AS $$
    BEGIN
        SELECT last_name INTO NEW.applicant_last_name FROM housing_aid_person WHERE id = NEW.applicant_id;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER certificaterequest_applicant_last_name BEFORE INSERT OR UPDATE OF applicant_id, applicant_last_name "
    "ON certificates_certificaterequest FOR EACH ROW EXECUTE FUNCTION certificaterequest_applicant_last_name()",
    """
    CREATE OR REPLACE FUNCTION person_last_name_to_certificate_requests() RETURNS trigger AS $$
    BEGIN
        UPDATE certificates_certificaterequest SET applicant_last_name = NEW.last_name WHERE applicant_id = NEW.id;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER person_last_name_to_certificate_requests AFTER UPDATE OF last_name ON housing_aid_person "
    "FOR EACH ROW WHEN (OLD.last_name IS DISTINCT FROM NEW.last_name) "
    "EXECUTE FUNCTION person_last_name_to_certificate_requests()",
    "CREATE INDEX IF NOT EXISTS certificaterequest_provider_surname ON certificates_certificaterequest "
    "(provider_id, UPPER(applicant_last_name::text) text_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS certificaterequest_provider_surname",
    "DROP TRIGGER IF EXISTS person_last_name_to_certificate_requests ON housing_aid_person",
    "DROP FUNCTION IF EXISTS person_last_name_to_certificate_requests()",
    "DROP TRIGGER IF EXISTS certificaterequest_applicant_last_name ON certificates_certificaterequest",
    "DROP FUNCTION IF EXISTS certificaterequest_applicant_last_name()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("certificates", "0005_merge_0002_scale_worklist_0004_merge_20261203_0229")]

    operations = [
        migrations.AddField(
            model_name="certificaterequest",
            name="applicant_last_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=100),
        ),
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
