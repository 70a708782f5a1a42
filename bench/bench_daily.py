"""Benchmark of the daily refresh_trajectories on the data of bench/generate.py (issue 19).

    DATABASE_URL=postgresql://... .venv/bin/python bench/bench_daily.py [--day 2026-11-30]
        [--compare-employees 1000] [--profile] [--skip-catch-up] [--running 8000]
        [--crossing 150]

On a COPY of the generated data (the runs write to it; to measure the catch-up again, start
from a fresh copy). Prints:

1. the data: employees, absences, trajectories, open ones, absences without a trajectory;
2. with --compare-employees N (default 1000, 0 to skip): the set-based path against the old
   one (absence_attach for every absence without a trajectory, newest first) on the absences
   of N employees with an open trajectory and N without, each in a transaction that is rolled
   back: the same links, events and trajectory columns, or the differences;
3. the first run after the bulk load (the catch-up: the generator links no short absence),
   on --day, unless --skip-catch-up;
4. --running N open-ended absences of employees on sick leave now (default 8,000: the
   generator writes none) and --crossing M (default 150) that reach the threshold on each of
   the next two days (running_absences_add); VACUUM ANALYZE; then the steady-state run the
   next day (--today day + 1) and the day after, each with wall time, CPU time of this process
   and of the database backend, queries (an executemany counts once) and the wall time spent
   in them (the database's work and the wait for it);
5. with --profile: the day after that again under cProfile, where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terugkeer.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402

from terugkeer.accounts.access import SYSTEM  # noqa: E402
from terugkeer.organisations.models import Employee  # noqa: E402
from terugkeer.trajectories import services  # noqa: E402
from terugkeer.trajectories.models import Absence, Event, Trajectory  # noqa: E402


def backend_cpu() -> float:
    """CPU seconds of this connection's PostgreSQL backend (same machine: /proc)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def measured(label: str, run) -> None:
    """Run and print wall, CPU (this process, the database backend), queries and their time."""
    print(f"\n== {label} (load average {load()})", flush=True)
    queries = {"count": 0, "time": 0.0}

    def counted(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries["count"] += 1
            queries["time"] += time.perf_counter() - started

    wall, cpu, db_cpu = time.perf_counter(), time.process_time(), backend_cpu()
    with connection.execute_wrapper(counted):
        run()
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    db_cpu = backend_cpu() - db_cpu
    print(
        f"-- {label}: wall {wall:.1f} s, CPU {cpu:.1f} s (Python) + {db_cpu:.1f} s (PostgreSQL "
        f"backend), {queries['count']} queries, {queries['time']:.1f} s in them; load {load()}",
        flush=True,
    )


def command(day: date, *extra) -> None:
    call_command("refresh_trajectories", "--today", day.isoformat(), *extra, stdout=sys.stdout)


def counts() -> None:
    open_ = Trajectory.objects.filter(closed_on__isnull=True)
    print(
        f"data: {Employee.objects.count():,} employees, {Absence.objects.count():,} absences "
        f"({Absence.objects.filter(trajectory__isnull=True).count():,} without a trajectory), "
        f"{Trajectory.objects.count():,} trajectories ({open_.count():,} open), "
        f"{Event.objects.count():,} events",
        flush=True,
    )


# --- the comparison -------------------------------------------------------------------------


def sample(n: int, n_others: int) -> tuple[list[int], list[int]]:
    """N employees with an open trajectory and `others` without (with an absence without a
    trajectory, half of them with a closed trajectory: returns, relapses), spread over the
    data."""
    with_open = sorted(
        Trajectory.objects.filter(closed_on__isnull=True).values_list("employee_id", flat=True)
    )
    waiting = set(
        Absence.objects.filter(trajectory__isnull=True).values_list("employee_id", flat=True)
    )
    closed = set(
        Trajectory.objects.filter(closed_on__isnull=False).values_list("employee_id", flat=True)
    )
    others = sorted(waiting - set(with_open))
    after_closed = [e for e in others if e in closed]
    plain = [e for e in others if e not in closed]

    def spread(items, k):
        step = max(1, len(items) // max(k, 1))
        return items[::step][:k]

    half = n_others // 2
    return spread(with_open, n), spread(after_closed, half) + spread(plain, n_others - half)


def snapshot(employees: list[int]):
    def key(pk, cache={}):  # noqa: B006 (a cache for this snapshot's lookups)
        if pk is None:
            return None
        if pk not in cache:
            cache[pk] = Trajectory.objects.values_list("employee_id", "started_on", "kind").get(
                pk=pk
            )
        return cache[pk]

    fields = ("relapse_of_id", "absence_start", "closed_on")
    fields += services.REFRESHED_FIELDS + services.MILESTONE_FIELDS
    trajectories = {}
    for t in Trajectory.objects.filter(employee_id__in=employees):
        values = [getattr(t, f) for f in fields]
        values[0] = key(values[0])
        trajectories[(t.employee_id, t.started_on, t.kind)] = tuple(values)
    links = {
        pk: key(tid)
        for pk, tid in Absence.objects.filter(employee_id__in=employees).values_list(
            "pk", "trajectory_id"
        )
    }
    events = sorted(
        (key(tid), type_, day, s3, s6)
        for tid, type_, day, s3, s6 in Event.objects.filter(
            trajectory__employee_id__in=employees
        ).values_list("trajectory_id", "type", "date", "setback_3m", "setback_6m")
    )
    return trajectories, links, events


def compare(n: int, others: int | None, day: date) -> None:
    with_open, without = sample(n, n if others is None else others)
    employees = with_open + without
    ids = list(
        Absence.objects.filter(trajectory__isnull=True, employee_id__in=employees)
        .order_by("-first_day", "-pk")
        .values_list("pk", flat=True)
    )
    print(
        f"\n== the set-based path against absence_attach one by one: {len(employees)} employees "
        f"({len(with_open)} with an open trajectory), {len(ids)} absences without a trajectory, "
        f"on {day}",
        flush=True,
    )

    def refresh_open():
        services.trajectories_refresh(
            Trajectory.objects.filter(employee_id__in=employees, closed_on__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True),
            on=day,
        )

    def old():
        for i in range(0, len(ids), 500):
            chunk = Absence.objects.filter(pk__in=ids[i : i + 500]).select_related(
                "employee", "employee__organisation"
            )
            by_pk = {a.pk: a for a in chunk}
            for pk in ids[i : i + 500]:
                services.absence_attach(by_pk[pk], actor=SYSTEM, on=day)
        refresh_open()

    found = {"linked": 0, "opened": 0, "relapses": 0, "unchanged": 0, "one_by_one": 0}

    def new():
        counts = {**found, "touched": set()}
        for i in range(0, len(ids), 500):
            services.absences_attach_batch(ids[i : i + 500], on=day, counts=counts, opened_at={})
        refresh_open()
        found.update({k: v for k, v in counts.items() if k != "touched"})

    results = {}
    for label, run in (("old: absence_attach one by one", old), ("new: set-based", new)):
        with transaction.atomic():
            measured(label, run)
            results[label] = snapshot(employees)
            transaction.set_rollback(True)
    print(f"new path's decisions: {found}")
    (t_old, l_old, e_old), (t_new, l_new, e_new) = results.values()
    same = (t_old == t_new, l_old == l_new, e_old == e_new)
    print(
        f"identical: trajectories {same[0]} ({len(t_new)}), absence links {same[1]} "
        f"({sum(1 for v in l_new.values() if v)} linked of {len(l_new)}), events {same[2]} "
        f"({len(e_new)})"
    )
    if not all(same):
        for k in sorted(set(t_old) | set(t_new), key=str):
            if t_old.get(k) != t_new.get(k):
                print(f"  trajectory {k}: old {t_old.get(k)} new {t_new.get(k)}")
        for k in sorted(set(l_old) | set(l_new)):
            if l_old.get(k) != l_new.get(k):
                print(f"  absence {k}: old {l_old.get(k)} new {l_new.get(k)}")
        print(f"  events only old: {sorted(set(e_old) - set(e_new), key=str)[:20]}")
        print(f"  events only new: {sorted(set(e_new) - set(e_old), key=str)[:20]}")


def running_absences_add(day: date, running: int, crossing: int) -> None:
    """What the generator lacks for a realistic day: employees on sick leave now. `running`
    open-ended absences that began in the last 3 weeks (short so far: looked at every day,
    nothing happens), and per day for the next two days `crossing` that reach the 28-day
    threshold on that day (absence_attach opens their trajectories). Written as absence_register
    would for a short one (absence_attach did nothing but the milestones then), on employees
    without an open trajectory or an absence in the last 40 days."""
    rng = random.Random(19)
    busy = set(
        Absence.objects.filter(Q(end_day__isnull=True) | Q(end_day__gte=day - timedelta(40)))
        .values_list("employee_id", flat=True)
        .distinct()
    )
    busy |= set(
        Trajectory.objects.filter(closed_on__isnull=True).values_list("employee_id", flat=True)
    )
    free = [
        e
        for e in Employee.objects.order_by("pk").values_list("pk", "entity_id")
        if e[0] not in busy
    ]
    chosen = rng.sample(free, running + 2 * crossing)
    rows = []
    for n, (employee_id, entity_id) in enumerate(chosen):
        if n < crossing:
            first = day - timedelta(days=26)  # 28 days on day + 1
        elif n < 2 * crossing:
            first = day - timedelta(days=25)  # 28 days on day + 2
        else:
            first = day - timedelta(days=rng.randrange(0, 21))
        rows.append(Absence(employee_id=employee_id, entity_id=entity_id, first_day=first))
    Absence.objects.bulk_create(rows, batch_size=2000)
    print(
        f"\nadded {len(rows):,} open-ended absences without a trajectory: {running:,} short so "
        f"far, {crossing} reaching the threshold on each of the next two days",
        flush=True,
    )


def profile(day: date) -> None:
    print(f"\n== under cProfile: the run of {day} (load average {load()})", flush=True)
    profiler = cProfile.Profile()
    profiler.enable()
    command(day)
    profiler.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(25)
        print(f"-- by {order}:")
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--day", type=date.fromisoformat, default=services.today())
    ap.add_argument("--compare-employees", type=int, default=1000)
    ap.add_argument(
        "--compare-others",
        type=int,
        default=None,
        help="employees without an open trajectory in the comparison (default: as many)",
    )
    ap.add_argument("--compare-only", action="store_true")
    ap.add_argument("--skip-catch-up", action="store_true")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--running", type=int, default=8000)
    ap.add_argument("--crossing", type=int, default=150)
    args = ap.parse_args()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}, CPUs {os.cpu_count()}"
    )
    counts()
    if args.compare_employees:
        compare(args.compare_employees, args.compare_others, args.day)
    if args.compare_only:
        return
    if not args.skip_catch_up:
        measured(
            f"catch-up: the first run after the bulk load, {args.day}", lambda: command(args.day)
        )
        counts()
    if args.running or args.crossing:
        running_absences_add(args.day, args.running, args.crossing)
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"\nVACUUM ANALYZE: {time.perf_counter() - started:.1f} s")
    for offset in (1, 2):
        day = args.day + timedelta(days=offset)
        measured(f"steady state: the run of {day}", lambda day=day: command(day))
    if args.profile:
        profile(args.day + timedelta(days=3))


if __name__ == "__main__":
    main()
