"""Benchmark of the HR import: generate an absence file, import it, print rows/s and memory.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--employees 25000] [--tracemalloc]

Runs on a fresh SQLite database in a temporary folder, or on PostgreSQL when DATABASE_URL is
set (e.g. through scripts/with-postgres.sh). The file has four absences per employee on
average, about 1 in 20 long enough to open a trajectory and 1 in 10 adjacent to the previous
one (so merged). The import is run twice: the second run must change nothing.

Wall time is printed next to the process's CPU time: on a shared machine the CPU time is the
steadier figure (on PostgreSQL it leaves out the server's share). The fingerprint is a hash of
every absence, trajectory (with its next obligation and milestones) and event the import left:
the same file on the same day must give the same fingerprint before and after an optimisation.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terugkeer.settings")
    os.environ["TERUGKEER_VAR_DIR"] = str(tmp)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_world(employees: int):
    from terugkeer.organisations.models import Employee, Organisation
    from terugkeer.organisations.services import unit_create

    org = Organisation.objects.create(name=f"Bench {time.time_ns()}", kind="vo")
    entity = unit_create(organisation=org, name="Entiteit", code="E", kind="agency", is_entity=True)
    teams = [
        unit_create(organisation=org, name=f"Team {i}", code=f"T{i}", kind="team", parent=entity)
        for i in range(20)
    ]
    Employee.objects.bulk_create(
        (
            Employee(
                organisation=org,
                personnel_number=f"B{i:07d}",
                first_name="Voornaam",
                last_name=f"Naam{i}",
                unit=teams[i % len(teams)],
                entity=entity,
                statute="statutair" if i % 3 else "contractueel",
            )
            for i in range(employees)
        ),
        batch_size=2000,
    )
    return org


def write_file(path: Path, rows: int, employees: int) -> None:
    rng = random.Random(7)
    per_employee = max(1, rows // employees)
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(["Personeelsnummer", "Eerste dag", "Laatste dag"])
        for i in range(employees):
            day = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 20))
            for _k in range(per_employee):
                if written >= rows:
                    return
                length = rng.randrange(30, 90) if rng.random() < 0.05 else rng.randrange(1, 8)
                end = day + timedelta(days=length - 1)
                out.writerow([f"B{i:07d}", day.strftime("%d/%m/%Y"), end.isoformat()])
                written += 1
                gap = 1 if rng.random() < 0.1 else rng.randrange(10, 60)
                day = end + timedelta(days=gap)


def fingerprint(org) -> str:
    """A hash of what the import wrote for this organisation (ids left out)."""
    from terugkeer.trajectories.models import Absence, Event, Trajectory
    from terugkeer.trajectories.services import MILESTONE_FIELDS, REFRESHED_FIELDS

    digest = hashlib.sha256()
    for row in (
        Absence.objects.filter(entity__organisation=org)
        .order_by("employee__personnel_number", "first_day")
        .values_list(
            "employee__personnel_number",
            "first_day",
            "end_day",
            "expected_end",
            "trajectory__started_on",
        )
    ):
        digest.update(repr(row).encode())
    for row in (
        Trajectory.objects.filter(organisation=org)
        .order_by("employee__personnel_number", "started_on")
        .values_list(
            "employee__personnel_number",
            "started_on",
            "absence_start",
            "kind",
            "lead",
            "relapse_of__started_on",
            *(f for f in REFRESHED_FIELDS if f != "refreshed_on"),
            *MILESTONE_FIELDS,
        )
    ):
        digest.update(repr(row).encode())
    for row in (
        Event.objects.filter(organisation=org)
        .order_by("trajectory__employee__personnel_number", "date", "type")
        .values_list("trajectory__employee__personnel_number", "type", "date")
    ):
        digest.update(repr(row).encode())
    return digest.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--employees", type=int, default=25_000)
    parser.add_argument("--tracemalloc", action="store_true", help="Python peak (slower)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        setup_django(tmp_path)
        from django.db import connection

        from terugkeer.accounts.access import SYSTEM
        from terugkeer.imports.services import import_file
        from terugkeer.trajectories.models import Absence, Trajectory

        org = make_world(args.employees)
        path = tmp_path / "absences.csv"
        write_file(path, args.rows, args.employees)
        size = path.stat().st_size / 1e6
        print(f"database: {connection.vendor}; file: {args.rows} rows, {size:.1f} MB")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        for label, dry in (("dry run", True), ("import", False), ("again", False)):
            if args.tracemalloc:
                tracemalloc.start()
            started = time.perf_counter()
            cpu = time.process_time()
            run = import_file(
                actor=SYSTEM, organisation=org, path=path, file_name=path.name, dry_run=dry
            )
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
            peak = ""
            if args.tracemalloc:
                peak = f", Python peak {tracemalloc.get_traced_memory()[1] / 1e6:.1f} MB"
                tracemalloc.stop()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(
                f"{label:8s} {run.status:9s} {seconds:6.1f} s  {args.rows / seconds:8.0f} rows/s  "
                f"(CPU {cpu:5.1f} s, {args.rows / cpu:6.0f} rows/s)  "
                f"new {run.new} changed {run.changed} unchanged {run.unchanged} "
                f"merged {run.merged} trajectories {run.trajectories} errors {run.error_count}"
                f"  max RSS {rss / 1024:.0f} MB (+{(rss - rss_before) / 1024:.0f}){peak}"
            )
        print(
            f"absences {Absence.objects.filter(entity__organisation=org).count()}, "
            f"trajectories {Trajectory.objects.filter(organisation=org).count()}, "
            f"fingerprint {fingerprint(org)}"
        )


if __name__ == "__main__":
    main()
