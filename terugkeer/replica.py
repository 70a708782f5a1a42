"""Report and dashboard reads on a PostgreSQL streaming replica (docs/scaling.md).

When TERUGKEER_REPLICA_URL is set, settings adds the database alias ``replica`` and this
router. Only inside ``replica_reads()`` — which ReplicaReadsMiddleware opens for GET and HEAD
requests to the report pages, their exports, the dashboard and the API's report — are reads of
the case data (REPLICA_APPS) sent to the replica. Everything else reads the primary: sign-in,
sessions, access grants, the audit trail, the cache table and the task queue, which must see
their own writes at once. Writes always go to the primary (a hot standby refuses them anyway).

When the replica cannot be reached, the request reads the primary and the replica is not tried
again for REPLICA_RETRY_SECONDS; a report is then as fast as without a replica, never an error.
Replication lag (normally well under a second) only matters for counts of a production day.
"""

from __future__ import annotations

import logging
import re
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
# The apps whose tables the reports and the dashboard count.
REPLICA_APPS = frozenset({"organisations", "trajectories", "toolbox", "reports"})
# The pages whose reads may go to the replica (GET and HEAD only).
REPLICA_PATHS = (
    re.compile(r"^/rapporten/"),
    re.compile(r"^/api/reports/"),
)
REPLICA_RETRY_SECONDS = 30

logger = logging.getLogger(__name__)
_reading: ContextVar[bool] = ContextVar("terugkeer_replica_reads", default=False)
_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_available() -> bool:
    """The replica is configured and answers (checked on its kept-open connection)."""
    global _down_until
    if not replica_configured() or time.monotonic() < _down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        _down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning("replica unreachable: reading the primary for %ss", REPLICA_RETRY_SECONDS)
        return False
    return True


@contextmanager
def replica_reads():
    """Reads of the case data inside this block go to the replica when it is available."""
    token = _reading.set(replica_available())
    try:
        yield
    finally:
        _reading.reset(token)


def reading_replica() -> bool:
    return _reading.get()


class ReplicaRouter:
    """Sends reads of REPLICA_APPS to the replica inside replica_reads(); nothing else."""

    def db_for_read(self, model, **hints):
        if _reading.get() and model._meta.app_label in REPLICA_APPS:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there may refer to one read here.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA


class ReplicaReadsMiddleware:
    """Opens replica_reads() for GET and HEAD requests to REPLICA_PATHS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and replica_configured()
            and any(p.match(request.path_info) for p in REPLICA_PATHS)
        ):
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
