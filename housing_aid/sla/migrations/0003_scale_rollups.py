"""Dashboards from rollups: on-time / late counts per month kept by PostgreSQL triggers.

A stage or case that closes (or is reopened, or moves) adds (or takes back) its count in a
summary row, inside the same transaction, so the dashboard reads a few hundred rows and
is exact. The migration fills the summaries from the history once. PostgreSQL only:
SQLite (``make run``) has no triggers and the dashboard counts the rows there.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CASE_TABLES = {
    "housing_assistance": "applications_application",
    "housing_certificate": "certificates_certificaterequest",
    "complaint": "complaints_complaint",
}

STAGE_FUNCTION = """
CREATE OR REPLACE FUNCTION sla_stage_summary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.closed_on IS NOT NULL THEN
    UPDATE sla_stagemonthsummary
       SET on_time = on_time - (OLD.closed_on <= OLD.due_date)::int,
           late = late - (OLD.closed_on > OLD.due_date)::int
     WHERE month = date_trunc('month', OLD.closed_on)::date AND provider_id = OLD.provider_id
       AND service = OLD.service AND stage = OLD.stage AND officer_id = COALESCE(OLD.assignee_id, 0);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.closed_on IS NOT NULL THEN
    INSERT INTO sla_stagemonthsummary AS s (month, provider_id, service, stage, officer_id, on_time, late)
    VALUES (date_trunc('month', NEW.closed_on)::date, NEW.provider_id, NEW.service, NEW.stage,
            COALESCE(NEW.assignee_id, 0), (NEW.closed_on <= NEW.due_date)::int, (NEW.closed_on > NEW.due_date)::int)
    ON CONFLICT (month, provider_id, service, stage, officer_id)
    DO UPDATE SET on_time = s.on_time + EXCLUDED.on_time, late = s.late + EXCLUDED.late;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER sla_stage_summary_insert AFTER INSERT ON housing_aid_casestage
  FOR EACH ROW WHEN (NEW.closed_on IS NOT NULL) EXECUTE FUNCTION sla_stage_summary();
CREATE TRIGGER sla_stage_summary_delete AFTER DELETE ON housing_aid_casestage
  FOR EACH ROW WHEN (OLD.closed_on IS NOT NULL) EXECUTE FUNCTION sla_stage_summary();
CREATE TRIGGER sla_stage_summary_update AFTER UPDATE ON housing_aid_casestage
  FOR EACH ROW WHEN (OLD.closed_on IS DISTINCT FROM NEW.closed_on OR OLD.due_date IS DISTINCT FROM NEW.due_date
                     OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id OR OLD.provider_id IS DISTINCT FROM NEW.provider_id
                     OR OLD.stage IS DISTINCT FROM NEW.stage OR OLD.service IS DISTINCT FROM NEW.service)
  EXECUTE FUNCTION sla_stage_summary();
INSERT INTO sla_stagemonthsummary (month, provider_id, service, stage, officer_id, on_time, late)
SELECT date_trunc('month', closed_on)::date, provider_id, service, stage, COALESCE(assignee_id, 0),
       count(*) FILTER (WHERE closed_on <= due_date), count(*) FILTER (WHERE closed_on > due_date)
  FROM housing_aid_casestage WHERE closed_on IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5;
"""

CASE_FUNCTION = """
CREATE OR REPLACE FUNCTION sla_case_summary() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  day date;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.closed_at IS NOT NULL AND OLD.due_date IS NOT NULL THEN
    day := (OLD.closed_at AT TIME ZONE '{tz}')::date;
    UPDATE sla_casemonthsummary
       SET on_time = on_time - (day <= OLD.due_date)::int, late = late - (day > OLD.due_date)::int
     WHERE month = date_trunc('month', day)::date AND provider_id = OLD.provider_id AND service = TG_ARGV[0];
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.closed_at IS NOT NULL AND NEW.due_date IS NOT NULL THEN
    day := (NEW.closed_at AT TIME ZONE '{tz}')::date;
    INSERT INTO sla_casemonthsummary AS s (month, provider_id, service, on_time, late)
    VALUES (date_trunc('month', day)::date, NEW.provider_id, TG_ARGV[0],
            (day <= NEW.due_date)::int, (day > NEW.due_date)::int)
    ON CONFLICT (month, provider_id, service)
    DO UPDATE SET on_time = s.on_time + EXCLUDED.on_time, late = s.late + EXCLUDED.late;
  END IF;
  RETURN NULL;
END $$;
"""

CASE_TRIGGERS = """
CREATE TRIGGER sla_case_summary_insert AFTER INSERT ON {table}
  FOR EACH ROW WHEN (NEW.closed_at IS NOT NULL) EXECUTE FUNCTION sla_case_summary('{service}');
CREATE TRIGGER sla_case_summary_delete AFTER DELETE ON {table}
  FOR EACH ROW WHEN (OLD.closed_at IS NOT NULL) EXECUTE FUNCTION sla_case_summary('{service}');
CREATE TRIGGER sla_case_summary_update AFTER UPDATE ON {table}
  FOR EACH ROW WHEN (OLD.closed_at IS DISTINCT FROM NEW.closed_at OR OLD.due_date IS DISTINCT FROM NEW.due_date
                     OR OLD.provider_id IS DISTINCT FROM NEW.provider_id)
  EXECUTE FUNCTION sla_case_summary('{service}');
INSERT INTO sla_casemonthsummary AS s (month, provider_id, service, on_time, late)
SELECT date_trunc('month', (closed_at AT TIME ZONE '{tz}')::date)::date, provider_id, '{service}',
       count(*) FILTER (WHERE (closed_at AT TIME ZONE '{tz}')::date <= due_date),
       count(*) FILTER (WHERE (closed_at AT TIME ZONE '{tz}')::date > due_date)
  FROM {table} WHERE closed_at IS NOT NULL AND due_date IS NOT NULL
 GROUP BY 1, 2
ON CONFLICT (month, provider_id, service)
DO UPDATE SET on_time = s.on_time + EXCLUDED.on_time, late = s.late + EXCLUDED.late;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    tz = settings.TIME_ZONE
    schema_editor.execute(STAGE_FUNCTION)
    schema_editor.execute(CASE_FUNCTION.format(tz=tz))
    for service, table in CASE_TABLES.items():
        schema_editor.execute(CASE_TRIGGERS.format(table=table, service=service, tz=tz))


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ["housing_aid_casestage", *CASE_TABLES.values()]:
        prefix = "sla_stage_summary" if table == "housing_aid_casestage" else "sla_case_summary"
        for op in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {prefix}_{op} ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS sla_stage_summary()")
    schema_editor.execute("DROP FUNCTION IF EXISTS sla_case_summary()")


class Migration(migrations.Migration):
    dependencies = [
        ("housing_aid", "0001_initial"),
        ("sla", "0002_sweep_schedule"),
        ("applications", "0001_initial"),
        ("certificates", "0001_initial"),
        ("complaints", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseMonthSummary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("service", models.CharField(max_length=32)),
                ("on_time", models.IntegerField(default=0)),
                ("late", models.IntegerField(default=0)),
                (
                    "provider",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="housing_aid.serviceprovider",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "provider", "service"), name="casemonthsummary_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="StageMonthSummary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("service", models.CharField(max_length=32)),
                ("stage", models.CharField(max_length=40)),
                ("officer_id", models.BigIntegerField(default=0)),
                ("on_time", models.IntegerField(default=0)),
                ("late", models.IntegerField(default=0)),
                (
                    "provider",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="housing_aid.serviceprovider",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "provider", "service", "stage", "officer_id"),
                        name="stagemonthsummary_key",
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
