"""The database cache's table (settings.CACHES): created with the schema, so that every
`migrate` (make demo, the tests, a deployment) has it without a separate createcachetable."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_role_assignment_four_eyes")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
