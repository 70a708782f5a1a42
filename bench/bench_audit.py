"""Benchmark of the audit table, plain against partitioned by month (PostgreSQL only).

    DATABASE_URL=postgresql://…/bench_x .venv/bin/python bench/bench_audit.py \
        [--rows 10000000] [--years 10] [--repeat 3]

On the database of DATABASE_URL (a copy of the full-scale benchmark, never production: the
audit table is emptied and refilled):

1. the audit table as it was before partitioning (migration audit 0005), filled with `--rows`
   rows spread evenly over `--years` years up to now (INSERT … SELECT generate_series; 20
   organisations, 2,000 user names, 250,000 employees), VACUUM ANALYZE;
2. the audit search over one month (by organisation, by user name; the page's query: the first
   page of 50 and the count), with the old filter on `at`'s date and with bounds on `at`;
3. retention: the oldest year (every row before the first day of the 13th month) and the oldest
   day or two (what the daily run removes once it has caught up), each in a transaction rolled
   back; then the oldest year once for real, with the VACUUM that follows it;
4. the migration to the partitioned table (audit 0006) on those rows, timed;
5. 2 and 3 again on the partitioned table (whose oldest year is then the next one).

Each figure is the median wall time of `--repeat` runs (searches: ten times as many) and the
mean CPU time of the PostgreSQL server process serving the connection (read from /proc: the
server must run on this machine; parallel workers are switched off so that the one process
does all of the work).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TICK = os.sysconf("SC_CLK_TCK")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terugkeer.settings")
    os.environ.setdefault("TERUGKEER_VAR_DIR", tempfile.mkdtemp(prefix="bench-audit-"))
    import django

    django.setup()


def server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


class Timer:
    def __init__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]
            cursor.execute("SET max_parallel_workers_per_gather = 0")

    def run(self, label: str, work, repeat: int):
        walls, cpus, result = [], [], None
        for _ in range(repeat):
            cpu, wall = server_cpu(self.pid), time.perf_counter()
            result = work()
            walls.append(time.perf_counter() - wall)
            cpus.append(server_cpu(self.pid) - cpu)
        print(
            f"  {label:<58} {statistics.median(walls) * 1000:10.1f} ms wall "
            f"{sum(cpus) / repeat * 1000:9.1f} ms server CPU   ({result})",
            flush=True,
        )
        return result


def execute(sql: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def fill(rows: int, years: int) -> None:
    """The plain table, emptied and filled without its indexes, which are then rebuilt."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_auditentry' "
            "AND indexname <> 'audit_auditentry_pkey'"
        )
        indexes = cursor.fetchall()
        cursor.execute("TRUNCATE audit_auditentry RESTART IDENTITY")
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        span = timedelta(days=365.25 * years).total_seconds()
        cursor.execute(
            """
            INSERT INTO audit_auditentry (at, user_id, username, action, object_type, object_id,
                employee_id, organisation_id, ip_address, path, changes)
            SELECT now() - make_interval(secs => %(span)s * (1 - g::float8 / %(rows)s)),
                   NULL, 'user' || (g * 7919 %% 2000), CASE WHEN g %% 10 = 0 THEN 'update'
                   ELSE 'view' END, 'trajectory', (g %% 200000)::text,
                   1 + (g * 104729 %% 250000), 1 + g %% 20, '10.0.0.1',
                   '/trajecten/' || (g %% 200000) || '/', '{}'
            FROM generate_series(1::bigint, %(rows)s) g
            """,
            {"span": span, "rows": rows},
        )
        for _, statement in indexes:
            cursor.execute(statement)
    execute("VACUUM ANALYZE audit_auditentry")


def searches(timer: Timer, repeat: int, month_start: datetime, month_end: datetime, cast: bool):
    """The audit page's two queries for one month: the first page of 50 rows and the count."""
    from terugkeer.audit.models import AuditEntry

    def page(**filters):
        def work():
            qs = AuditEntry.objects.filter(**filters)
            if cast:  # the selector before: at__date compares each row's local date
                qs = qs.filter(at__date__gte=month_start.date(), at__date__lt=month_end.date())
            else:
                qs = qs.filter(at__gte=month_start, at__lt=month_end)
            return f"{len(list(qs[:50]))} shown of {qs.count()}"

        return work

    how = "at::date bounds" if cast else "at bounds"
    timer.run(f"search organisation 3, one month ({how})", page(organisation_id__in=[3]), repeat)
    timer.run(
        f"search user name 'USER1838', one month ({how})",  # a user of organisation 3
        page(organisation_id__in=[3], username__iexact="USER1838"),
        repeat,
    )
    if not cast:
        plan = (
            AuditEntry.objects.filter(organisation_id__in=[3], at__gte=month_start)
            .filter(at__lt=month_end)
            .explain()
        )
        read = sorted(
            {name for name in re.findall(r"\bon (audit_auditentry\w*)", plan) if "_idx" not in name}
        )
        print(f"  the month's search reads: {', '.join(read)}", flush=True)


def retention(timer: Timer, repeat: int, label: str, before: datetime) -> None:
    """The retention's purge (privacy.retention._audit_purge) up to `before`, rolled back."""
    from django.db import transaction

    from terugkeer.privacy.retention import _audit_purge

    def work():
        with transaction.atomic():
            removed = _audit_purge(before)
            transaction.set_rollback(True)
        return f"{removed} rows"

    timer.run(label, work, repeat)


def purge_committed(timer: Timer, before: datetime) -> None:
    """Once for real: the purge committed, then the VACUUM that a DELETE leaves to do (a
    dropped partition leaves nothing)."""
    from terugkeer.privacy.retention import _audit_purge

    timer.run(f"retention committed (before {before:%d/%m/%Y})", lambda: _audit_purge(before), 1)
    timer.run("VACUUM audit_auditentry after it", lambda: execute("VACUUM audit_auditentry"), 1)


def oldest_rows() -> tuple[datetime, datetime]:
    """The first day of the 13th month after the oldest row's month (the oldest year, and the
    partial first month), and the midnight two days after the oldest row (the daily run)."""
    from django.db.models import Min
    from django.utils import timezone

    from terugkeer.audit.models import AuditEntry
    from terugkeer.audit.partitions import Month

    first = timezone.localtime(AuditEntry.objects.aggregate(at=Min("at"))["at"])
    month = Month.of(first.date())
    if first.day != 1:  # a partial first month goes with the year
        month = month.next()
    for _ in range(12):
        month = month.next()
    day = first.date() + timedelta(days=2)
    return month.start, timezone.make_aware(datetime.combine(day, datetime.min.time()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench_audit: PostgreSQL only (set DATABASE_URL to a benchmark copy)")
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from terugkeer.audit.partitions import Month, is_partitioned

    print(f"bench_audit: {args.rows:,} rows over {args.years} years; load {os.getloadavg()}")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("migrate", "audit", "0005", verbosity=0)
    assert not is_partitioned()
    fill(args.rows, args.years)
    print(f"  filled the plain table in {time.perf_counter() - started:.0f} s", flush=True)

    searched = Month.of((timezone.localtime() - timedelta(days=2 * 365)).date())

    for partitioned in (False, True):
        if partitioned:
            connection.close()
            started = time.perf_counter()
            call_command("migrate", "audit", verbosity=0)
            print(
                f"  migration audit 0006 (plain → partitioned) on {args.rows:,} rows: "
                f"{time.perf_counter() - started:.0f} s wall",
                flush=True,
            )
            execute("VACUUM ANALYZE audit_auditentry")
            assert is_partitioned()
        print("partitioned by month:" if partitioned else "plain table (before):", flush=True)
        timer = Timer()
        if not partitioned:
            searches(timer, args.repeat, searched.start, searched.end, cast=True)
        searches(timer, args.repeat * 10, searched.start, searched.end, cast=False)
        # The oldest year, and the oldest day or two: what the daily run removes once caught up.
        year_later, day = oldest_rows()
        retention(
            timer,
            args.repeat,
            f"retention: the oldest year (before {year_later:%d/%m/%Y})",
            year_later,
        )
        retention(
            timer,
            args.repeat,
            f"retention: the oldest ~1.5 days (before {day:%d/%m/%Y})",
            day,
        )
        purge_committed(timer, year_later)


if __name__ == "__main__":
    main()
