"""The daily refresh_trajectories: only the absences that can still get a trajectory are looked
at, the open trajectories are refreshed in batches, and the result is exactly what the old run
(absence_attach for every absence without a trajectory, trajectory_refresh one by one) gave."""

import random
from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from terugkeer.accounts.access import SYSTEM
from terugkeer.rules import Facts, evaluate
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Absence, Event, Trajectory, placed_in
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


def test_all_survives_an_absence_before_the_first_law_version(world):
    """An absence of 2022 written without absence_attach (as bench/generate.py does), before
    RIT 2.0 came into force on 1 October 2022: --all opens its trajectory, which gets no law
    version and only the law_not_covered signal, instead of stopping with UnknownLawVersion."""
    Absence.objects.create(
        employee=world.emp_b,
        entity=world.emp_b.entity,
        first_day=date(2022, 8, 1),
        end_day=date(2022, 9, 20),
    )
    out = StringIO()
    call_command("refresh_trajectories", "--all", stdout=out)
    trajectory = Trajectory.objects.get(employee=world.emp_b)
    assert trajectory.started_on == date(2022, 8, 1)
    assert trajectory.law_version == ""
    assert (trajectory.next_code, trajectory.next_due, trajectory.overdue_count) == ("", None, 0)
    codes = [o.code for o in services.obligations_for(trajectory)]
    assert codes == ["law_not_covered"]
    assert "1 trajecten geopend" in out.getvalue()


def facts_as_dict(trajectory):
    """The trajectory's facts as facts_for built them before (dicts and ISO strings through
    Facts.from_dict, with validation), kept here to compare."""
    absences = Absence.objects.filter(employee_id=trajectory.employee_id).order_by("first_day")
    event_dicts = []
    # A repeated return (planned one overtaken, or registered twice) counts once, as in
    # services._without_repeated_returns.
    for event in services._without_repeated_returns(list(trajectory.events.all()), absences):
        item = {"type": event.type, "date": event.date.isoformat()}
        for name in services.EVENT_FIELDS:
            value = getattr(event, name)
            if value not in (None, ""):
                item[name] = value.isoformat() if isinstance(value, date) else value
        event_dicts.append(item)
    wishes = None
    if trajectory.contact_frequency_days or trajectory.contact_pause:
        wishes = {
            "frequency_days": trajectory.contact_frequency_days,
            "pause": trajectory.contact_pause,
        }
    return {
        "absence_start": trajectory.absence_start.isoformat() if trajectory.absence_start else None,
        "absences": [
            {"start": a.first_day.isoformat(), "end": a.end_day.isoformat() if a.end_day else None}
            for a in absences
        ],
        "trajectory_start": trajectory.started_on.isoformat(),
        "kind": trajectory.kind,
        "statute": trajectory.employee.statute,
        "organisation_kind": trajectory.organisation.kind,
        "employer_size": trajectory.organisation.employer_size,
        "contact_wishes": wishes,
        "events": event_dicts,
    }


def test_facts_for_builds_the_same_facts_as_from_dict(world):
    """facts_for builds Facts directly from the rows; the result equals the old path through
    dicts and Facts.from_dict, and so do the obligations."""
    build_history(world, seed=11)
    first = Trajectory.objects.order_by("pk").first()
    Trajectory.objects.filter(pk=first.pk).update(contact_frequency_days=10, contact_pause=False)
    day = first.started_on + timedelta(days=20)
    for type_, fields in (
        ("conversation", {"outcome": "not_yet", "next_date": day + timedelta(days=9)}),
        ("contact", {"channel": "call", "by": "manager"}),
        ("invitation", {"attended": False}),
        ("return_to_work", {"return_type": "progressive", "percentage": 50}),
    ):
        Event.objects.create(**placed_in(first), type=type_, date=day, **fields)
    trajectories = list(Trajectory.objects.select_related("organisation", "employee"))
    assert len(trajectories) > 10
    types = set(Event.objects.values_list("type", flat=True))
    assert {"return_to_work", "relapse", "conversation", "invitation"} <= types
    on = services.today()
    for trajectory in trajectories:
        direct = services.facts_for(trajectory)
        assert direct == Facts.from_dict(facts_as_dict(trajectory))
        assert evaluate(direct, None, on) == evaluate(
            Facts.from_dict(facts_as_dict(trajectory)), None, on
        )


def test_obligations_without_texts_are_the_same_obligations(world):
    """obligations_for(texts=False) (the portal's answer term; lists that show no text) gives
    the same codes, due dates, statuses and done_on as the full evaluation, without texts."""
    build_history(world, seed=12)
    trajectories = list(Trajectory.objects.select_related("organisation", "employee"))
    assert len(trajectories) > 10
    seen = 0
    for trajectory in trajectories:
        for days in (0, 45, 200):
            on = trajectory.started_on + timedelta(days=days)
            full = services.obligations_for(trajectory, on=on)
            fast = services.obligations_for(trajectory, on=on, texts=False)
            assert [(o.code, o.due, o.status, o.done_on, o.signal) for o in fast] == [
                (o.code, o.due, o.status, o.done_on, o.signal) for o in full
            ]
            assert all(o.title == o.why == o.source == "" for o in fast)
            seen += len(full)
    assert seen > 100


def test_a_trajectory_before_rit20_shows_its_signal_on_its_page(world, client):
    """What a coach sees of such a trajectory: its page and the caseload answer, with the signal."""
    Absence.objects.create(
        employee=world.emp_a,
        entity=world.emp_a.entity,
        first_day=date(2022, 8, 1),
        end_day=date(2022, 9, 20),
    )
    call_command("refresh_trajectories", "--all", stdout=StringIO())
    trajectory = Trajectory.objects.get(employee=world.emp_a)
    client.force_login(world.alice)
    response = client.get(reverse("trajectories:detail", args=[trajectory.pk]))
    assert response.status_code == 200
    assert "Geen wettelijke termijnen: traject gestart voor RIT 2.0" in response.content.decode()
    assert client.get(reverse("trajectories:caseload")).status_code == 200
