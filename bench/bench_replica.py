"""The reports on the primary and on the streaming replica: equal figures, and their times.

    DATABASE_URL=primary TERUGKEER_REPLICA_URL=replica .venv/bin/python bench/bench_replica.py

On a database filled by bench/generate.py with a hot standby of it (pg_basebackup -R): the HOC
report (the whole organisation) of two years and the dashboard, computed on the primary and
inside replica_reads() (terugkeer/replica.py), best of --rounds; exits 1 when a figure differs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terugkeer.settings")

import django  # noqa: E402

django.setup()

from django.db import connections  # noqa: E402

from terugkeer import replica  # noqa: E402
from terugkeer.organisations.models import Organisation  # noqa: E402
from terugkeer.reports.compute import build_report  # noqa: E402
from terugkeer.reports.dashboard import build_dashboard  # noqa: E402
from terugkeer.reports.scopes import Scope  # noqa: E402


def figures(tables):
    return [
        (t.key, r.label, [c.display for c in r.current], [c.display for c in r.previous])
        for t in tables
        for r in t.rows
    ]


def timed(fn, rounds):
    best, result = float("inf"), None
    for _ in range(rounds):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not replica.replica_configured():
        raise SystemExit("set TERUGKEER_REPLICA_URL")
    org = Organisation.objects.order_by("pk").first()
    scope = Scope("organisation", org.pk, org.pk, org.name)
    today = date(2026, 11, 30)
    jobs = {
        "HOC report 2025": lambda: figures(build_report(scope, 2025, today=today).tables),
        "HOC report 2024": lambda: figures(build_report(scope, 2024, today=today).tables),
        "dashboard 2026": lambda: figures(build_dashboard(scope, 2026, today)),
    }
    different = 0
    for name, job in jobs.items():
        on_primary, expected = timed(job, args.rounds)
        with replica.replica_reads():
            assert replica.reading_replica()
            on_replica, mirrored = timed(job, args.rounds)
        same = mirrored == expected
        different += not same
        print(
            f"{name:<18} primary {on_primary:6.3f} s   replica {on_replica:6.3f} s   "
            f"{len(expected)} rows, {'equal' if same else 'DIFFERENT'}"
        )
    with connections["replica"].cursor() as c:
        c.execute("SELECT pg_is_in_recovery()")
        print(f"replica in recovery (a hot standby): {c.fetchone()[0]}")
    sys.exit(1 if different else 0)


if __name__ == "__main__":
    main()
