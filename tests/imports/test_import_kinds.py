"""Units and employees, the encodings and xlsx, and trajectories as with a manual entry."""

from datetime import date

import pytest
from openpyxl import Workbook

from terugkeer.accounts.access import SYSTEM
from terugkeer.imports.models import ImportRun
from terugkeer.imports.services import import_file
from terugkeer.organisations.models import Employee, Unit
from terugkeer.trajectories.models import Absence, Event, Trajectory
from terugkeer.trajectories.services import EventInput, absence_register, event_record


def run(world, path, actor=SYSTEM, dry_run=False):
    return import_file(
        actor=actor, organisation=world.vo, path=path, file_name=path.name, dry_run=dry_run
    )


def test_units_are_created_parents_first(world, tmp_path):
    path = tmp_path / "eenheden.csv"
    path.write_text(
        "Code;Naam;Soort;Bovenliggende eenheid;Entiteit\n"
        "A1X;Team A1X;team;A3;nee\n"
        "A3;Dienst A3;dienst;A;nee\n"
        "C;Agentschap C;agentschap;BD;ja\n",
        encoding="utf-8",
    )
    result = run(world, path)
    assert result.status == ImportRun.Status.IMPORTED, result.errors
    assert result.new == 3
    team = Unit.objects.get(organisation=world.vo, code="A1X")
    assert team.parent.code == "A3" and team.entity == world.entity_a
    assert Unit.objects.get(code="C").entity.code == "C"
    again = run(world, path)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 3)


def test_employees_upsert_by_personnel_number(world, tmp_path):
    path = tmp_path / "medewerkers.csv"
    path.write_text(
        "Personeelsnummer,Voornaam,Achternaam,E-mail,Eenheid,Leidinggevende,Statuut,Arbeidsregime\n"
        f"{world.emp_a.personnel_number},Anna,Aerts,anna@example.org,A2,bob,contractueel,80\n"
        "N100,Jan,Peeters,,A1,,statutair,100\n",
        encoding="utf-8",
    )
    preview = run(world, path, dry_run=True)
    assert (preview.new, preview.changed) == (1, 1)
    assert not Employee.objects.filter(personnel_number="N100").exists()
    result = run(world, path)
    assert result.status == ImportRun.Status.IMPORTED, result.errors
    emp = Employee.objects.get(pk=world.emp_a.pk)
    assert (emp.first_name, emp.unit, emp.entity, emp.statute, emp.work_regime) == (
        "Anna",
        world.team_a2,
        world.entity_a,
        "contractueel",
        80,
    )
    assert emp.manager == world.bob
    new = Employee.objects.get(organisation=world.vo, personnel_number="N100")
    assert new.entity == world.entity_a and new.manager is None
    assert run(world, path).unchanged == 2


def test_hr_of_an_entity_imports_its_own_employees(world, tmp_path):
    path = tmp_path / "medewerkers.csv"
    path.write_text(
        "Personeelsnummer;Voornaam;Achternaam;Eenheid;Statuut\nN200;Els;Janssens;A1;statutair\n",
        encoding="utf-8",
    )
    result = run(world, path, actor=world.hannah)
    assert result.status == ImportRun.Status.IMPORTED, result.errors
    units = tmp_path / "eenheden.csv"
    units.write_text("Code;Naam;Soort\nQ;Q;team\n", encoding="utf-8")
    refused = run(world, units, actor=world.hannah)
    assert refused.status == ImportRun.Status.REJECTED
    assert not Unit.objects.filter(code="Q").exists()


def test_windows_1252_and_bom_and_xlsx(world, tmp_path):
    number = world.emp_a.personnel_number
    cp = tmp_path / "cp1252.csv"
    cp.write_bytes(
        "Personeelsnummer;Voornaam;Achternaam;Eenheid;Statuut\n"
        f"{number};Zoë;Desmet-Çelik;A1;statutair\n".encode("cp1252")
    )
    assert run(world, cp).changed == 1
    assert Employee.objects.get(pk=world.emp_a.pk).first_name == "Zoë"
    bom = tmp_path / "bom.csv"
    bom.write_bytes(
        f"\ufeffPersoneelsnummer,Eerste dag,Laatste dag\n{number},02/03/2026,2026-03-04\n".encode()
    )
    assert run(world, bom).new == 1
    book = Workbook()
    sheet = book.active
    sheet.append(["Personnel number", "First day", "Last day", "Expected end"])
    sheet.append([number, date(2026, 4, 6), "10/04/2026", None])
    sheet.append([int("1234"), date(2026, 4, 6), None, None])  # a number cell, unknown
    path = tmp_path / "afwezigheden.xlsx"
    book.save(path)
    rejected = run(world, path)
    assert rejected.status == ImportRun.Status.REJECTED
    assert rejected.errors[0][:3] == [3, "Personnel number", "1234"]
    sheet.delete_rows(3)
    book.save(path)
    assert run(world, path).new == 1
    assert Absence.objects.filter(employee=world.emp_a).count() == 2


ON = date(2026, 6, 1)


def _absences(employee):
    return list(
        Absence.objects.filter(employee=employee)
        .order_by("first_day")
        .values_list("first_day", "end_day", "trajectory__started_on")
    )


def _trajectories(employee):
    return list(
        Trajectory.objects.filter(employee=employee)
        .order_by("started_on")
        .values_list(
            "started_on", "absence_start", "relapse_of__started_on", "lead", "next_code", "phase"
        )
    )


@pytest.mark.parametrize(
    "periods",
    [
        [(date(2026, 1, 5), date(2026, 1, 9)), (date(2026, 2, 2), date(2026, 3, 20))],
        [(date(2026, 1, 5), date(2026, 2, 20)), (date(2026, 3, 2), date(2026, 3, 6))],
        [(date(2026, 1, 5), None)],
        [(date(2026, 3, 2), date(2026, 3, 3))],
    ],
)
def test_the_import_does_what_absence_register_does(world, tmp_path, periods, monkeypatch):
    """Same trajectories, links and next obligations as entering the absences by hand."""
    from terugkeer.trajectories import services

    monkeypatch.setattr(services, "today", lambda: ON)
    Employee.objects.filter(pk=world.emp_b.pk).update(manager=world.bob)  # same lead as emp_a
    world.emp_b.refresh_from_db()
    for first, end in periods:
        absence_register(actor=SYSTEM, employee=world.emp_a, first_day=first, end_day=end, on=ON)
    path = tmp_path / "a.csv"
    number = world.emp_b.personnel_number
    path.write_text(
        "Personeelsnummer;Eerste dag;Laatste dag\n"
        + "".join(
            f"{number};{f:%d/%m/%Y};{e.strftime('%d/%m/%Y') if e else ''}\n" for f, e in periods
        ),
        encoding="utf-8",
    )
    assert run(world, path).status == ImportRun.Status.IMPORTED
    assert _absences(world.emp_b) == _absences(world.emp_a)
    assert _trajectories(world.emp_b) == _trajectories(world.emp_a)


def test_a_relapse_is_linked(world, tmp_path, monkeypatch):
    from terugkeer.trajectories import services

    monkeypatch.setattr(services, "today", lambda: ON)
    Employee.objects.filter(pk=world.emp_b.pk).update(manager=world.bob)  # same lead as emp_a
    world.emp_b.refresh_from_db()
    for employee in (world.emp_a, world.emp_b):
        absence_register(
            actor=SYSTEM,
            employee=employee,
            first_day=date(2026, 1, 5),
            end_day=date(2026, 2, 27),
            on=ON,
        )
        trajectory = Trajectory.objects.get(employee=employee)
        event_record(
            actor=SYSTEM,
            trajectory=trajectory,
            expected_version=None,
            data=EventInput(type="return_to_work", date=date(2026, 3, 2)),
            on=ON,
        )
    absence_register(
        actor=SYSTEM,
        employee=world.emp_a,
        first_day=date(2026, 4, 6),
        end_day=date(2026, 4, 8),
        on=ON,
    )
    path = tmp_path / "herval.csv"
    path.write_text(
        f"Personeelsnummer;Eerste dag;Laatste dag\n{world.emp_b.personnel_number};06/04/2026;"
        "08/04/2026\n",
        encoding="utf-8",
    )
    assert run(world, path).status == ImportRun.Status.IMPORTED
    assert _absences(world.emp_b) == _absences(world.emp_a)
    assert _trajectories(world.emp_b) == _trajectories(world.emp_a)
    relapses = Event.objects.filter(trajectory__employee=world.emp_b, type="relapse")
    assert (
        relapses.count()
        == Event.objects.filter(trajectory__employee=world.emp_a, type="relapse").count()
    )
    assert relapses.exists()
