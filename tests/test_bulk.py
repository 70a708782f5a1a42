"""terugkeer/bulk.py writes what Django's bulk_create/bulk_update write: dates, empty dates,
foreign keys, JSON and defaults, read back through the ORM (SQLite and PostgreSQL)."""

from datetime import date

from terugkeer.audit.models import AuditEntry
from terugkeer.bulk import bulk_insert_rows, bulk_update_rows
from terugkeer.trajectories.models import Absence


def test_insert_sets_primary_keys_and_stores_every_value(world):
    absences = [
        Absence(
            employee=world.emp_a,
            entity_id=world.emp_a.entity_id,
            first_day=date(2026, 1, 5),
            end_day=None,
            expected_end=date(2026, 2, 1),
        ),
        Absence(
            employee=world.emp_b,
            entity_id=world.emp_b.entity_id,
            first_day=date(2026, 3, 2),
            end_day=date(2026, 3, 6),
        ),
    ]
    bulk_insert_rows(Absence, absences)
    assert all(a.pk for a in absences) and absences[0].pk != absences[1].pk
    stored = {a.pk: a for a in Absence.objects.all()}
    assert stored[absences[0].pk].employee == world.emp_a
    assert stored[absences[0].pk].end_day is None
    assert stored[absences[0].pk].expected_end == date(2026, 2, 1)
    assert stored[absences[1].pk].end_day == date(2026, 3, 6)
    assert stored[absences[1].pk].expected_end is None

    entry = AuditEntry(
        username="import", action="import", object_type="absence", changes={"created": [[1, "x"]]}
    )
    bulk_insert_rows(AuditEntry, [entry])
    stored_entry = AuditEntry.objects.get(pk=entry.pk)
    assert stored_entry.changes == {"created": [[1, "x"]]} and stored_entry.at is not None


def test_update_writes_the_given_columns_only(world):
    first = Absence.objects.create(
        employee=world.emp_a, entity_id=world.emp_a.entity_id, first_day=date(2026, 1, 5)
    )
    second = Absence.objects.create(
        employee=world.emp_b,
        entity_id=world.emp_b.entity_id,
        first_day=date(2026, 2, 2),
        end_day=date(2026, 2, 3),
    )
    first.end_day = date(2026, 1, 9)
    second.end_day = None
    second.first_day = date(2020, 1, 1)  # not among the columns written
    assert bulk_update_rows(Absence, [first, second], ["end_day"]) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.end_day == date(2026, 1, 9)
    assert second.end_day is None and second.first_day == date(2026, 2, 2)
