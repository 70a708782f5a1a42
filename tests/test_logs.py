"""Structured logs (terugkeer/logs.py): JSON lines carrying the request's id."""

import json
import logging
import sys

from django.http import HttpResponse
from django.test import RequestFactory

from terugkeer.logs import JsonFormatter, RequestIdFilter, RequestIdMiddleware


def test_every_response_has_a_request_id_and_one_log_line(client, db, caplog):
    caplog.set_level(logging.INFO, logger="terugkeer.request")
    response = client.get("/health/live?naam=Aerts")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (record,) = [r for r in caplog.records if r.name == "terugkeer.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == request_id
    assert (line["method"], line["path"], line["status"]) == ("GET", "/health/live", 200)
    assert line["level"] == "INFO" and line["duration_ms"] >= 0 and line["cpu_ms"] >= 0
    assert "Aerts" not in json.dumps(line)  # never the query string


def test_a_sane_id_from_the_proxy_is_kept_and_a_forged_one_replaced(client, db):
    kept = client.get("/health/live", headers={"X-Request-ID": "proxy-7f3a9c01"})
    assert kept["X-Request-ID"] == "proxy-7f3a9c01"
    forged = client.get("/health/live", headers={"X-Request-ID": 'x"}\n{"level": "INFO'})
    assert forged["X-Request-ID"] != 'x"}\n{"level": "INFO'
    assert len(forged["X-Request-ID"]) == 32


def test_lines_logged_during_a_request_carry_its_id():
    lines = []

    def view(request):
        record = logging.getLogger("terugkeer.test").makeRecord(
            "terugkeer.test", logging.WARNING, __file__, 1, "binnen %s", ("het verzoek",), None
        )
        RequestIdFilter().filter(record)
        lines.append(json.loads(JsonFormatter().format(record)))
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/"))
    assert lines[0]["request_id"] == response["X-Request-ID"]
    assert lines[0]["message"] == "binnen het verzoek"
    assert lines[0]["logger"] == "terugkeer.test"


def test_a_traceback_is_one_json_line():
    try:
        raise ValueError("kapot")
    except ValueError:
        record = logging.makeLogRecord(
            {
                "name": "django.request",
                "levelno": 40,
                "levelname": "ERROR",
                "msg": "fout",
                "exc_info": sys.exc_info(),
            }
        )
    text = JsonFormatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert "ValueError: kapot" in line["exception"]
    assert line["request_id"] == ""
