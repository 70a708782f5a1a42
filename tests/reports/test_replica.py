"""Report and dashboard reads on a real PostgreSQL streaming replica (terugkeer/replica.py).

Runs only with TERUGKEER_REPLICA_URL set: `make test-replica` starts a primary and a hot
standby made by pg_basebackup -R on loopback (scripts/with-replica.sh). The test database is
created on the primary and streams to the replica (TEST MIRROR); the tests commit their rows
(transaction=True) and wait until the replica has replayed them.
"""

import time
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from terugkeer import replica
from terugkeer.audit.models import AuditEntry
from terugkeer.reports.compute import build_report
from terugkeer.reports.dashboard import build_dashboard
from terugkeer.reports.scopes import Scope
from terugkeer.trajectories.models import Trajectory

pytestmark = [
    pytest.mark.skipif(
        "replica" not in settings.DATABASES,
        reason="needs a streaming replica: make test-replica (TERUGKEER_REPLICA_URL)",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

TODAY = date(2026, 3, 1)


def caught_up(timeout=30.0):
    """Wait until the replica has replayed everything the primary committed so far."""
    with connections["default"].cursor() as c:
        c.execute("SELECT pg_current_wal_lsn()")
        (lsn,) = c.fetchone()
    deadline = time.monotonic() + timeout
    while True:
        try:
            with connections["replica"].cursor() as c:
                c.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if c.fetchone()[0]:
                    return
        except DatabaseError:  # the test database not replayed yet
            connections["replica"].close()
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)


@pytest.fixture
def synced(dataset, settings):
    settings.TERUGKEER = {**settings.TERUGKEER, "SUPPRESSION_THRESHOLD": 1}
    replica._down_until = 0.0
    caught_up()
    return dataset


def figures(tables):
    return [
        (t.key, r.label, [c.display for c in r.current], [c.display for c in r.previous])
        for t in tables
        for r in t.rows
    ]


def statements(captured):
    return [q["sql"].lstrip().split(None, 1)[0].upper() for q in captured.captured_queries]


def test_the_replica_is_a_streaming_hot_standby(synced):
    with connections["replica"].cursor() as c:
        c.execute("SELECT pg_is_in_recovery()")
        assert c.fetchone() == (True,)
        c.execute("SHOW jit")
        assert c.fetchone() == ("off",)
    with connections["default"].cursor() as c:
        c.execute("SELECT state FROM pg_stat_replication")
        assert c.fetchall() == [("streaming",)]
    assert (
        connections["replica"].settings_dict["PORT"] != connections["default"].settings_dict["PORT"]
    )
    # A hot standby refuses every write: nothing can reach it but what the primary streams.
    with pytest.raises(DatabaseError, match="read-only"), connections["replica"].cursor() as c:
        c.execute("UPDATE trajectories_trajectory SET phase = phase")
    connections["replica"].close()


def test_reports_and_dashboard_equal_on_primary_and_replica(synced):
    w = synced.world
    scopes = [
        Scope("organisation", w.vo.pk, w.vo.pk, w.vo.name),
        Scope("entity", w.entity_a.pk, w.vo.pk, w.entity_a.name),
    ]
    for scope in scopes:
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            primary = figures(build_report(scope, 2025, today=TODAY).tables)
            primary_dash = figures(build_dashboard(scope, 2025, TODAY))
        assert on_replica.captured_queries == []
        # The report cache (reports/cache.py) would answer the second production from memory:
        # empty it so that the replica really computes the same report.
        cache.clear()
        with (
            replica.replica_reads(),
            CaptureQueriesContext(connections["replica"]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            assert replica.reading_replica()
            mirrored = figures(build_report(scope, 2025, today=TODAY).tables)
            mirrored_dash = figures(build_dashboard(scope, 2025, TODAY))
        assert len(on_replica.captured_queries) >= 10
        # Every read of case data went to the replica, also the grouped queries that compute
        # reads straight from a cursor (they once took the default connection).
        case_reads_on_primary = [
            q["sql"][:80]
            for q in on_primary.captured_queries
            if q["sql"].startswith("SELECT") and '"trajectories_' in q["sql"]
        ]
        assert case_reads_on_primary == []
        assert set(statements(on_replica)) <= {"SELECT", "WITH"}
        assert mirrored == primary
        assert mirrored_dash == primary_dash
    # The dataset has figures that are not zero, so equality says something.
    assert any(cell not in ("0", "-", "·", "") for *_, current, _ in primary for cell in current)


def test_a_new_trajectory_reaches_the_replica_report_after_replay(synced):
    w = synced.world
    scope = Scope("organisation", w.vo.pk, w.vo.pk, w.vo.name)
    before = figures(build_report(scope, 2025, today=TODAY).tables)
    Trajectory.objects.create(
        employee=w.emp_b,
        organisation=w.vo,
        entity=w.entity_b,
        absence_start=date(2025, 6, 2),
        started_on=date(2025, 6, 3),
    )
    after = figures(build_report(scope, 2025, today=TODAY).tables)
    assert after != before
    caught_up()
    with replica.replica_reads():
        assert figures(build_report(scope, 2025, today=TODAY).tables) == after


def test_report_pages_read_the_replica_and_write_the_primary(client, synced):
    w = synced.world
    client.force_login(w.rita)
    scope = f"organisation-{w.vo.pk}"
    audit_before = AuditEntry.objects.count()
    for name, args in (("report", ()), ("export", ("csv",)), ("dashboard", ())):
        url = reverse(f"reports:{name}", args=args) + f"?scope={scope}&jaar=2025"
        with (
            CaptureQueriesContext(connections["replica"]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            response = client.get(url)
        assert response.status_code == 200, name
        assert on_replica.captured_queries, name
        assert set(statements(on_replica)) <= {"SELECT", "WITH"}, name
        # The session and the user are read on the primary, never from the standby.
        assert any("django_session" in q["sql"] for q in on_primary.captured_queries)
        assert not any("django_session" in q["sql"] for q in on_replica.captured_queries)
    # The export's audit row was written, on the primary.
    assert AuditEntry.objects.count() == audit_before + 1


def test_other_pages_and_writes_use_only_the_primary(client, synced):
    w = synced.world
    client.force_login(w.alice)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get(reverse("trajectories:caseload")).status_code == 200
        client.post(reverse("reports:report"))
    assert on_replica.captured_queries == []


def test_an_unreachable_replica_falls_back_to_the_primary(synced):
    w = synced.world
    scope = Scope("entity", w.entity_a.pk, w.vo.pk, w.entity_a.name)
    expected = figures(build_report(scope, 2025, today=TODAY).tables)
    alias = connections["replica"]
    port = alias.settings_dict["PORT"]
    alias.close()
    try:
        alias.settings_dict["PORT"] = 1  # nothing listens on port 1
        with replica.replica_reads():
            assert not replica.reading_replica()
            assert figures(build_report(scope, 2025, today=TODAY).tables) == expected
        assert replica._down_until > time.monotonic()
    finally:
        alias.close()
        alias.settings_dict["PORT"] = port
        replica._down_until = 0.0
