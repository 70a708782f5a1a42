"""The caseload at full scale (docs/performance.md, "Pages at full scale"): the employee's present
entity on the trajectory, kept by triggers (trajectories/employee_entity.py), the status order as
a stored column, and partial indexes on the open trajectories in the caseload's order."""

import django.db.models.deletion
from django.db import migrations, models


def triggers_install(apps, schema_editor):
    from terugkeer.trajectories import employee_entity

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(employee_entity.FILL)
    employee_entity.install(schema_editor.connection)


def triggers_uninstall(apps, schema_editor):
    from terugkeer.trajectories import employee_entity

    employee_entity.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_prevention_affiliation"),
        ("trajectories", "0016_alter_event_type"),
    ]

    operations = [
        migrations.AddField(
            model_name="trajectory",
            name="employee_entity",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.unit",
            ),
        ),
        migrations.AddField(
            model_name="trajectory",
            name="next_rank",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(next_status="overdue", then=models.Value(0)),
                    models.When(next_status="due_soon", then=models.Value(1)),
                    models.When(next_status="open", then=models.Value(2)),
                    default=models.Value(3),
                ),
                output_field=models.SmallIntegerField(),
            ),
        ),
        migrations.AddIndex(
            model_name="trajectory",
            index=models.Index(
                condition=models.Q(("closed_on__isnull", True)),
                fields=["organisation", "next_rank", "next_due"],
                name="trajectory_open_org_rank",
            ),
        ),
        migrations.AddIndex(
            model_name="trajectory",
            index=models.Index(
                condition=models.Q(("closed_on__isnull", True)),
                fields=["employee_entity", "next_rank", "next_due"],
                name="trajectory_open_emp_entity",
            ),
        ),
        migrations.AddIndex(
            model_name="trajectory",
            index=models.Index(fields=["employee_entity"], name="trajectory_emp_entity"),
        ),
        # Filled after the indexes exist: an index built on a table just updated in the same
        # transaction would be usable only once every older transaction has ended
        # (pg_index.indcheckxmin), and could not be built with the filled foreign keys' checks
        # still pending.
        migrations.RunPython(triggers_install, triggers_uninstall),
    ]
