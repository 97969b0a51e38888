"""Internal case notes are written once (API.md, "Working the cases"): PostgreSQL refuses
UPDATE and DELETE of a note row, so an SQL statement or ``QuerySet.update()`` cannot
rewrite what an officer recorded. The refusing function is the kernel's
(``housing_aid/migrations/0002_sec_append_only``)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            """
            DROP TRIGGER IF EXISTS casework_casenote_append_only ON casework_casenote;
            CREATE TRIGGER casework_casenote_append_only
                BEFORE UPDATE OR DELETE ON casework_casenote
                FOR EACH ROW EXECUTE FUNCTION housing_aid_refuse_change();
            """
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS casework_casenote_append_only ON casework_casenote;")


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_casework_initial"), ("housing_aid", "0002_sec_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
