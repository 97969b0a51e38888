"""The monthly on-time / late summaries become append-only, as the open-stage counts are.

The triggers of 0003 updated one summary row per (month, provider, service, stage, officer)
and per (month, provider, service): two transactions closing stages (or cases) on the same
row waited for each other until commit, and two that touched two rows in opposite order
could deadlock. Their functions now only append a row of +1 (a stage or case that closes,
or takes a key) or -1 (one reopened, moved or deleted) in ``on_time`` or ``late``; a key's
counts are the sums of its rows, and the SLA sweep folds each key's rows into one
(``housing_aid.sla.services.fold_kept_counts``). The unique constraints the upserts needed
give way to plain indexes on the same columns, which the dashboard's reads and the fold
use. The triggers of 0003 stay (they call these functions by name); the rows stay as they
are (one a key already). PostgreSQL only, like 0003.
"""

import importlib

from django.conf import settings
from django.db import migrations, models

rollups = importlib.import_module("housing_aid.sla.migrations.0003_scale_rollups")

STAGE_KEY = "month, provider_id, service, stage, officer_id"
CASE_KEY = "month, provider_id, service"

STAGE_FUNCTION = """
CREATE OR REPLACE FUNCTION sla_stage_summary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.closed_on IS NOT NULL THEN
    INSERT INTO sla_stagemonthsummary (month, provider_id, service, stage, officer_id, on_time, late)
    VALUES (date_trunc('month', OLD.closed_on)::date, OLD.provider_id, OLD.service, OLD.stage,
            COALESCE(OLD.assignee_id, 0), -(OLD.closed_on <= OLD.due_date)::int, -(OLD.closed_on > OLD.due_date)::int);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.closed_on IS NOT NULL THEN
    INSERT INTO sla_stagemonthsummary (month, provider_id, service, stage, officer_id, on_time, late)
    VALUES (date_trunc('month', NEW.closed_on)::date, NEW.provider_id, NEW.service, NEW.stage,
            COALESCE(NEW.assignee_id, 0), (NEW.closed_on <= NEW.due_date)::int, (NEW.closed_on > NEW.due_date)::int);
  END IF;
  RETURN NULL;
END $$;
"""

CASE_FUNCTION = """
CREATE OR REPLACE FUNCTION sla_case_summary() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  day date;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.closed_at IS NOT NULL AND OLD.due_date IS NOT NULL THEN
    day := (OLD.closed_at AT TIME ZONE '{tz}')::date;
    INSERT INTO sla_casemonthsummary (month, provider_id, service, on_time, late)
    VALUES (date_trunc('month', day)::date, OLD.provider_id, TG_ARGV[0],
            -(day <= OLD.due_date)::int, -(day > OLD.due_date)::int);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.closed_at IS NOT NULL AND NEW.due_date IS NOT NULL THEN
    day := (NEW.closed_at AT TIME ZONE '{tz}')::date;
    INSERT INTO sla_casemonthsummary (month, provider_id, service, on_time, late)
    VALUES (date_trunc('month', day)::date, NEW.provider_id, TG_ARGV[0],
            (day <= NEW.due_date)::int, (day > NEW.due_date)::int);
  END IF;
  RETURN NULL;
END $$;
"""

# The summaries from the history (``bench/national.py`` after its COPY, the triggers off):
# one row a key, no upsert needed.
FILL_STAGE_SUMMARY = f"""
INSERT INTO sla_stagemonthsummary ({STAGE_KEY}, on_time, late)
SELECT date_trunc('month', closed_on)::date, provider_id, service, stage, COALESCE(assignee_id, 0),
       count(*) FILTER (WHERE closed_on <= due_date), count(*) FILTER (WHERE closed_on > due_date)
  FROM housing_aid_casestage WHERE closed_on IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5;
"""

FILL_CASE_SUMMARY = f"""
INSERT INTO sla_casemonthsummary ({CASE_KEY}, on_time, late)
SELECT date_trunc('month', (closed_at AT TIME ZONE '{{tz}}')::date)::date, provider_id, '{{service}}',
       count(*) FILTER (WHERE (closed_at AT TIME ZONE '{{tz}}')::date <= due_date),
       count(*) FILTER (WHERE (closed_at AT TIME ZONE '{{tz}}')::date > due_date)
  FROM {{table}} WHERE closed_at IS NOT NULL AND due_date IS NOT NULL
 GROUP BY 1, 2;
"""

# Back to 0003: each key's rows summed into one, so its unique constraint holds again.
ONE_ROW_A_KEY = """
WITH rows AS (DELETE FROM {table} RETURNING {key}, on_time, late)
INSERT INTO {table} ({key}, on_time, late) SELECT {key}, sum(on_time), sum(late) FROM rows GROUP BY {key};
"""


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(STAGE_FUNCTION)
    schema_editor.execute(CASE_FUNCTION.format(tz=settings.TIME_ZONE))


def upsert_again(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # 0003's function bodies, without its triggers and its fill
    schema_editor.execute(rollups.STAGE_FUNCTION[: rollups.STAGE_FUNCTION.index("CREATE TRIGGER")])
    schema_editor.execute(rollups.CASE_FUNCTION.format(tz=settings.TIME_ZONE))
    schema_editor.execute(ONE_ROW_A_KEY.format(table="sla_stagemonthsummary", key=STAGE_KEY))
    schema_editor.execute(ONE_ROW_A_KEY.format(table="sla_casemonthsummary", key=CASE_KEY))


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0004_open_stage_counts"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="casemonthsummary", name="casemonthsummary_key"),
        migrations.RemoveConstraint(model_name="stagemonthsummary", name="stagemonthsummary_key"),
        migrations.AddIndex(
            model_name="casemonthsummary",
            index=models.Index(fields=["month", "provider", "service"], name="casemonthsummary_by_key"),
        ),
        migrations.AddIndex(
            model_name="stagemonthsummary",
            index=models.Index(
                fields=["month", "provider", "service", "stage", "officer_id"], name="stagemonthsummary_by_key"
            ),
        ),
        # last: reversed first, so the rows are one a key again before the constraints return
        migrations.RunPython(append_only, upsert_again, elidable=False),
    ]
