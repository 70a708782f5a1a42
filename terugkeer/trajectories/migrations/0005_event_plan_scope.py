"""The trajectory's organisation and entity on every event and plan (for the reports)."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE trajectories_{table} SET
    organisation_id = (SELECT t.organisation_id FROM trajectories_trajectory t
                       WHERE t.id = trajectories_{table}.trajectory_id),
    entity_id = (SELECT t.entity_id FROM trajectories_trajectory t
                 WHERE t.id = trajectories_{table}.trajectory_id)
"""


def _fields(model_name):
    return [
        migrations.AddField(
            model_name=model_name,
            name=name,
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=to,
            ),
        )
        for name, to in (
            ("organisation", "organisations.organisation"),
            ("entity", "organisations.unit"),
        )
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("trajectories", "0004_milestones"),
    ]

    operations = [
        *_fields("event"),
        *_fields("plan"),
        migrations.RunSQL(FILL.format(table="event"), migrations.RunSQL.noop),
        migrations.RunSQL(FILL.format(table="plan"), migrations.RunSQL.noop),
    ]
