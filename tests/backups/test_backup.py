"""manage.py backup → manage.py restore into a fresh database → every table identical.

Runs on the database the suite runs on: SQLite (the online backup API) or PostgreSQL
(pg_dump / pg_restore of the installed server, into a second database of the same cluster).
"""

import sqlite3
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from terugkeer.audit.models import AuditEntry
from terugkeer.trajectories import services
from terugkeer.trajectories.models import Event, Trajectory

pytestmark = pytest.mark.django_db(transaction=True)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup API")
KEY = "een-lange-back-upsleutel-voor-de-test"


def a_dossier(world):
    services.absence_register(
        actor=world.alice,
        employee=world.emp_a,
        first_day=timezone.localdate() - timedelta(days=60),
    )
    trajectory = Trajectory.objects.get(employee=world.emp_a)
    services.event_record(
        actor=world.alice,
        trajectory=trajectory,
        expected_version=trajectory.version,
        data=services.EventInput(
            type="contact",
            date=timezone.localdate(),
            note="Gebeld; ’t gaat beter — é",
            fields={"channel": "call", "by": "coach"},
        ),
    )
    return trajectory


def every_table(raw_connection, tables) -> dict[str, list[tuple]]:
    """Every row of every table; on PostgreSQL as the server's text of the row, so that the
    two connections' type adapters (JSON, time zones) do not matter."""
    cursor = raw_connection.cursor()
    content = {}
    row = "t::text" if connection.vendor == "postgresql" else "*"
    for table in tables:
        cursor.execute(f'SELECT {row} FROM "{table}" AS t')  # noqa: S608 - names from introspection
        content[table] = sorted(cursor.fetchall(), key=repr)
    return content


def source_tables() -> dict[str, list[tuple]]:
    connection.ensure_connection()
    tables = connection.introspection.table_names()
    return every_table(connection.connection, tables)


def restored_tables(raw_connection, vendor) -> dict[str, list[tuple]]:
    cursor = raw_connection.cursor()
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        names = [n for (n,) in cursor.fetchall() if not n.startswith("sqlite_")]
    else:
        # Partitions (the audit log's months) are read through their parent table, as
        # Django's introspection lists it.
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
        )
        names = [n for (n,) in cursor.fetchall()]
    return every_table(raw_connection, sorted(names))


def assert_identical(restored: dict, source: dict):
    assert sorted(restored) == sorted(source)
    assert sum(len(rows) for rows in source.values()) > 50  # the world and a dossier
    for table, rows in source.items():
        assert restored[table] == rows, table


@pytest.fixture
def fresh_database(tmp_path):
    """A database that is not the configured one: an empty SQLite file, or a new PostgreSQL
    database in the same cluster (dropped afterwards)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "fresh.sqlite3"
        # Read with Django's type converters, as the source is read.
        types = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path, detect_types=types)
        return
    conf = connection.settings_dict
    name = f"terugkeer_restore_{uuid.uuid4().hex[:8]}"
    server = {
        "host": conf["HOST"],
        "port": conf["PORT"] or 5432,
        "user": conf["USER"],
        "password": conf["PASSWORD"] or None,
    }
    with psycopg.connect(dbname=conf["NAME"], autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{conf['PASSWORD']}" if conf["PASSWORD"] else ""
    url = f"postgresql://{conf['USER']}{password}@{conf['HOST']}:{server['port']}/{name}"
    opened = []

    def open_fresh():
        opened.append(psycopg.connect(dbname=name, **server))
        opened[-1].execute("SET TIME ZONE 'UTC'")  # as Django's connection, for t::text
        return opened[-1]

    yield url, open_fresh
    for raw in opened:
        raw.close()
    with psycopg.connect(dbname=conf["NAME"], autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_backup_restores_into_a_fresh_database_with_every_table_identical(
    world, settings, tmp_path, fresh_database, encrypted
):
    settings.TERUGKEER = {**settings.TERUGKEER, "BACKUP_KEY": KEY if encrypted else ""}
    a_dossier(world)
    source = source_tables()

    call_command("backup", output=tmp_path / "dumps")
    (dump,) = (tmp_path / "dumps").iterdir()
    assert dump.name.endswith(".gpg") == encrypted
    assert dump.stat().st_mode & 0o077 == 0  # readable by its owner only
    if encrypted:
        assert b"Aerts" not in dump.read_bytes() and b"Gebeld" not in dump.read_bytes()

    url, open_fresh = fresh_database
    call_command("restore", str(dump), database_url=url, noinput=True)

    raw = open_fresh()
    try:
        assert_identical(restored_tables(raw, connection.vendor), source)
    finally:
        raw.close()


def test_an_encrypted_dump_needs_the_right_key(world, settings, tmp_path, fresh_database):
    settings.TERUGKEER = {**settings.TERUGKEER, "BACKUP_KEY": KEY}
    call_command("backup", output=tmp_path)
    (dump,) = tmp_path.glob("terugkeer-*")
    url, _ = fresh_database
    settings.TERUGKEER = {**settings.TERUGKEER, "BACKUP_KEY": "een-andere-sleutel-van-lengte"}
    with pytest.raises(CommandError, match="gpg faalde"):
        call_command("restore", str(dump), database_url=url, noinput=True)
    settings.TERUGKEER = {**settings.TERUGKEER, "BACKUP_KEY": ""}
    with pytest.raises(CommandError, match="geen sleutel"):
        call_command("restore", str(dump), database_url=url, noinput=True)


def test_the_key_can_come_from_a_file(world, settings, tmp_path):
    key_file = tmp_path / "sleutel"
    key_file.write_text(KEY + "\n")
    settings.TERUGKEER = {**settings.TERUGKEER, "BACKUP_KEY_FILE": str(key_file)}
    call_command("backup", output=tmp_path / "dumps")
    (dump,) = (tmp_path / "dumps").iterdir()
    assert dump.name.endswith(".gpg")


@on_sqlite
def test_restore_into_the_configured_database_brings_back_what_was_deleted(world, tmp_path):
    trajectory = a_dossier(world)
    source = source_tables()
    call_command("backup", output=tmp_path)
    (dump,) = tmp_path.glob("terugkeer-*")
    Event.objects.filter(trajectory=trajectory).delete()
    AuditEntry.objects.all().delete()
    call_command("restore", str(dump), noinput=True)
    assert Event.objects.filter(trajectory=trajectory, note__startswith="Gebeld").exists()
    assert source_tables() == source


def test_keep_removes_the_oldest_dumps_only(world, tmp_path):
    directory = tmp_path / "dumps"
    directory.mkdir()
    suffix = ".sqlite3" if connection.vendor == "sqlite" else ".pgdump"
    old = [directory / f"terugkeer-2020010{day}-030000{suffix}" for day in (1, 2, 3)]
    for path in old:
        path.write_bytes(b"x")
    unrelated = directory / "notities.txt"
    unrelated.write_text("blijft")
    call_command("backup", output=directory, keep=2)
    left = sorted(p.name for p in directory.iterdir())
    assert old[0].name not in left and old[1].name not in left
    assert old[2].name in left and "notities.txt" in left
    assert len([n for n in left if n.startswith("terugkeer-")]) == 2


def test_a_dump_of_the_other_database_kind_is_refused(world, tmp_path):
    other = ".pgdump" if connection.vendor == "sqlite" else ".sqlite3"
    dump = Path(tmp_path / f"terugkeer-20200101-030000{other}")
    dump.write_bytes(b"x")
    with pytest.raises(CommandError, match="kan niet"):
        call_command("restore", str(dump), noinput=True)
