"""Repayments are corrected by a reversing entry, never edited or deleted (API.md, loans):
PostgreSQL refuses UPDATE and DELETE of a repayment row."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            """
            DROP TRIGGER IF EXISTS certificates_repayment_append_only ON certificates_repayment;
            CREATE TRIGGER certificates_repayment_append_only
                BEFORE UPDATE OR DELETE ON certificates_repayment
                FOR EACH ROW EXECUTE FUNCTION housing_aid_refuse_change();
            """
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS certificates_repayment_append_only ON certificates_repayment;")


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial"), ("housing_aid", "0002_sec_append_only")]

    operations = [migrations.RunPython(forwards, backwards)]
