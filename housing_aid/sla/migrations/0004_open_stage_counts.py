"""Dashboards' open-work counts from rows the database keeps: open stages per provider,
service, stage, officer and due date, written by a PostgreSQL trigger on the stage table.

The trigger only appends (+1 for a stage that opens or takes a key, -1 for one that
closes, leaves a key or is deleted), so concurrent transitions never wait on a count row
and cannot deadlock on one; the SLA sweep folds each key's rows into one
(``housing_aid.sla.services.fold_kept_counts``). The migration fills the counts from
the open stages once. PostgreSQL only: SQLite (``make run``) has no triggers and the
dashboard counts the stages there.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

KEY = "provider_id, service, stage, assignee_id, due_date"

OPEN_STAGE_FUNCTION = """
CREATE OR REPLACE FUNCTION sla_open_stage_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.closed_at IS NULL THEN
    INSERT INTO sla_openstagecount (provider_id, service, stage, assignee_id, due_date, n)
    VALUES (OLD.provider_id, OLD.service, OLD.stage, OLD.assignee_id, OLD.due_date, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.closed_at IS NULL THEN
    INSERT INTO sla_openstagecount (provider_id, service, stage, assignee_id, due_date, n)
    VALUES (NEW.provider_id, NEW.service, NEW.stage, NEW.assignee_id, NEW.due_date, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER sla_open_stage_count_insert AFTER INSERT ON housing_aid_casestage
  FOR EACH ROW WHEN (NEW.closed_at IS NULL) EXECUTE FUNCTION sla_open_stage_count();
CREATE TRIGGER sla_open_stage_count_delete AFTER DELETE ON housing_aid_casestage
  FOR EACH ROW WHEN (OLD.closed_at IS NULL) EXECUTE FUNCTION sla_open_stage_count();
CREATE TRIGGER sla_open_stage_count_update AFTER UPDATE ON housing_aid_casestage
  FOR EACH ROW WHEN ((OLD.closed_at IS NULL OR NEW.closed_at IS NULL)
                     AND ((OLD.closed_at IS NULL) <> (NEW.closed_at IS NULL)
                          OR OLD.provider_id <> NEW.provider_id OR OLD.service <> NEW.service
                          OR OLD.stage <> NEW.stage OR OLD.due_date <> NEW.due_date
                          OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id))
  EXECUTE FUNCTION sla_open_stage_count();
"""

# The counts from the open stages (the migration, and ``bench/national.py`` after its COPY).
FILL_OPEN_STAGE_COUNTS = f"""
INSERT INTO sla_openstagecount ({KEY}, n)
SELECT {KEY}, count(*) FROM housing_aid_casestage WHERE closed_at IS NULL GROUP BY {KEY};
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(OPEN_STAGE_FUNCTION)  # first: no stage opens or closes unseen in between
    schema_editor.execute(FILL_OPEN_STAGE_COUNTS)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for op in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS sla_open_stage_count_{op} ON housing_aid_casestage")
    schema_editor.execute("DROP FUNCTION IF EXISTS sla_open_stage_count()")


class Migration(migrations.Migration):

    dependencies = [
        ('housing_aid', '0007_scale_open_stages_by_provider'),
        ('sla', '0003_scale_rollups'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='OpenStageCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('service', models.CharField(max_length=32)),
                ('stage', models.CharField(max_length=40)),
                ('due_date', models.DateField()),
                ('n', models.IntegerField()),
                ('assignee', models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('provider', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='housing_aid.serviceprovider')),
            ],
            options={
                'indexes': [models.Index(fields=['provider', 'due_date'], name='openstagecount_provider_due')],
            },
        ),
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
    ]
