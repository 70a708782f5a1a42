"""Search by name on an index (docs/performance.md, "Pages at full scale"), PostgreSQL only.

The caseload and the employee list search with `icontains` on the last and first name and
`iexact` on the personnel number, which Django writes as UPPER(column::text) LIKE / =. Trigram
GIN indexes on those expressions (pg_trgm, a trusted extension: the database owner may create
it) and a B-tree on the personnel number turn the search of 250,000 employees into index scans.
SQLite (small installations, the tests) searches without them."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "employee_last_name_trgm": (
        "CREATE INDEX IF NOT EXISTS employee_last_name_trgm ON organisations_employee "
        "USING gin ((UPPER(last_name::text)) gin_trgm_ops)"
    ),
    "employee_first_name_trgm": (
        "CREATE INDEX IF NOT EXISTS employee_first_name_trgm ON organisations_employee "
        "USING gin ((UPPER(first_name::text)) gin_trgm_ops)"
    ),
    "employee_number_upper": (
        "CREATE INDEX IF NOT EXISTS employee_number_upper ON organisations_employee "
        "((UPPER(personnel_number::text)))"
    ),
}


def indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in INDEXES.values():
            schema_editor.execute(sql)


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("organisations", "0003_prevention_affiliation")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(indexes_create, indexes_drop),
    ]
