"""Health checks for the load balancer and the orchestrator, without sign-in and without any
personal data: /health/live (the process answers) and /health/ready (the database answers and
every migration is applied, so this node may take traffic)."""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
    return JsonResponse({"status": "ok" if ok else "unavailable", **checks}, status=status)
