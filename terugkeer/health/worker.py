"""The task worker's heartbeat: `manage.py run_tasks` notes in the shared cache when it was
last alive, and /health/ready reports whether a worker was seen recently.

In the cache, not a table: every node reads the same database cache (settings.CACHES), and a
beat that fails (SQLite busy under a long import transaction) is simply tried again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)

CACHE_KEY = "terugkeer:task-worker-seen"
BEAT_SECONDS = 30
# Seen within this long counts as alive (a few beats may fail while the database is busy).
RECENT = timedelta(minutes=3)


def worker_beat(worker_id: str) -> None:
    cache.set(
        CACHE_KEY,
        {
            "at": timezone.now().isoformat(),
            "worker": worker_id,
            "host": socket.gethostname(),
            "pid": os.getpid(),
        },
        timeout=None,
    )


def worker_seen() -> datetime | None:
    value = cache.get(CACHE_KEY)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value["at"])
    except (KeyError, TypeError, ValueError):
        return None


def worker_recent(now: datetime | None = None) -> bool:
    seen = worker_seen()
    return seen is not None and (now or timezone.now()) - seen <= RECENT


class Heartbeat(threading.Thread):
    """Beats every BEAT_SECONDS on its own database connection until stopped."""

    def __init__(self, worker_id: str, every: float = BEAT_SECONDS) -> None:
        super().__init__(name="task-worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    close_old_connections()
                    worker_beat(self.worker_id)
                except DatabaseError:
                    logger.warning("Task worker heartbeat not written (database busy)")
                self.stopped.wait(self.every)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
