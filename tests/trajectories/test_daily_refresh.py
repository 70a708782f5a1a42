"""The daily refresh_trajectories: only the absences that can still get a trajectory are looked
at, the open trajectories are refreshed in batches, and the result is exactly what the old run
(absence_attach for every absence without a trajectory, trajectory_refresh one by one) gave."""

import random
import re
from datetime import date, timedelta
from io import StringIO
from types import SimpleNamespace

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


def looked_at(out) -> int:
    """The number of absences the command's summary says it looked at."""
    return int(re.search(r"(\d+) afwezigheden zonder traject bekeken", out.getvalue())[1])


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
    first = looked_at(out)
    assert 0 < first < waiting

    # The next day: the earlier absences of employees with a trajectory are linked now, the
    # short closed ones are history; only the open-ended ones are looked at again.
    out = StringIO()
    call_command("refresh_trajectories", stdout=out)
    again = looked_at(out)
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


# --- the set-based path: the cases it decides itself ---------------------------------------


def raw_absence(employee, first, end, trajectory=None):
    """An absence written as a bulk load does (bench/generate.py): no absence_attach."""
    return Absence.objects.create(
        employee=employee,
        entity_id=employee.entity_id,
        first_day=first,
        end_day=end,
        trajectory=trajectory,
    )


def raw_trajectory(employee, started, *, absence_end=None, closed_on=None, kind="reactive"):
    trajectory = Trajectory.objects.create(
        employee=employee,
        organisation_id=employee.organisation_id,
        entity_id=employee.entity_id,
        kind=kind,
        started_on=started,
        absence_start=None if kind == "preventive" else started,
        closed_on=closed_on,
    )
    if kind == "preventive":
        Event.objects.create(**placed_in(trajectory), type="preventive_request", date=started)
    else:
        raw_absence(employee, started, absence_end, trajectory)
    if closed_on:
        Event.objects.create(
            **placed_in(trajectory), type="closure", date=closed_on, outcome="sustainable_return"
        )
    return trajectory


def returned(trajectory, day):
    Event.objects.create(
        **placed_in(trajectory), type="return_to_work", date=day, return_type="full"
    )


def build_edges(world, *, closed_history: bool):
    """Employees whose absences the set-based path links or leaves alone, with the relapse
    window's edges, in two organisations with different policies (the city: threshold 21 days,
    relapse window 120 days; the Flemish government: the defaults, 28 and 91). With
    closed_history, also absences of employees without an open trajectory that only --all
    looks at (short ones after a closed trajectory's return: a relapse that opens a trajectory,
    one after the window that does nothing)."""
    from terugkeer.toolbox.models import Handelingskader

    Handelingskader.objects.create(
        organisation=world.stad,
        number=1,
        effective_from=date(2020, 1, 1),
        terms={"trajectory_threshold_days": 21, "relapse_window_days": 120},
    )
    t = services.today()
    d = lambda days: t - timedelta(days=days)  # noqa: E731
    edges = SimpleNamespace()

    # An open trajectory with a return: short absences before its start, on the return day,
    # on the last day of the window (91) and the day after, later, and one still running.
    edges.returned = EmployeeFactory(unit=world.team_a)
    trajectory = raw_trajectory(edges.returned, d(200), absence_end=d(150))
    returned(trajectory, d(149))
    for first, end in (
        (d(400), d(395)),
        (d(300), d(298)),
        (d(149), d(147)),
        (d(58), d(58)),
        (d(57), d(57)),
        (d(10), d(5)),
        (d(3), None),
    ):
        raw_absence(edges.returned, first, end)

    # The same in the city: its window is 120 days.
    edges.city = EmployeeFactory(unit=world.stad_team)
    trajectory = raw_trajectory(edges.city, d(300), absence_end=d(250))
    returned(trajectory, d(249))
    for first in (d(249 - 100), d(249 - 120), d(249 - 121)):
        raw_absence(edges.city, first, first + timedelta(days=2))

    # A preventive trajectory has no absence start: the newest absence gives it one.
    edges.preventive = EmployeeFactory(unit=world.team_a2)
    raw_trajectory(edges.preventive, d(30), kind="preventive")
    for first, end in ((d(100), d(98)), (d(20), d(19)), (d(60), d(58))):
        raw_absence(edges.preventive, first, end)

    # The last return belongs to an earlier, closed trajectory: no relapse in the open one.
    edges.earlier = EmployeeFactory(unit=world.team_b)
    closed = raw_trajectory(edges.earlier, d(500), absence_end=d(401), closed_on=d(300))
    returned(closed, d(400))
    raw_trajectory(edges.earlier, d(250), absence_end=d(200))
    for first in (d(380), d(100)):
        raw_absence(edges.earlier, first, first + timedelta(days=1))

    # An absence of 25 days that ended 6 days ago opens a trajectory in the city (21 days);
    # the employee's older short absence is linked to it afterwards.
    edges.threshold = EmployeeFactory(unit=world.stad_team)
    raw_absence(edges.threshold, d(200), d(199))
    raw_absence(edges.threshold, d(30), d(6))

    # Open-ended: one past the threshold opens a trajectory, a short one does nothing yet.
    edges.running = EmployeeFactory(unit=world.team_a)
    raw_absence(edges.running, d(300), d(297))
    raw_absence(edges.running, d(40), None)
    edges.short = EmployeeFactory(unit=world.team_a)
    raw_absence(edges.short, d(10), None)

    if closed_history:
        # A closed trajectory's employee: the newest absence is after the window (nothing),
        # the one before within it (a relapse: absence_attach opens a trajectory), the oldest
        # before the return (linked to the relapse trajectory).
        edges.relapse = EmployeeFactory(unit=world.team_a2)
        closed = raw_trajectory(edges.relapse, d(350), absence_end=d(301), closed_on=d(200))
        returned(closed, d(300))
        for first in (d(300 - 95), d(300 - 60), d(320)):
            raw_absence(edges.relapse, first, first + timedelta(days=2))
    return edges


def relapse_days(employee):
    return sorted(
        Event.objects.filter(trajectory__employee=employee, type="relapse").values_list(
            "date", flat=True
        )
    )


def test_the_set_based_path_links_like_absence_attach(world):
    """Employees with an open trajectory and short absences before and after its start,
    relapse edges in two policies, a preventive trajectory, a return of a closed trajectory,
    trajectories opened by the run: the command gives what absence_attach one by one gave."""
    edges = build_edges(world, closed_history=False)
    today = services.today()
    with transaction.atomic():
        old_daily_run(today)
        expected = snapshot()
        transaction.set_rollback(True)

    out = StringIO()
    call_command("refresh_trajectories", stdout=out)
    assert snapshot() == expected

    d = lambda days: today - timedelta(days=days)  # noqa: E731
    assert relapse_days(edges.returned) == [d(149), d(58)]  # the return day and day 91
    assert relapse_days(edges.city) == [d(149), d(129)]  # day 100 and day 120
    assert relapse_days(edges.earlier) == []
    assert Trajectory.objects.get(employee=edges.preventive).absence_start == d(20)
    for employee in (edges.returned, edges.city, edges.preventive, edges.threshold):
        assert not Absence.objects.filter(employee=employee, trajectory__isnull=True).exists()
    assert Trajectory.objects.get(employee=edges.threshold).started_on == d(30)
    assert Trajectory.objects.get(employee=edges.running).absence_start == d(40)
    assert not Trajectory.objects.filter(employee=edges.short).exists()
    assert "2 trajecten geopend" in out.getvalue()
    assert "4 als herval" in out.getvalue()


def test_all_with_the_set_based_path_equals_the_old_run(world):
    """--all over the same cases and a closed trajectory's employee whose short absence within
    the window opens a relapse trajectory (through absence_attach) and whose older absence is
    then linked to it in the same batch."""
    edges = build_edges(world, closed_history=True)
    today = services.today()
    with transaction.atomic():
        old_daily_run(today)
        expected = snapshot()
        transaction.set_rollback(True)

    call_command("refresh_trajectories", "--all", stdout=StringIO())
    assert snapshot() == expected
    relapse = Trajectory.objects.get(employee=edges.relapse, closed_on__isnull=True)
    assert relapse.relapse_of is not None
    assert relapse.started_on == today - timedelta(days=240)
    assert relapse.absences.count() == 2  # its own and the older one
    assert Absence.objects.filter(employee=edges.relapse, trajectory__isnull=True).count() == 1


def test_the_next_day_with_the_today_option(world):
    """--today runs as on another day: the next day looks only at the running absences, and
    the short one that reaches the threshold by then opens its trajectory."""
    edges = build_edges(world, closed_history=False)
    call_command("refresh_trajectories", stdout=StringIO())
    later = services.today() + timedelta(days=20)
    out = StringIO()
    call_command("refresh_trajectories", "--today", later.isoformat(), stdout=out)
    assert looked_at(out) == 1  # the short open-ended absence, now 31 days
    trajectory = Trajectory.objects.get(employee=edges.short)
    assert trajectory.refreshed_on == later
    assert f"op {later:%d/%m/%Y}" in out.getvalue()


def test_linking_costs_the_same_queries_for_more_absences(world):
    """The set-based path reads and writes per batch, not per absence."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def attach_queries(employees, absences_each):
        t = services.today()
        for _n in range(employees):
            employee = EmployeeFactory(unit=world.team_a)
            trajectory = raw_trajectory(
                employee, t - timedelta(days=300), absence_end=t - timedelta(days=250)
            )
            returned(trajectory, t - timedelta(days=249))
            for k in range(absences_each):
                raw_absence(
                    employee, t - timedelta(days=240 - 10 * k), t - timedelta(days=239 - 10 * k)
                )
        with CaptureQueriesContext(connection) as queries:
            counts = services.waiting_absences_attach(on=t, refresh=False)
        assert counts["linked"] == employees * absences_each
        assert counts["relapses"] > 0
        # SQLite takes at most 999 variables a statement: many relapses are several INSERTs.
        return [q for q in queries.captured_queries if "INSERT" not in q["sql"]]

    with transaction.atomic():
        few = attach_queries(2, 2)
        transaction.set_rollback(True)
    many = attach_queries(20, 8)
    assert len(many) == len(few)
    assert "160 times: UPDATE" in many[-2]["sql"]  # the links: one statement, many rows
