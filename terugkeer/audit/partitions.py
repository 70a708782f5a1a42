"""The audit table's monthly partitions on PostgreSQL (docs/privacy.md, "The audit log").

On PostgreSQL `audit_auditentry` is partitioned by RANGE on `at`: one partition per calendar
month in the site's time zone (`audit_auditentry_y2026m11`), and a DEFAULT partition
(`audit_auditentry_default`) that catches any row whose month has no partition yet, so an
insert never fails. `partitions_ensure()` (manage.py audit_partitions, and every retention
run) creates this month and the months ahead and moves the rows the default partition caught
into their own month's partition; retention drops whole months older than the audit retention
period (`partitions_drop_before`) instead of deleting their rows one by one.

On SQLite the table is a plain table and every function here does nothing.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone

PARENT = "audit_auditentry"
DEFAULT_PARTITION = f"{PARENT}_default"
MONTHS_AHEAD = 3
_LOCK = 0x61756469  # "audi": this module's advisory lock key
_MONTHLY = re.compile(rf"^{PARENT}_y(\d{{4}})m(\d{{2}})$")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def name(self) -> str:
        return f"{PARENT}_y{self.year:04d}m{self.month:02d}"

    @property
    def start(self) -> datetime:
        """Midnight of the first day, in the site's time zone (as retention's cut-off is)."""
        return datetime(self.year, self.month, 1, tzinfo=timezone.get_default_timezone())

    @property
    def end(self) -> datetime:
        return self.next().start


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
            "WHERE c.relname = %s AND pg_table_is_visible(c.oid)",
            [PARENT],
        )
        return cursor.fetchone() is not None


def monthly_partitions() -> list[Month]:
    """The monthly partitions attached to the audit table, oldest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s "
            "AND pg_table_is_visible(p.oid)",
            [PARENT],
        )
        names = [name for (name,) in cursor.fetchall()]
    months = [Month(int(m[1]), int(m[2])) for name in names if (m := _MONTHLY.match(name))]
    return sorted(months, key=lambda m: (m.year, m.month))


def _create(cursor, month: Month) -> None:
    cursor.execute(
        f"CREATE TABLE {month.name} PARTITION OF {PARENT} "  # noqa: S608 (names from code)
        "FOR VALUES FROM (%s) TO (%s)",
        [month.start.isoformat(), month.end.isoformat()],
    )


def _months_in_default(cursor) -> set[Month]:
    cursor.execute(
        f"SELECT DISTINCT date_trunc('month', at AT TIME ZONE %s) FROM {DEFAULT_PARTITION}",  # noqa: S608
        [timezone.get_default_timezone_name()],
    )
    # A month whose end PostgreSQL could hold but Python cannot (year 9999) stays in default.
    return {Month(m.year, m.month) for (m,) in cursor.fetchall() if m.year < 9999}


def partitions_ensure(*, months_ahead: int = MONTHS_AHEAD, today: date | None = None) -> list[str]:
    """Create the partitions of this month and `months_ahead` months after it, and of every
    month the default partition holds rows of; move those rows into them. Idempotent: returns
    the names of the partitions it created (none on a second run, none on SQLite).

    PostgreSQL refuses to create a partition while the default partition holds rows of its
    range, so when it does: detach the default, create, move the rows, attach it again, in one
    transaction (writers of audit rows wait for the lock, a matter of milliseconds when the
    default is small, as this keeps it)."""
    if not is_partitioned():
        return []
    month = Month.of(today or timezone.localdate())
    wanted = {month}
    for _ in range(months_ahead):
        month = month.next()
        wanted.add(month)
    with transaction.atomic(), connection.cursor() as cursor:
        # One at a time (the daily retention and the command on two nodes): the second waits
        # and then finds the partitions made. An advisory lock, so inserts are not held up.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        caught = _months_in_default(cursor)
        missing = sorted((wanted | caught) - set(monthly_partitions()), key=lambda m: m.name)
        if not missing:
            return []
        moving = [m for m in missing if m in caught]
        if moving:
            cursor.execute(f"ALTER TABLE {PARENT} DETACH PARTITION {DEFAULT_PARTITION}")
        for each in missing:
            _create(cursor, each)
        for each in moving:
            # Detached, the default partition is a plain table without the append-only
            # trigger (PostgreSQL drops a partition's cloned triggers on detach).
            bounds = [each.start.isoformat(), each.end.isoformat()]
            cursor.execute(
                f"INSERT INTO {PARENT} SELECT * FROM {DEFAULT_PARTITION} "  # noqa: S608
                "WHERE at >= %s AND at < %s",
                bounds,
            )
            cursor.execute(
                f"DELETE FROM {DEFAULT_PARTITION} WHERE at >= %s AND at < %s",  # noqa: S608
                bounds,
            )
        if moving:
            cursor.execute(f"ALTER TABLE {PARENT} ATTACH PARTITION {DEFAULT_PARTITION} DEFAULT")
    return [m.name for m in missing]


def partitions_before(before: datetime) -> list[Month]:
    """The monthly partitions that end at or before `before`: every row in them is older."""
    if not is_partitioned():
        return []
    return [m for m in monthly_partitions() if m.end <= before]


def partition_rows(month: Month) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {month.name}")  # noqa: S608
        return cursor.fetchone()[0]


def partitions_drop_before(before: datetime) -> int:
    """Detach and drop every monthly partition entirely older than `before`; the number of rows
    they held. One short transaction per partition: detaching locks the whole audit table (every
    page that writes an audit row waits), so the lock is held for one detach and drop only."""
    dropped = 0
    for month in partitions_before(before):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {PARENT} DETACH PARTITION {month.name}")
            dropped += partition_rows(month)  # detached: no row can arrive any more
            cursor.execute(f"DROP TABLE {month.name}")
    return dropped
