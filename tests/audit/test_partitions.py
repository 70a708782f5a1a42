"""The audit table partitioned by month on PostgreSQL (terugkeer/audit/partitions.py): rows in
their month, the default partition and the command that empties it, retention dropping whole
months, a month's search reading one partition, the migration on a table that holds rows."""

import io
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from terugkeer.accounts.access import SYSTEM
from terugkeer.audit.models import AuditEntry
from terugkeer.audit.partitions import (
    DEFAULT_PARTITION,
    MONTHS_AHEAD,
    Month,
    is_partitioned,
    monthly_partitions,
    partitions_ensure,
)
from terugkeer.privacy.retention import retention_apply, retention_plan
from terugkeer.privacy.selectors import audit_search

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions are PostgreSQL's"
)


def entry(at, **fields):
    return AuditEntry.objects.create(
        at=at,
        username=fields.pop("username", "alice"),
        action="view",
        object_type="employee",
        **fields,
    )


def where(entry_) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM audit_auditentry WHERE id = %s", [entry_.pk]
        )
        return cursor.fetchone()[0]


def local(day: date, hour=12, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def exists(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
        return cursor.fetchone()[0]


@on_postgresql
def test_the_audit_table_is_partitioned_by_range_on_at_with_a_default(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.partstrat, a.attname FROM pg_partitioned_table p "
            "JOIN pg_class c ON c.oid = p.partrelid "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0] "
            "WHERE c.relname = 'audit_auditentry'"
        )
        assert cursor.fetchall() == [("r", "at")]
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'audit_auditentry'::regclass AND c.relpartbound IS NOT NULL "
            "AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'"
        )
        assert cursor.fetchall() == [(DEFAULT_PARTITION,)]
        # Indexes declared on the parent reach every partition.
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE tablename = %s", [DEFAULT_PARTITION])
        assert cursor.fetchone()[0] == 7  # primary key (id, at) and the model's six indexes
    month = Month.of(timezone.localdate())
    ahead = [month]
    for _ in range(MONTHS_AHEAD):
        ahead.append(ahead[-1].next())
    assert set(ahead) <= set(monthly_partitions())
    assert is_partitioned()


def test_on_sqlite_the_table_stays_plain_and_the_command_does_nothing(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's side")
    out = io.StringIO()
    call_command("audit_partitions", stdout=out)
    assert "niets te doen" in out.getvalue()
    assert not is_partitioned() and partitions_ensure() == []


@on_postgresql
def test_a_row_lands_in_its_own_months_partition_in_the_sites_time_zone(db):
    first = timezone.localdate().replace(day=1)
    now = entry(timezone.now())
    # 00:30 in Brussels on the 1st is still the previous month in UTC: it belongs to this one.
    just_after_midnight = entry(local(first, 0, 30))
    assert where(now) == Month.of(first).name
    assert where(just_after_midnight) == Month.of(first).name
    assert AuditEntry.objects.get(pk=now.pk).username == "alice"  # Django's pk is still `id`


@on_postgresql
def test_the_default_partition_catches_a_far_future_row_and_the_command_moves_it(db):
    far = timezone.localdate().replace(day=1) + timedelta(days=5 * 366)
    stray = entry(local(far))
    assert where(stray) == DEFAULT_PARTITION
    out = io.StringIO()
    call_command("audit_partitions", stdout=out)
    assert Month.of(far).name in out.getvalue()
    assert where(stray) == Month.of(far).name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DEFAULT_PARTITION}")  # noqa: S608
        assert cursor.fetchone()[0] == 0
    # Idempotent, and the moved row is still append-only in its new partition.
    out = io.StringIO()
    call_command("audit_partitions", stdout=out)
    assert "bestonden al" in out.getvalue()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET username = 'x' WHERE id = %s", [stray.pk])
    assert AuditEntry.objects.get(pk=stray.pk).at == local(far)


@on_postgresql
def test_retention_drops_old_months_whole_and_deletes_the_rest_of_the_boundary_month(db, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "AUDIT_RETENTION_DAYS": 3650}
    # A day whose cut-off falls mid-month, so that the boundary month is cut in two.
    cutoff = (timezone.localdate() - timedelta(days=3650)).replace(day=15)
    today = cutoff + timedelta(days=3650)
    old_month = date(cutoff.year - 1, cutoff.month, 10)
    gone = [entry(local(old_month, hour)) for hour in (8, 9, 10)]
    gone.append(entry(local(cutoff - timedelta(days=1))))  # boundary month, before the cut-off
    kept = [entry(local(cutoff)), entry(timezone.now())]  # on the cut-off day, and today
    # Nothing moved out of the default partition yet: the plan counts the rows all the same.
    plan = retention_plan(today=today)
    assert plan.audit_rows == 4
    result = retention_apply(actor=SYSTEM, plan=plan)
    assert result.audit_rows == plan.audit_rows == 4
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in gone]).exists()
    assert AuditEntry.objects.filter(pk__in=[e.pk for e in kept]).count() == 2
    assert not exists(Month.of(old_month).name)  # dropped whole
    assert where(kept[0]) == Month.of(cutoff).name  # the boundary month stays, with its rest

    # A second year later: the plan names the partitions that go whole, the run agrees.
    gone = [entry(local(date(cutoff.year - 2, 3, day))) for day in (1, 2)]
    gone.append(entry(local(cutoff - timedelta(days=2))))
    partitions_ensure(today=today)
    plan = retention_plan(today=today)
    assert plan.audit_partitions == [Month(cutoff.year - 2, 3).name]
    assert plan.audit_rows == 3
    assert retention_apply(actor=SYSTEM, plan=plan).audit_rows == 3
    assert not exists(Month(cutoff.year - 2, 3).name)
    assert AuditEntry.objects.filter(at__lt=local(cutoff, 0)).count() == 0


def _partitions_read(queryset) -> set[str]:
    plan = queryset.explain()
    # Tables only ("Bitmap Index Scan on <index>" names an index).
    return {n for n in re.findall(r"\bon (audit_auditentry_\w+)", plan) if not n.endswith("_idx")}


@on_postgresql
def test_a_search_over_one_month_reads_only_that_months_partition(world):
    month = Month.of(timezone.localdate())
    entry(timezone.now(), organisation_id=world.vo.pk, username="Alice")
    first = month.start.date()
    last = month.next().start.date() - timedelta(days=1)
    by_user = audit_search(
        world.bert,
        username="ALICE",
        date_from=f"{first:%d/%m/%Y}",
        date_to=f"{last:%d/%m/%Y}",
    )
    assert by_user.count() == 1
    assert _partitions_read(by_user) == {month.name}
    unbounded = audit_search(world.bert, username="ALICE")
    assert DEFAULT_PARTITION in _partitions_read(unbounded)  # without dates: every month


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_existing_rows_and_keeps_their_ids(world):
    rows = [entry(timezone.now() - timedelta(days=days)) for days in (0, 40, 400, 4000)]
    call_command("migrate", "audit", "0005", verbosity=0)
    assert not is_partitioned()
    assert AuditEntry.objects.count() >= 4
    call_command("migrate", "audit", verbosity=0)
    assert is_partitioned()
    for row in rows:
        assert where(row) == Month.of(timezone.localtime(row.at).date()).name
    newest = entry(timezone.now())
    assert newest.pk > max(row.pk for row in rows)  # the identity goes on where it was


@on_postgresql
def test_apply_retention_previews_the_months_that_go_whole_and_removes_as_many_rows(db):
    long_ago = timezone.localdate() - timedelta(days=11 * 366)
    for hour in (9, 10):
        entry(local(long_ago, hour))
    entry(timezone.now())
    partitions_ensure()  # the old rows leave the default partition for their month's
    preview = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=preview)
    assert "- 2 auditregels van vóór" in preview.getvalue()
    assert "(1 volledige maand als partitie verwijderd)" in preview.getvalue()
    assert exists(Month.of(long_ago).name)
    run = io.StringIO()
    call_command("apply_retention", stdout=run, stderr=io.StringIO())
    assert "2 auditregels gewist" in run.getvalue()
    assert not exists(Month.of(long_ago).name)
    assert AuditEntry.objects.count() >= 1


def test_the_search_by_dates_bounds_whole_days_in_brussels_and_survives_extreme_years(world):
    day = timezone.localdate() - timedelta(days=3)
    late = entry(local(day, 23, 59), organisation_id=world.vo.pk)  # 22:59 UTC, the same day here
    entry(local(day + timedelta(days=1), 0, 1), organisation_id=world.vo.pk)
    one_day = audit_search(world.bert, date_from=f"{day:%d/%m/%Y}", date_to=f"{day:%d/%m/%Y}")
    assert list(one_day.filter(username="alice")) == [late]
    everything = audit_search(world.bert, date_from="01/01/0001", date_to="31/12/9999")
    assert everything.filter(username="alice").count() == 2
