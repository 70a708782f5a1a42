"""Trajectory.employee_entity: the entity the trajectory's employee works in now, kept by the
database (docs/performance.md, "Pages at full scale").

Access follows the employee's present entity (accounts.access), while a trajectory's own
`entity` is where it happened. Filtering an entity coach's trajectories through the employees
joins every employee of the entity with every open trajectory; this copy on the trajectory lets
a partial index find them directly. It is written by triggers, not by Python, so that no writer
can forget it: the import's bulk updates, the admin, unit_rescope's moves of a whole subtree,
the retention's detachment (which gives trajectories another employee), bench/generate.py's raw
inserts and whatever comes later.

- a trajectory inserted, or its employee changed, or the column itself written (a Django save()
  writes every column, possibly a stale value): the employee's entity is copied onto it;
- an employee's entity changed: copied onto all of the employee's trajectories.

The triggers are installed by the migration and again after every `migrate` (post_migrate,
apps.py): on SQLite a later migration that rebuilds one of the two tables drops its triggers.
The copy is what access.trajectory_scope filters an entity's coach, HR and adviser on, so it
must never be stale: tests/trajectories/test_employee_entity.py moves employees through every
kind of writer on SQLite and PostgreSQL and compares each persona's trajectories with the
employee-based scope. (Filtering on both the copy and the employee's entity was tried: the
planner then multiplies the two selectivities, expects 2 rows instead of 140 and picks nested
loops over whole tables, 40 ms instead of 1.) `stale_count()` says whether all is well.
"""

from __future__ import annotations

POSTGRESQL = """
CREATE OR REPLACE FUNCTION trajectory_employee_entity_copy() RETURNS trigger AS $$
DECLARE
    works_in integer;
BEGIN
    SELECT entity_id INTO works_in FROM organisations_employee WHERE id = NEW.employee_id;
    -- Not found: a restore that inserts trajectories before their employees keeps its value.
    IF FOUND THEN
        NEW.employee_entity_id := works_in;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS trajectory_employee_entity_copy ON trajectories_trajectory;
CREATE TRIGGER trajectory_employee_entity_copy
    BEFORE INSERT OR UPDATE OF employee_id, employee_entity_id ON trajectories_trajectory
    FOR EACH ROW EXECUTE FUNCTION trajectory_employee_entity_copy();

CREATE OR REPLACE FUNCTION employee_entity_to_trajectories() RETURNS trigger AS $$
BEGIN
    UPDATE trajectories_trajectory SET employee_entity_id = NEW.entity_id
        WHERE employee_id = NEW.id AND employee_entity_id IS DISTINCT FROM NEW.entity_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS employee_entity_to_trajectories ON organisations_employee;
CREATE TRIGGER employee_entity_to_trajectories
    AFTER UPDATE OF entity_id ON organisations_employee
    FOR EACH ROW WHEN (OLD.entity_id IS DISTINCT FROM NEW.entity_id)
    EXECUTE FUNCTION employee_entity_to_trajectories();
"""

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS trajectory_employee_entity_copy ON trajectories_trajectory;
DROP FUNCTION IF EXISTS trajectory_employee_entity_copy();
DROP TRIGGER IF EXISTS employee_entity_to_trajectories ON organisations_employee;
DROP FUNCTION IF EXISTS employee_entity_to_trajectories();
"""

# SQLite cannot change NEW in a BEFORE trigger: the AFTER triggers update the row again. A
# trigger does not fire itself again (recursive_triggers is off), and the WHEN clauses stop the
# one trigger that the others' updates reach.
SQLITE = [
    """
    CREATE TRIGGER IF NOT EXISTS trajectory_employee_entity_insert
    AFTER INSERT ON trajectories_trajectory
    BEGIN
        UPDATE trajectories_trajectory
        SET employee_entity_id = COALESCE(
            (SELECT entity_id FROM organisations_employee WHERE id = NEW.employee_id),
            NEW.employee_entity_id
        )
        WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS trajectory_employee_entity_update
    AFTER UPDATE OF employee_id, employee_entity_id ON trajectories_trajectory
    WHEN (SELECT entity_id FROM organisations_employee WHERE id = NEW.employee_id) IS NOT NULL
        AND NEW.employee_entity_id IS NOT
            (SELECT entity_id FROM organisations_employee WHERE id = NEW.employee_id)
    BEGIN
        UPDATE trajectories_trajectory
        SET employee_entity_id =
            (SELECT entity_id FROM organisations_employee WHERE id = NEW.employee_id)
        WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS employee_entity_to_trajectories
    AFTER UPDATE OF entity_id ON organisations_employee
    WHEN OLD.entity_id IS NOT NEW.entity_id
    BEGIN
        UPDATE trajectories_trajectory SET employee_entity_id = NEW.entity_id
        WHERE employee_id = NEW.id;
    END
    """,
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS trajectory_employee_entity_insert",
    "DROP TRIGGER IF EXISTS trajectory_employee_entity_update",
    "DROP TRIGGER IF EXISTS employee_entity_to_trajectories",
]

# Every trajectory's copy from its employee (the migration, and after a trigger was missing).
FILL = """
UPDATE trajectories_trajectory SET employee_entity_id = (
    SELECT e.entity_id FROM organisations_employee e
    WHERE e.id = trajectories_trajectory.employee_id
)
"""
STALE = """
SELECT COUNT(*) FROM trajectories_trajectory t
JOIN organisations_employee e ON e.id = t.employee_id
WHERE t.employee_entity_id IS NULL OR t.employee_entity_id <> e.entity_id
"""


def install(connection) -> None:
    """Create (or replace) the triggers; idempotent."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL)
        elif connection.vendor == "sqlite":
            for statement in SQLITE:
                cursor.execute(statement)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_DROP)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_DROP:
                cursor.execute(statement)


def installed(connection) -> bool:
    """Are the triggers there (all of them)?"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname IN "
                "('trajectory_employee_entity_copy', 'employee_entity_to_trajectories')"
            )
            return cursor.fetchone()[0] == 2
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
                "('trajectory_employee_entity_insert', 'trajectory_employee_entity_update', "
                "'employee_entity_to_trajectories')"
            )
            return cursor.fetchone()[0] == 3
    return False


def stale_count(connection) -> int:
    """Trajectories whose copy differs from their employee's entity (0 when all is well)."""
    with connection.cursor() as cursor:
        cursor.execute(STALE)
        return cursor.fetchone()[0]


def ensure(connection) -> None:
    """After migrate: put back triggers a table rebuild dropped, and refill the copy then."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    tables = set(connection.introspection.table_names())
    if not {"trajectories_trajectory", "organisations_employee"} <= tables:
        return
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), "trajectories_trajectory"
        )
    }
    if "employee_entity_id" not in columns:
        return  # migrating backwards, or not yet this far
    if not installed(connection):
        install(connection)
        with connection.cursor() as cursor:
            cursor.execute(FILL)
