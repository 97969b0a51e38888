"""Append-only in the database (issue 10): PostgreSQL refuses UPDATE and DELETE of case
events, DELETE of issued documents and any UPDATE that changes an issued document's content
once its PDF is there. Filling an empty PDF/sha256 (render after insert) and recording the
hand-out still pass. SQLite (development) keeps the model-level guard only."""

from django.db import migrations

EVENT_SQL = """
CREATE OR REPLACE FUNCTION housing_aid_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS housing_aid_caseevent_append_only ON housing_aid_caseevent;
CREATE TRIGGER housing_aid_caseevent_append_only
    BEFORE UPDATE OR DELETE ON housing_aid_caseevent
    FOR EACH ROW EXECUTE FUNCTION housing_aid_refuse_change();

CREATE OR REPLACE FUNCTION housing_aid_issueddocument_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'an issued document is never deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.sha256 <> '' AND (
        NEW.pdf IS DISTINCT FROM OLD.pdf
        OR NEW.sha256 IS DISTINCT FROM OLD.sha256
        OR NEW.size IS DISTINCT FROM OLD.size
        OR NEW.number IS DISTINCT FROM OLD.number
        OR NEW.kind IS DISTINCT FROM OLD.kind
        OR NEW.content_type_id IS DISTINCT FROM OLD.content_type_id
        OR NEW.object_id IS DISTINCT FROM OLD.object_id
        OR NEW.provider_id IS DISTINCT FROM OLD.provider_id
        OR NEW.case_number IS DISTINCT FROM OLD.case_number
        OR NEW.language IS DISTINCT FROM OLD.language
        OR NEW.issued_at IS DISTINCT FROM OLD.issued_at
        OR NEW.verification_token IS DISTINCT FROM OLD.verification_token
    ) THEN
        RAISE EXCEPTION 'issued document % never changes', OLD.number
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS housing_aid_issueddocument_append_only ON housing_aid_issueddocument;
CREATE TRIGGER housing_aid_issueddocument_append_only
    BEFORE UPDATE OR DELETE ON housing_aid_issueddocument
    FOR EACH ROW EXECUTE FUNCTION housing_aid_issueddocument_guard();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS housing_aid_caseevent_append_only ON housing_aid_caseevent;
DROP TRIGGER IF EXISTS housing_aid_issueddocument_append_only ON housing_aid_issueddocument;
DROP FUNCTION IF EXISTS housing_aid_issueddocument_guard();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no parameters: '%' is plpgsql's
            cursor.execute(EVENT_SQL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(REVERSE_SQL)


class Migration(migrations.Migration):
    dependencies = [("housing_aid", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
