"""Benchmark of the yearly reports and the dashboard on the data of bench/generate.py.

    DATABASE_URL=postgresql://... .venv/bin/python bench/bench_reports.py [--year 2025] [--rounds 3]

Prints, best of `rounds`, each a first production (the report cache and the remembered
suppression decisions emptied before each round): the HOC report (whole organisation), an EOC
report (one entity), the adviser's dashboard, and a hand-written SQL query for the headline
counts (trajectories started, running and closed, informal and formal, and absences of more
than 4 weeks, this year and the year before) as the floor, with the ratio of each to the floor;
then the HOC report and the dashboard served again from the cache. With --queries, also the
time of each query of the HOC report's last round (where the time goes; docs/performance.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terugkeer.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from terugkeer.organisations.models import Organisation, Unit  # noqa: E402
from terugkeer.reports import compute  # noqa: E402
from terugkeer.reports.compute import build_report  # noqa: E402
from terugkeer.reports.dashboard import build_dashboard  # noqa: E402
from terugkeer.reports.scopes import Scope  # noqa: E402

HAND_SQL = """
SELECT
  COUNT(*) FILTER (WHERE started_on BETWEEN %(y0)s AND %(y1)s AND NOT is_formal),
  COUNT(*) FILTER (WHERE started_on BETWEEN %(y0)s AND %(y1)s AND is_formal),
  COUNT(*) FILTER (WHERE started_on <= %(y1)s AND (closed_on IS NULL OR closed_on >= %(y0)s)
                   AND NOT is_formal),
  COUNT(*) FILTER (WHERE started_on <= %(y1)s AND (closed_on IS NULL OR closed_on >= %(y0)s)
                   AND is_formal),
  COUNT(*) FILTER (WHERE closed_on BETWEEN %(y0)s AND %(y1)s AND NOT is_formal),
  COUNT(*) FILTER (WHERE closed_on BETWEEN %(y0)s AND %(y1)s AND is_formal),
  COUNT(*) FILTER (WHERE started_on BETWEEN %(p0)s AND %(p1)s),
  COUNT(*) FILTER (WHERE closed_on BETWEEN %(p0)s AND %(p1)s)
FROM trajectories_trajectory
WHERE organisation_id = %(org)s AND started_on <= %(y1)s
  AND (closed_on IS NULL OR closed_on >= %(p0)s);
SELECT
  COUNT(*) FILTER (WHERE a.first_day >= %(y0_4)s),
  COUNT(*) FILTER (WHERE a.first_day <= %(p1_4)s)
FROM trajectories_absence a JOIN organisations_unit u ON u.id = a.entity_id
WHERE u.organisation_id = %(org)s AND a.first_day BETWEEN %(p0_4)s AND %(y1_4)s
  AND (a.end_day IS NULL OR a.end_day - a.first_day >= 28);
"""


def hand_written(org_id: int, year: int) -> list:
    four = timedelta(days=28)
    params = {
        "org": org_id,
        "y0": date(year, 1, 1),
        "y1": date(year, 12, 31),
        "p0": date(year - 1, 1, 1),
        "p1": date(year - 1, 12, 31),
        "y0_4": date(year, 1, 1) - four,
        "y1_4": date(year, 12, 31) - four,
        "p0_4": date(year - 1, 1, 1) - four,
        "p1_4": date(year - 1, 12, 31) - four,
    }
    out = []
    with connection.cursor() as c:
        for sql in HAND_SQL.split(";"):
            if sql.strip():
                c.execute(sql, params)
                out.extend(c.fetchone())
    return out


def forget() -> None:
    """No cached report and no remembered suppression decision: a first production."""
    cache.clear()
    compute._CACHE.clear()


def best(fn, rounds: int, captured: list | None = None, fresh: bool = True) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(rounds):
        if fresh:
            forget()
        reset_queries()
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        queries = len(ctx.captured_queries)
        if captured is not None:
            captured[:] = ctx.captured_queries
    return min(times), queries


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--queries", action="store_true", help="time of each HOC report query")
    args = ap.parse_args()
    org = Organisation.objects.get(name="Vlaamse overheid (bench)")
    entity = Unit.objects.filter(organisation=org, is_entity=True).order_by("code").first()
    hoc = Scope("organisation", org.pk, org.pk, org.name)
    eoc = Scope("entity", entity.pk, org.pk, entity.name)
    today = date(2026, 11, 26)
    print(f"database: {connection.vendor}; year {args.year}; best of {args.rounds}")
    with connection.cursor() as c:
        for table in (
            "organisations_employee",
            "trajectories_absence",
            "trajectories_trajectory",
            "trajectories_event",
        ):
            c.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            print(f"  {table}: {c.fetchone()[0]:,} rows")
    rows = []
    if connection.vendor == "postgresql":
        floor, fq = best(lambda: hand_written(org.pk, args.year), args.rounds)
        rows.append(("hand-written SQL (headline counts)", floor, fq))
    else:
        floor = None
    hoc_queries: list = []
    for label, fn in (
        ("HOC report (whole organisation)", lambda: build_report(hoc, args.year, today=today)),
        (f"EOC report ({entity.name})", lambda: build_report(eoc, args.year, today=today)),
        ("adviser's dashboard (organisation)", lambda: build_dashboard(hoc, 2026, today)),
    ):
        t, q = best(fn, args.rounds, hoc_queries if label.startswith("HOC") else None)
        rows.append((label, t, q))
    # Served again on the same day without a write: from the cache (reports/cache.py).
    build_report(hoc, args.year, today=today)
    build_dashboard(hoc, 2026, today)
    for label, fn in (
        ("HOC report, repeat (cached)", lambda: build_report(hoc, args.year, today=today)),
        ("adviser's dashboard, repeat (cached)", lambda: build_dashboard(hoc, 2026, today)),
    ):
        t, q = best(fn, args.rounds, fresh=False)
        rows.append((label, t, q))
    print(f"{'what':<40} {'seconds':>8} {'queries':>8} {'x floor':>8}")
    for label, t, q in rows:
        ratio = f"{t / floor:8.1f}" if floor else "       -"
        print(f"{label:<40} {t:8.3f} {q:8d} {ratio}")
    if args.queries:
        print("HOC report, last round, per query (the rest of the time is Python):")
        total = 0.0
        for cq in hoc_queries:
            total += float(cq["time"])
            print(f"  {float(cq['time']):6.3f}  {' '.join(cq['sql'].split())[:90]}")
        print(f"  {total:6.3f}  in the database")


if __name__ == "__main__":
    main()
