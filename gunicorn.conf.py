"""gunicorn settings for Terugkeer (docs/deployment.md). Every value can be overridden by an
environment variable, so one file serves `make serve` locally and a production node.

Sync workers: the pages are short database-bound requests; one worker per core plus one is the
usual start, and more nodes (not more threads) when the load grows.
"""

import multiprocessing
import os

wsgi_app = "terugkeer.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A report or an export may take some seconds; the proxy's own timeout should be a bit longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak never grows into an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The TLS proxy in front sets X-Forwarded-Proto; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# With JSON logs (TERUGKEER_LOG_FORMAT=json, the default in production) Django writes the
# request line itself, with the request id (terugkeer/logs.py); gunicorn's would double it.
_json_logs = os.environ.get(
    "TERUGKEER_LOG_FORMAT", "json" if os.environ.get("TERUGKEER_PRODUCTION") == "1" else "text"
)
accesslog = None if _json_logs == "json" else "-"
errorlog = "-"
# No query strings in the access log: a search may carry a name.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
