"""Server times of the coach's and the employee's pages on the data of bench/generate.py.

    DATABASE_URL=postgresql://... .venv/bin/python bench/bench_pages.py [--runs 15] [--explain]

Makes (or resets) three accounts in the generated organisation: the coach of the entity with
the most open trajectories of employees working there now (a coach's real caseload), an HR
officer of the whole organisation and an employee with an open trajectory (the portal). Then
requests each page in this process through Django's test client, `runs` times after two warm-up
requests, and prints per page the median wall time, the process's CPU time (the application,
without the database server), the time spent waiting for SQL and the number of queries. With
--explain, also EXPLAIN (ANALYZE, BUFFERS) of every SELECT that took 1 ms or more in one request
of each page (where the time goes; docs/performance.md, "Pages at full scale").

The attention count in the navigation is cached per user for a minute, so it is counted once
(first request) and then served from the cache, as in real use. Every dossier page writes its
audit row, as in real use.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terugkeer.settings")
os.environ.setdefault("TERUGKEER_MFA_REQUIRED", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from terugkeer.accounts.models import Role, RoleAssignment, User  # noqa: E402
from terugkeer.organisations.models import Organisation  # noqa: E402
from terugkeer.trajectories.models import Trajectory  # noqa: E402


def account(username: str, organisation, **fields) -> User:
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={"organisation": organisation, "first_name": "Bench", "last_name": username},
    )
    for name, value in fields.items():
        setattr(user, name, value)
    user.set_unusable_password()
    user.save()
    RoleAssignment.objects.filter(user=user).delete()
    return user


def accounts():
    organisation = Organisation.objects.order_by("pk").first()
    open_trajectories = Trajectory.objects.filter(organisation=organisation, closed_on__isnull=True)
    # Access follows where the employee works now (docs/access.md), so the busiest entity is
    # counted by the employee's entity, not by the trajectory's.
    busiest = (
        open_trajectories.values("employee__entity_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "employee__entity_id")
        .first()
    )
    coach = account("bench-pages-coach", organisation)
    RoleAssignment.objects.create(
        user=coach,
        role=Role.COACH,
        organisation=organisation,
        unit_id=busiest["employee__entity_id"],
    )
    hr = account("bench-pages-hr", organisation)
    RoleAssignment.objects.create(user=hr, role=Role.HR, organisation=organisation)
    linked = User.objects.filter(employee__isnull=False).exclude(username="bench-pages-employee")
    own = (
        open_trajectories.exclude(employee_id__in=linked.values("employee_id"))
        .order_by("pk")
        .first()
    )
    User.objects.filter(username="bench-pages-employee").update(employee=None)
    employee = account("bench-pages-employee", organisation, employee_id=own.employee_id)
    mine = list(
        open_trajectories.filter(employee__entity_id=busiest["employee__entity_id"])
        .order_by("pk")
        .values_list("pk", flat=True)[:10]
    )
    # A fragment of a surname as a coach types it: five characters of the name of the first
    # employee in the coach's list (bench/generate.py's names are Naam + 7 digits, so it finds
    # a few dozen of the 250,000).
    fragment = Trajectory.objects.get(pk=mine[0]).employee.last_name[5:10]
    print(
        f"coach of entity {busiest['employee__entity_id']} with {busiest['n']} open trajectories; "
        f"HR of organisation {organisation.pk} with {open_trajectories.count():,} open; "
        f"{Trajectory.objects.count():,} trajectories in all"
    )
    return coach, hr, employee, mine, fragment


class Recorder:
    """Every query's SQL, parameters and duration (connection.execute_wrapper)."""

    def __init__(self):
        self.queries: list[tuple[str, object, float]] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((sql, params, time.perf_counter() - start))


def request(client: Client, url: str) -> tuple[float, float, float, int, list]:
    recorder = Recorder()
    wall, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(recorder):
        response = client.get(url)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"{url}: status {response.status_code}")
    sql = sum(q[2] for q in recorder.queries)
    return wall * 1000, cpu * 1000, sql * 1000, len(recorder.queries), recorder.queries


def explain(queries) -> None:
    for sql, params, seconds in queries:
        if seconds < 0.001 or not sql.lstrip().upper().startswith("SELECT"):
            continue
        print(f"\n  -- {seconds * 1000:.1f} ms: {sql[:300]}{'…' if len(sql) > 300 else ''}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            for (line,) in cursor.fetchall():
                print("    " + line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    args = parser.parse_args()
    coach, hr, employee, mine, fragment = accounts()
    clients = {}
    for user in (coach, hr, employee):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    search = os.environ.get("BENCH_SEARCH", fragment)
    pages = [
        ("caseload, entity coach", coach, "/trajecten/"),
        ("caseload page 2, entity coach", coach, "/trajecten/?page=2"),
        (f"caseload search '{search}', coach", coach, f"/trajecten/?q={search}"),
        ("caseload, organisation HR", hr, "/trajecten/"),
        ("caseload page 100, HR", hr, "/trajecten/?page=100"),
        (f"caseload search '{search}', HR", hr, f"/trajecten/?q={search}"),
        ("caseload 'te laat', HR", hr, "/trajecten/?status=overdue"),
        ("caseload search 'an', HR", hr, "/trajecten/?q=an"),
        (f"employees search '{search}', HR", hr, f"/medewerkers/?q={search}"),
        ("trajectory page, coach", coach, None),
        ("portal", employee, "/mijn-traject/"),
    ]
    if args.only:
        pages = [p for p in pages if args.only in p[0]]
    head = f"{'page':<34}{'wall ms':>9}{'CPU ms':>9}{'SQL ms':>9}{'queries':>9}"
    print(f"{head}   (median of {args.runs})")
    for name, user, url in pages:
        client = clients[user.username]
        urls = [url] if url else [f"/trajecten/{pk}/" for pk in mine]
        for u in urls[:2]:
            request(client, u)  # warm-up: caches, the attention count
        rows = [request(client, urls[i % len(urls)]) for i in range(args.runs)]
        wall, cpu, sql = (statistics.median(r[i] for r in rows) for i in range(3))
        count = max(r[3] for r in rows)
        print(f"{name:<34}{wall:>9.1f}{cpu:>9.1f}{sql:>9.1f}{count:>9}")
        if args.explain:
            explain(rows[-1][4])


if __name__ == "__main__":
    main()
