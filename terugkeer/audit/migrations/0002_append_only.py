"""On PostgreSQL the audit table refuses UPDATE and DELETE: the log is append-only.

The one exception is the retention purge of rows older than the audit retention period."""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    -- Only the retention purge (manage.py apply_retention) may delete, and only rows it
    -- marks by setting terugkeer.audit_purge_before for its own transaction.
    IF TG_OP = 'DELETE'
       AND current_setting('terugkeer.audit_purge_before', true) IS NOT NULL
       AND current_setting('terugkeer.audit_purge_before', true) <> ''
       AND OLD.at < current_setting('terugkeer.audit_purge_before', true)::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_auditentry is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditentry_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_auditentry_no_update_delete ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_auditentry_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # A plain cursor: the SQL holds a literal % that must not be read as a placeholder.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(TRIGGER)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
