"""Retention: closed dossiers anonymised, old audit rows purged, report figures unchanged."""

from datetime import date, timedelta

from django.utils import timezone

from terugkeer.audit.models import AuditEntry
from terugkeer.organisations.models import Employee
from terugkeer.privacy.retention import audit_purge, trajectories_anonymise
from terugkeer.reports.compute import build_report
from terugkeer.reports.scopes import Scope
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Event, Trajectory


def open_trajectory(world, days=60, employee=None):
    services.absence_register(
        actor=world.alice,
        employee=employee or world.emp_a,
        first_day=timezone.localdate() - timedelta(days=days),
    )
    return Trajectory.objects.get(employee=employee or world.emp_a)


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
