"""Structured logs: one JSON object per line, each with the id of the request it belongs to.

TERUGKEER_LOG_FORMAT=json (the default with TERUGKEER_PRODUCTION=1) makes settings.LOGGING use
JsonFormatter; RequestIdMiddleware gives every request an id (the proxy's X-Request-ID when it
sends a sane one, else a new one), returns it in the X-Request-ID header and writes one line per
request on the logger ``terugkeer.request``: method, path (never the query string: a search may
carry a name), status, duration and the process's CPU time. Every other line logged during the
request carries the same ``request_id``, so a node's lines can be joined with the proxy's
(docs/scaling.md).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

_request_id: ContextVar[str] = ContextVar("terugkeer_request_id", default="")
# What a proxy may hand us as an id: short, and nothing that could forge a log line.
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# The standard attributes of a LogRecord; anything else was passed with extra= and is kept.
_RECORD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

request_logger = logging.getLogger("terugkeer.request")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time (UTC), level, logger, message, request_id, the
    fields given with extra=, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or _request_id.get(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_FIELDS and key not in out:
                plain = isinstance(value, str | int | float | bool | None)
                out[key] = value if plain else str(value)
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return json.dumps(out, ensure_ascii=False)


class RequestIdMiddleware:
    """The request id for the logs and the X-Request-ID response header; one log line per
    request (INFO on terugkeer.request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        token = _request_id.set(request_id)
        started = time.perf_counter()
        cpu_started = time.process_time()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path[:300],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    # CPU time of this process for the request (sync workers: one request at a
                    # time), without the database's: on a busy machine, what the code costs.
                    "cpu_ms": round((time.process_time() - cpu_started) * 1000, 1),
                },
            )
            _request_id.reset(token)
