from datetime import date

import pytest

from terugkeer.accounts.access import SYSTEM
from terugkeer.audit.models import AuditEntry
from terugkeer.imports.models import ImportRun
from terugkeer.imports.services import import_file
from terugkeer.trajectories.models import Absence, Trajectory


def write(tmp_path, text, name="afwezigheden.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(world, path, dry_run=False, actor=SYSTEM):
    return import_file(
        actor=actor, organisation=world.vo, path=path, file_name=path.name, dry_run=dry_run
    )


@pytest.fixture
def file(world, tmp_path):
    a, b = world.emp_a.personnel_number, world.emp_b.personnel_number
    return write(
        tmp_path,
        "Personeelsnummer;Eerste dag;Laatste dag\n"
        f"{a};02/03/2026;06/03/2026\n"
        f"{a};07/03/2026;20/03/2026\n"
        f"{b};2026-01-05;2026-02-27\n",
    )


def test_it_imports_and_merges_adjacent_periods(world, file):
    result = run(world, file)
    assert result.status == ImportRun.Status.IMPORTED, result.errors
    assert (result.new, result.changed, result.merged) == (2, 0, 1)
    absence = Absence.objects.get(employee=world.emp_a)
    assert (absence.first_day, absence.end_day) == (date(2026, 3, 2), date(2026, 3, 20))
    # emp_b's 54 days reach the 4-week mark: a trajectory as with a manual entry.
    trajectory = Trajectory.objects.get(employee=world.emp_b)
    assert Absence.objects.get(employee=world.emp_b).trajectory == trajectory
    assert trajectory.refreshed_on and trajectory.law_version
    assert AuditEntry.objects.filter(action="import", object_id=str(result.pk)).exists()
    assert AuditEntry.objects.filter(object_type="absence", employee_id=world.emp_a.pk).exists()


def test_importing_twice_changes_nothing(world, file):
    run(world, file)
    before = list(Absence.objects.values_list("pk", "first_day", "end_day", "trajectory_id"))
    second = run(world, file)
    assert (second.new, second.changed, second.unchanged) == (0, 0, 2)
    after = list(Absence.objects.values_list("pk", "first_day", "end_day", "trajectory_id"))
    assert before == after
    assert Trajectory.objects.count() == 1


def test_dry_run_writes_nothing(world, file):
    result = run(world, file, dry_run=True)
    assert result.status == ImportRun.Status.PREVIEW
    assert result.new == 2
    assert not Absence.objects.exists()


def test_it_merges_with_stored_absences(world, file, tmp_path):
    run(world, file)
    a = world.emp_a.personnel_number
    later = write(
        tmp_path, f"personnel number,first day,last day\n{a},21/03/2026,27/03/2026\n", "b.csv"
    )
    result = run(world, later)
    assert (result.new, result.changed) == (0, 1)
    absence = Absence.objects.get(employee=world.emp_a)
    assert absence.end_day == date(2026, 3, 27)


def test_a_file_row_with_the_same_first_day_updates_the_stored_absence(world, file, tmp_path):
    run(world, file)
    b = world.emp_b.personnel_number
    fix = write(
        tmp_path, f"personeelsnummer;eerste dag;laatste dag\n{b};05/01/2026;30/01/2026\n", "c.csv"
    )
    result = run(world, fix)
    assert result.changed == 1
    assert Absence.objects.get(employee=world.emp_b).end_day == date(2026, 1, 30)
