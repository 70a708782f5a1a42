"""Health checks for the load balancer and the orchestrator, without sign-in and without any
personal data: /health/live (the process answers) and /health/ready (the database answers and
every migration is applied, so this node may take traffic).

/health/ready also says whether a task worker (`manage.py run_tasks`) was seen in the last few
minutes ("worker"). That does not make the node unready: a web node serves pages without a
worker, and taking every node out of the load balancer because the worker stopped would be
worse. Monitoring alerts on "worker": false instead (docs/operations.md)."""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from terugkeer.health.worker import worker_recent, worker_seen


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request):
    checks = {"database": False, "migrations": False}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = True
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        checks["migrations"] = not pending
    except DatabaseError:
        pass
    ok = all(checks.values())
    status = 200 if ok else 503
    worker = {"worker": False, "worker_seen": None}
    try:
        seen = worker_seen()
        worker = {"worker": worker_recent(), "worker_seen": seen.isoformat() if seen else None}
    except DatabaseError:
        pass
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **checks, **worker}, status=status
    )
