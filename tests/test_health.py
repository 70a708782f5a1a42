"""/health/live and /health/ready: without sign-in, without personal data; ready says whether
the database answers and every migration is applied."""

import json

from django.db import connection
from django.db.migrations.recorder import MigrationRecorder


def test_live_answers_without_sign_in(client, db):
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_ready_checks_database_and_migrations(client, world):
    response = client.get("/health/ready")
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "ok",
        "database": True,
        "migrations": True,
        "worker": False,
        "worker_seen": None,
    }
    # Nothing about people: the employees' names appear nowhere.
    assert world.emp_a.last_name not in json.dumps(body)


def test_ready_is_unavailable_with_a_migration_missing(client, db):
    recorder = MigrationRecorder(connection)
    last = recorder.migration_qs.filter(app="trajectories").order_by("-id").first()
    last.delete()
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["migrations"] is False


def test_health_refuses_writes(client, db):
    assert client.post("/health/live").status_code == 405


def test_the_database_cache_table_comes_with_the_migrations(db):
    """settings.CACHES (the database cache) works right after migrate: make demo, a node."""
    from django.core.cache.backends.db import DatabaseCache

    shared = DatabaseCache("terugkeer_cache", {})
    shared.set("terugkeer:test", 41)
    assert shared.get("terugkeer:test") == 41
