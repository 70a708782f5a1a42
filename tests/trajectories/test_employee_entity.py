"""Trajectory.employee_entity, the database's copy of the entity the employee works in now, and
the access that filters on it (accounts.access.trajectory_scope): every writer keeps the copy,
and every persona sees exactly the trajectories that the employee's own entity gives."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from terugkeer.accounts.access import SYSTEM, employee_scope
from terugkeer.accounts.models import Role
from terugkeer.organisations.models import Employee, Unit
from terugkeer.organisations.services import employee_upsert, unit_rescope
from terugkeer.trajectories import employee_entity, services
from terugkeer.trajectories.models import Trajectory
from terugkeer.trajectories.selectors import caseload, trajectories_visible_to
from tests.factories import EmployeeFactory, UserFactory, grant


def open_trajectory(world, employee):
    services.absence_register(
        actor=SYSTEM, employee=employee, first_day=timezone.localdate() - timedelta(days=60)
    )
    return Trajectory.objects.get(employee=employee, closed_on__isnull=True)


def copy_of(trajectory) -> int | None:
    return Trajectory.objects.values_list("employee_entity_id", flat=True).get(pk=trajectory.pk)


def test_a_new_trajectory_gets_the_entity_its_employee_works_in(world):
    trajectory = open_trajectory(world, world.emp_b)
    assert copy_of(trajectory) == world.entity_b.pk
    assert employee_entity.installed(connection)


def test_moving_an_employee_moves_access_but_not_the_reports_entity(world, client):
    trajectory = open_trajectory(world, world.emp_a)
    employee_upsert(
        organisation=world.vo,
        personnel_number=world.emp_a.personnel_number,
        unit=world.team_b,
        first_name=world.emp_a.first_name,
        last_name=world.emp_a.last_name,
        statute=world.emp_a.statute,
    )
    trajectory.refresh_from_db()
    assert trajectory.entity_id == world.entity_a.pk  # where it happened, for the reports
    assert copy_of(trajectory) == world.entity_b.pk
    assert trajectory not in caseload(world.alice)
    assert trajectory in caseload(world.carl)
    client.force_login(world.alice)
    assert client.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 404
    client.force_login(world.carl)
    page = client.get(reverse("trajectories:caseload")).content.decode()
    assert world.emp_a.last_name in page
    assert client.get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 200


def _move_by_queryset_update(world, employee):
    Employee.objects.filter(pk=employee.pk).update(unit=world.team_b, entity=world.entity_b)


def _move_by_bulk_update(world, employee):
    # As the import does (imports.services._employees_write).
    employee.unit, employee.entity = world.team_b, world.entity_b
    Employee.objects.bulk_update([employee], ["unit_id", "entity_id"])


def _move_by_save(world, employee):
    # As the admin does (EmployeeAdmin.save_model).
    employee.unit, employee.entity = world.team_b, world.entity_b
    employee.save()


def _move_by_unit_rescope(world, employee):
    # The employee's team is moved to the other entity in the admin.
    team = Unit.objects.get(pk=employee.unit_id)
    team.parent = world.entity_b
    team.save()
    unit_rescope(team)


def _move_then_save_a_stale_trajectory(world, employee):
    # A trajectory read before the move and saved after it with every column (Model.save).
    stale = Trajectory.objects.get(employee=employee)
    _move_by_save(world, employee)
    stale.contact_pause = True
    stale.save()


def _give_the_trajectory_to_another_employee(world, employee):
    # As the retention's detachment does: the history moves to an anonymous placeholder.
    placeholder = EmployeeFactory(unit=world.team_b)
    Trajectory.objects.filter(employee=employee).update(employee=placeholder)


@pytest.mark.parametrize(
    "move",
    [
        _move_by_queryset_update,
        _move_by_bulk_update,
        _move_by_save,
        _move_by_unit_rescope,
        _move_then_save_a_stale_trajectory,
        _give_the_trajectory_to_another_employee,
    ],
)
def test_every_writer_keeps_the_copy(world, move):
    trajectory = open_trajectory(world, world.emp_a)
    move(world, Employee.objects.get(pk=world.emp_a.pk))
    trajectory.refresh_from_db()
    assert copy_of(trajectory) == trajectory.employee.entity_id == world.entity_b.pk
    assert employee_entity.stale_count(connection) == 0


def test_rows_inserted_without_the_services_get_the_copy(world):
    # bench/generate.py and the import write trajectories with bulk_create.
    today = timezone.localdate()
    Trajectory.objects.bulk_create(
        [
            Trajectory(
                employee=employee,
                organisation=world.vo,
                entity=world.entity_a,  # deliberately not where they work
                started_on=today,
            )
            for employee in (world.emp_a, world.emp_b)
        ]
    )
    assert employee_entity.stale_count(connection) == 0
    assert set(Trajectory.objects.values_list("employee_entity_id", flat=True)) == {
        world.entity_a.pk,
        world.entity_b.pk,
    }


def test_the_copy_cannot_be_written_from_python(world):
    trajectory = open_trajectory(world, world.emp_a)
    Trajectory.objects.filter(pk=trajectory.pk).update(employee_entity=world.entity_b)
    assert copy_of(trajectory) == world.entity_a.pk


def test_migrate_puts_back_triggers_that_a_table_rebuild_dropped(world):
    trajectory = open_trajectory(world, world.emp_a)
    employee_entity.uninstall(connection)
    assert not employee_entity.installed(connection)
    Employee.objects.filter(pk=world.emp_a.pk).update(unit=world.team_b, entity=world.entity_b)
    assert employee_entity.stale_count(connection) == 1
    employee_entity.ensure(connection)  # what post_migrate runs
    assert employee_entity.installed(connection)
    assert employee_entity.stale_count(connection) == 0
    assert copy_of(trajectory) == world.entity_b.pk


@pytest.fixture
def moved_world(world):
    """Trajectories of employees who stayed, moved between entities, between teams, and to
    another organisation's look-alike; open and closed; plus personas with every kind of
    assignment that trajectory_scope treats on its own."""
    stayed = world.emp_a
    moved_in = EmployeeFactory(unit=world.team_b, last_name="Inkomer")
    moved_out = EmployeeFactory(unit=world.team_a2, last_name="Vertrekker")
    others = [world.emp_b, world.emp_a_other_team, world.emp_stad, moved_in, moved_out, stayed]
    trajectories = [open_trajectory(world, e) for e in others]
    closed = trajectories[0]
    Trajectory.objects.filter(pk=closed.pk).update(closed_on=timezone.localdate())
    _move_by_save(world, moved_out)  # A -> B
    moved_in.unit, moved_in.entity = world.team_a, world.entity_a  # B -> A
    moved_in.save()
    # Personas beyond the conftest's: a physician of entity A (formal trajectories only), a
    # coach of a team, an adviser of the policy domain, a line manager with an entity
    # assignment, HR of entity B and a coach with two assignments.
    for t in Trajectory.objects.filter(employee__in=[moved_in, stayed]):
        Trajectory.objects.filter(pk=t.pk).update(is_formal=True)
    world.physician_a = grant(UserFactory(), Role.PHYSICIAN, world.vo, world.entity_a)
    world.team_coach = grant(UserFactory(), Role.COACH, world.vo, world.team_a)
    world.domain_adviser = grant(UserFactory(), Role.ADVISER, world.vo, world.domain)
    world.entity_manager = grant(UserFactory(), Role.MANAGER, world.vo, world.entity_b)
    world.hr_b = grant(UserFactory(), Role.HR, world.vo, world.entity_b)
    world.two_hats = grant(
        grant(UserFactory(), Role.COACH, world.vo, world.entity_a), Role.MANAGER, world.vo, None
    )
    Employee.objects.filter(pk=world.emp_b.pk).update(manager=world.two_hats)
    return world


PERSONAS = [
    "alice",
    "bob",
    "hannah",
    "adam",
    "dora",
    "sam",
    "rita",
    "bert",
    "carl",
    "zoe",
    "physician_a",
    "team_coach",
    "domain_adviser",
    "entity_manager",
    "hr_b",
    "two_hats",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_trajectory_scope_is_exactly_the_employee_scope(moved_world, persona):
    user = getattr(moved_world, persona)
    by_employee = set(
        Trajectory.objects.filter(employee_scope(user, "employee__")).values_list("pk", flat=True)
    )
    assert set(trajectories_visible_to(user).values_list("pk", flat=True)) == by_employee
    # The caseload with and without the closed ones: the same trajectories as the employee's
    # scope gives, restricted as the list restricts them.
    assert set(caseload(user, include_closed=True).values_list("pk", flat=True)) == by_employee
    open_ones = set(
        Trajectory.objects.filter(pk__in=by_employee, closed_on__isnull=True).values_list(
            "pk", flat=True
        )
    )
    assert set(caseload(user).values_list("pk", flat=True)) == open_ones


def test_the_scopes_are_not_empty_where_they_should_not_be(moved_world):
    """The comparison above would pass with two empty sets: the entity coaches see the
    moved employees where they work now."""
    w = moved_world
    alice_sees = {t.employee.last_name for t in caseload(w.alice)}
    carl_sees = {t.employee.last_name for t in caseload(w.carl)}
    assert "Inkomer" in alice_sees and "Vertrekker" not in alice_sees
    assert "Vertrekker" in carl_sees and "Inkomer" not in carl_sees
    assert {t.employee.last_name for t in caseload(w.physician_a)} == {"Inkomer", "Aerts"}


def test_the_caseload_orders_overdue_due_soon_open_then_the_rest(world):
    ranked = {}
    for status, employee in zip(
        ["open", "", "due_soon", "overdue"],
        [world.emp_a, world.emp_a_other_team, EmployeeFactory(unit=world.team_a), world.emp_b],
        strict=True,
    ):
        trajectory = open_trajectory(world, employee)
        Trajectory.objects.filter(pk=trajectory.pk).update(
            next_status=status, next_due=timezone.localdate()
        )
        ranked[trajectory.pk] = status
    shown = [ranked[t.pk] for t in caseload(world.adam)]
    assert shown == ["overdue", "due_soon", "open", ""]
    assert dict(Trajectory.objects.values_list("next_status", "next_rank")) == {
        "overdue": 0,
        "due_soon": 1,
        "open": 2,
        "": 3,
    }
