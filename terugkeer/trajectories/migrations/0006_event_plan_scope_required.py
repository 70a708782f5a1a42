"""Events and plans: organisation and entity required, indexes for the reports.

Separate from 0005 so that PostgreSQL has committed the filled rows (and their deferred
foreign-key checks) before the columns become NOT NULL.
"""

import django.db.models.deletion
from django.db import migrations, models


def _required(model_name):
    return [
        migrations.AlterField(
            model_name=model_name,
            name=name,
            field=models.ForeignKey(
                editable=False,
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
    dependencies = [("trajectories", "0005_event_plan_scope")]

    operations = [
        *_required("event"),
        *_required("plan"),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                fields=["organisation", "type", "date"],
                include=[
                    "trajectory",
                    "entity",
                    "return_type",
                    "percentage",
                    "decision",
                    "reason",
                    "accepted",
                    "setback_3m",
                    "setback_6m",
                ],
                name="event_org_type_date_covering",
            ),
        ),
        migrations.AddIndex(
            model_name="plan",
            index=models.Index(
                fields=["organisation", "created_at"],
                include=["trajectory", "entity"],
                name="plan_org_created_covering",
            ),
        ),
    ]
