"""The daily refresh_trajectories: only the absences that can still get a trajectory are looked
at, the open trajectories are refreshed in batches, and the result is exactly what the old run
(absence_attach for every absence without a trajectory, trajectory_refresh one by one) gave."""

import random
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.db import transaction

from terugkeer.accounts.access import SYSTEM
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Absence, Event, Trajectory
from tests.factories import EmployeeFactory


def old_daily_run(on):
    """The daily run as it was before the candidates and the batches, kept here to compare."""
    for absence in Absence.objects.filter(trajectory__isnull=True).select_related(
        "employee", "employee__organisation"
    ):
        services.absence_attach(absence, actor=SYSTEM, on=on)
    for trajectory in Trajectory.objects.filter(closed_on__isnull=True).select_related(
        "organisation", "employee"
    ):
        services.trajectory_refresh(trajectory, on=on)


def snapshot():
    """Everything the run may change, keyed by natural keys (ids differ between runs)."""

    def key(pk):
        if pk is None:
            return None
        t = Trajectory.objects.get(pk=pk)
        return (t.employee_id, t.started_on, t.kind)

    trajectories = {
        key(t.pk): (
            key(t.relapse_of_id),
            t.absence_start,
            t.closed_on,
            [getattr(t, name) for name in services.REFRESHED_FIELDS],
            [getattr(t, name) for name in services.MILESTONE_FIELDS],
        )
        for t in Trajectory.objects.all()
    }
    links = {a.pk: key(a.trajectory_id) for a in Absence.objects.all()}
    events = sorted(
        (key(e.trajectory_id), e.type, e.date, e.setback_3m, e.setback_6m)
        for e in Event.objects.all()
    )
    return trajectories, links, events


def build_history(world, seed=19):
    """Employees with two years of absences written through the services on the day they
    were known: short and long ones, returns and closures, relapses, open-ended absences that
    cross the threshold only later, and preventive trajectories opened after short absences."""
    rng = random.Random(seed)
    today = services.today()
    teams = [world.team_a, world.team_a2, world.team_b, world.stad_team]
    for n in range(24):
        employee = EmployeeFactory(unit=teams[n % len(teams)])
        day = today - timedelta(days=rng.randrange(600, 730))
        last_end = day
        while day < today - timedelta(days=60):
            long = rng.random() < 0.3
            length = rng.randrange(29, 120) if long else rng.randrange(1, 20)
            end = day + timedelta(days=length - 1)
            if end >= today - timedelta(days=2):
                break
            services.absence_register(
                actor=SYSTEM, employee=employee, first_day=day, end_day=end, on=end
            )
            last_end = end
            trajectory = Trajectory.objects.filter(
                employee=employee, closed_on__isnull=True
            ).first()
            if trajectory and long:
                back = end + timedelta(days=1)
                services.event_record(
                    actor=SYSTEM,
                    trajectory=trajectory,
                    expected_version=None,
                    data=services.EventInput(
                        type="return_to_work", date=back, fields={"return_type": "full"}
                    ),
                    on=back,
                )
                if rng.random() < 0.7 and back + timedelta(days=30) < today:
                    services.event_record(
                        actor=SYSTEM,
                        trajectory=trajectory,
                        expected_version=None,
                        data=services.EventInput(
                            type="closure",
                            date=back + timedelta(days=30),
                            fields={"outcome": "sustainable_return"},
                        ),
                        on=back + timedelta(days=30),
                    )
            day = end + timedelta(days=rng.randrange(10, 150))
        last = rng.random()
        open_trajectory = Trajectory.objects.filter(
            employee=employee, closed_on__isnull=True
        ).exists()
        if last < 0.35:
            # Open-ended, registered while still short: reaches the threshold only later.
            # Never over the days of an earlier absence (absence_register refuses that).
            first = max(today - timedelta(days=rng.randrange(15, 60)), last_end + timedelta(1))
            services.absence_register(
                actor=SYSTEM,
                employee=employee,
                first_day=first,
                on=first + timedelta(days=rng.randrange(0, 10)),
            )
        elif last < 0.5 and not open_trajectory:
            # A preventive trajectory: the daily run links the employee's earlier absences.
            services.trajectory_open(
                actor=SYSTEM,
                employee=employee,
                kind="preventive",
                started_on=today - timedelta(days=10),
                preventive_request_on=today - timedelta(days=10),
                on=today - timedelta(days=10),
                check=False,
            )


def test_daily_run_gives_the_same_result_as_looking_at_every_absence(world):
    build_history(world)
    today = services.today()
    waiting = Absence.objects.filter(trajectory__isnull=True).count()
    with transaction.atomic():
        old_daily_run(today)
        expected = snapshot()
        transaction.set_rollback(True)
    assert snapshot() != expected  # the run has something to do on this data

    out = StringIO()
    call_command("refresh_trajectories", stdout=out)

    assert snapshot() == expected
    assert "trajecten geopend" in out.getvalue()
    first = int(out.getvalue().splitlines()[-1].split()[0])
    assert 0 < first < waiting

    # The next day: the earlier absences of employees with a trajectory are linked now, the
    # short closed ones are history; only the open-ended ones are looked at again.
    out = StringIO()
    call_command("refresh_trajectories", stdout=out)
    again = int(out.getvalue().splitlines()[-1].split()[0])
    assert again == Absence.objects.filter(trajectory__isnull=True, end_day__isnull=True).count()
    assert again < Absence.objects.filter(trajectory__isnull=True).count() / 4


def test_all_looks_at_every_absence_after_a_bulk_load(world):
    """An old long absence written without absence_attach (as bench/generate.py does) is only
    found by --all; the result is then that of the old run."""
    today = services.today()
    Absence.objects.create(
        employee=world.emp_b,
        entity=world.emp_b.entity,
        first_day=today - timedelta(days=400),
        end_day=today - timedelta(days=300),
    )
    call_command("refresh_trajectories", stdout=StringIO())
    assert not Trajectory.objects.filter(employee=world.emp_b).exists()

    with transaction.atomic():
        old_daily_run(today)
        expected = snapshot()
        transaction.set_rollback(True)
    call_command("refresh_trajectories", "--all", stdout=StringIO())
    assert snapshot() == expected
    assert Trajectory.objects.filter(employee=world.emp_b).exists()


def test_trajectories_refresh_equals_one_by_one(world):
    build_history(world, seed=7)
    today = services.today() + timedelta(days=20)  # time passes: statuses move
    ids = list(Trajectory.objects.values_list("pk", flat=True))
    with transaction.atomic():
        for trajectory in Trajectory.objects.select_related("organisation", "employee"):
            services.trajectory_refresh(trajectory, on=today)
        expected = snapshot()
        transaction.set_rollback(True)
    services.trajectories_refresh(ids, on=today)
    assert snapshot() == expected
