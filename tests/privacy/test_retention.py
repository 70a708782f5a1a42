"""Retention: closed dossiers anonymised, old audit rows purged, report figures unchanged."""

import io
import os
from datetime import date, timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from terugkeer.audit.models import AuditEntry
from terugkeer.imports.models import ImportRun
from terugkeer.organisations.models import Employee
from terugkeer.privacy.retention import audit_purge, trajectories_anonymise
from terugkeer.reports.compute import build_report
from terugkeer.reports.scopes import Scope
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Absence, Event, Trajectory


def open_trajectory(world, days=60, employee=None):
    services.absence_register(
        actor=world.alice,
        employee=employee or world.emp_a,
        first_day=timezone.localdate() - timedelta(days=days),
    )
    return Trajectory.objects.filter(employee=employee or world.emp_a).latest("pk")


def record(world, trajectory, type_, day, note="", **fields):
    trajectory.refresh_from_db()
    services.event_record(
        actor=world.alice,
        trajectory=trajectory,
        expected_version=trajectory.version,
        data=services.EventInput(type=type_, date=day, note=note, fields=fields),
    )


def test_audit_retention_purges_only_old_rows(world):
    old = AuditEntry.objects.create(
        username="oud",
        action="view",
        object_type="employee",
        at=timezone.now() - timedelta(days=11 * 365),
    )
    recent = AuditEntry.objects.create(username="recent", action="view", object_type="employee")
    assert audit_purge() == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=recent.pk).exists()


def _figures(report):
    return [
        (t.key, [(r.label, [str(c) for c in r.current]) for r in t.rows]) for t in report.tables
    ]


def test_anonymisation_removes_names_and_notes_and_keeps_report_figures(world, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "RETENTION_DAYS": 365}
    long_ago = date(2023, 3, 6)
    services.absence_register(
        actor=world.alice,
        employee=world.emp_a,
        first_day=long_ago,
        end_day=long_ago + timedelta(days=70),
        on=long_ago + timedelta(days=71),
    )
    trajectory = Trajectory.objects.get(employee=world.emp_a)
    record(
        world,
        trajectory,
        "contact",
        long_ago + timedelta(days=3),
        note="Kaartje gestuurd",
        channel="card",
        by="manager",
    )
    record(world, trajectory, "return_to_work", long_ago + timedelta(days=71), return_type="full")
    record(
        world, trajectory, "closure", long_ago + timedelta(days=160), outcome="sustainable_return"
    )
    Employee.objects.filter(pk=world.emp_a.pk).update(active=False)
    scope = Scope("organisation", world.vo.pk, world.vo.pk, world.vo.name)
    before = _figures(build_report(scope, 2023))

    result = trajectories_anonymise(actor=world.bert)

    assert result.trajectories == 1 and result.employees == 1
    employee = Employee.objects.get(pk=world.emp_a.pk)
    assert employee.anonymised and "Aerts" not in employee.last_name
    assert employee.first_name == "Geanonimiseerd" and employee.email == ""
    assert not Event.objects.exclude(note="").exists()
    assert _figures(build_report(scope, 2023)) == before
    assert AuditEntry.objects.filter(action="anonymise", employee_id=employee.pk).exists()


def test_recent_trajectories_are_not_anonymised(world):
    trajectory = open_trajectory(world)
    record(
        world,
        trajectory,
        "contact",
        timezone.localdate(),
        note="Gebeld",
        channel="call",
        by="coach",
    )
    assert trajectories_anonymise(actor=world.bert).trajectories == 0
    assert Event.objects.filter(note="Gebeld").exists()


def old_dossier(world, first_day, *, absent_days=70, closed_after=160, note="Kaartje gestuurd"):
    """A long absence with its trajectory: a contact with a note, a return, a closure."""
    services.absence_register(
        actor=world.alice,
        employee=world.emp_a,
        first_day=first_day,
        end_day=first_day + timedelta(days=absent_days),
        on=first_day + timedelta(days=absent_days + 1),
    )
    trajectory = Trajectory.objects.filter(employee=world.emp_a).latest("pk")
    record(
        world,
        trajectory,
        "contact",
        first_day + timedelta(days=3),
        note=note,
        channel="card",
        by="manager",
    )
    back = first_day + timedelta(days=absent_days + 1)
    record(world, trajectory, "return_to_work", back, return_type="full")
    closed = first_day + timedelta(days=closed_after)
    record(world, trajectory, "closure", closed, outcome="sustainable_return")
    trajectory.refresh_from_db()
    return trajectory


def every_report(world, years):
    scope = Scope("organisation", world.vo.pk, world.vo.pk, world.vo.name)
    return {year: _figures(build_report(scope, year)) for year in years}


def test_an_employee_still_employed_loses_the_link_to_old_dossiers_and_reports_stay(
    world, settings
):
    settings.TERUGKEER = {**settings.TERUGKEER, "RETENTION_DAYS": 365}
    old = old_dossier(world, date(2023, 3, 6))
    older_absence = Absence.objects.get(trajectory=old)
    recent = open_trajectory(world, days=60)
    years = range(2022, timezone.localdate().year + 1)
    before = every_report(world, years)
    assert any(
        cell != "0" for _, rows in before[2023] for _, cells in rows for cell in cells
    )  # the old dossier is counted

    result = trajectories_anonymise(actor=world.bert)

    assert result.detached == 1 and result.absences == 1 and result.employees == 0
    person = Employee.objects.get(pk=world.emp_a.pk)
    assert person.active and not person.anonymised and person.last_name == "Aerts"
    assert list(person.trajectories.all()) == [recent]
    assert list(person.absences.values_list("trajectory", flat=True)) == [recent.pk]
    old.refresh_from_db()
    older_absence.refresh_from_db()
    placeholder = old.employee
    assert placeholder.pk != person.pk and older_absence.employee_id == placeholder.pk
    assert placeholder.anonymised and not placeholder.active
    assert placeholder.first_name == "Geanonimiseerd" and placeholder.email == ""
    assert placeholder.personnel_number == f"ANON-{placeholder.pk}"
    assert placeholder.manager is None
    # Events (and so the physician's decisions) follow the trajectory; free text is gone.
    assert Event.objects.filter(trajectory=old).count() >= 3
    assert not Event.objects.filter(trajectory=old).exclude(note="").exists()
    # Nothing written by retention names the person.
    written = AuditEntry.objects.filter(action="anonymise")
    assert written.filter(employee_id=placeholder.pk).exists()
    assert not written.filter(employee_id=person.pk).exists()
    assert not written.filter(object_type="employee", object_id=str(person.pk)).exists()
    assert every_report(world, years) == before
    # A second run finds nothing more to do.
    again = trajectories_anonymise(actor=world.bert)
    assert (again.trajectories, again.detached, again.employees) == (0, 0, 0)


def test_a_report_year_is_never_split_between_the_person_and_a_placeholder(world, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "RETENTION_DAYS": 365}
    cutoff = timezone.localdate() - timedelta(days=365)
    # Two absences of the same report year: the first trajectory is past retention, the
    # second closed after the cutoff. Moving only the first would count the person twice.
    same_year = date(cutoff.year - 1, 2, 1)
    first = old_dossier(world, same_year, absent_days=40, closed_after=60)
    later = same_year + timedelta(days=120)
    second = old_dossier(world, later, absent_days=40, closed_after=(cutoff - later).days + 30)
    assert first.closed_on < cutoff <= second.closed_on
    years = range(same_year.year - 1, timezone.localdate().year + 1)
    before = every_report(world, years)

    result = trajectories_anonymise(actor=world.bert)

    assert result.detached == 0
    assert set(Trajectory.objects.filter(employee=world.emp_a)) == {first, second}
    assert not Event.objects.filter(trajectory=first).exclude(note="").exists()
    assert every_report(world, years) == before


def test_dry_run_lists_what_would_go_and_changes_nothing(world, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "RETENTION_DAYS": 365}
    old = old_dossier(world, date(2023, 3, 6), note="Kaartje gestuurd")
    open_trajectory(world, days=60)
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    listed = out.getvalue()
    assert f"traject {old.pk} " in listed and "vrije tekst gewist" in listed
    assert f"medewerker {world.emp_a.pk} ({world.emp_a.personnel_number})" in listed
    assert f"trajecten {old.pk} en 1 afwezigheden" in listed
    assert "Aerts" not in listed  # ids and personnel numbers, no names
    old.refresh_from_db()
    assert old.employee_id == world.emp_a.pk
    assert Event.objects.filter(trajectory=old, note="Kaartje gestuurd").exists()
    assert not AuditEntry.objects.filter(action="anonymise").exists()

    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "Vrije tekst van 1 trajecten gewist" in out.getvalue()
    assert "1 trajecten en 1 afwezigheden losgemaakt" in out.getvalue()
    old.refresh_from_db()
    assert old.employee_id != world.emp_a.pk


def test_import_files_never_confirmed_are_purged_after_the_set_days(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TERUGKEER = {**settings.TERUGKEER, "IMPORT_UPLOAD_DAYS": 7}

    def preview(days_ago):
        run = ImportRun.objects.create(
            organisation=world.vo,
            username="bert",
            file_name="hr.csv",
            sha256="0" * 64,
            status=ImportRun.Status.PREVIEW,
        )
        run.upload.save("hr.csv", ContentFile(b"personeelsnummer;naam\n1;Aerts\n"))
        ImportRun.objects.filter(pk=run.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
        return run

    stale, fresh = preview(8), preview(2)
    stale_path, fresh_path = Path(stale.upload.path), Path(fresh.upload.path)
    orphan = tmp_path / "imports" / "2020" / "01" / "afgebroken.csv"
    orphan.parent.mkdir(parents=True)
    orphan.write_text("1;Aerts\n")
    long_ago = (timezone.now() - timedelta(days=30)).timestamp()
    os.utime(orphan, (long_ago, long_ago))

    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert f"import {stale.pk} " in out.getvalue() and "afgebroken.csv" in out.getvalue()
    assert stale_path.exists() and orphan.exists()

    call_command("apply_retention", stdout=io.StringIO())
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert not stale_path.exists() and not stale.upload and not orphan.exists()
    assert fresh_path.exists() and fresh.upload
