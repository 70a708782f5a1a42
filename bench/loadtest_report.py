"""Summary of a load test run (scripts/loadtest.sh): locust's CSV files and the server's JSON
request log (terugkeer/logs.py) in one table.

    python bench/loadtest_report.py RUN_DIR USERS WORKERS
"""

from __future__ import annotations

import csv
import json
import os
import re
import statistics
import sys
from datetime import datetime
from pathlib import Path

# Server paths of the quiet run, named as in bench/locustfile.py.
ROUTES = [
    ("caseload", re.compile(r"^/trajecten/$")),
    ("trajectory", re.compile(r"^/trajecten/\d+/$")),
    ("event form", re.compile(r"^/trajecten/\d+/registreer/contact/$")),
    ("portal", re.compile(r"^/mijn-traject/$")),
]


def locust_rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def server_times(log: Path) -> dict[str, list[tuple[float, float]]]:
    """(duration, CPU time) in ms of the GET requests per route, from the JSON request log."""
    found: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in ROUTES}
    if not log.exists():
        return found
    for line in log.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("logger") != "terugkeer.request" or record.get("method") != "GET":
            continue
        for name, pattern in ROUTES:
            if pattern.match(record.get("path", "")):
                found[name].append(
                    (float(record["duration_ms"]), float(record.get("cpu_ms", "nan")))
                )
    return found


def _requests(lines: list[str]) -> list[dict]:
    out = []
    for line in lines:
        if not line.startswith("{"):
            continue
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("logger") == "terugkeer.request":
            out.append(record)
    return out


def steady_rate(records: list[dict], path: str) -> tuple[float, int] | None:
    """GET requests per second of one page in one phase, counted in the server's log from the
    phase's last sign-in (POST /aanmelden/), if any, to its last request of the page. The
    sign-ins (PBKDF2, a million rounds each) otherwise take a large part of a short phase's
    time from the page measured."""
    signed_in = [
        r["time"] for r in records if r.get("path") == "/aanmelden/" and r.get("method") == "POST"
    ]
    start = max(signed_in) if signed_in else None
    times = sorted(
        r["time"]
        for r in records
        if r.get("method") == "GET"
        and r.get("path") == path
        and (start is None or r["time"] > start)
    )
    if len(times) < 2:
        return None
    seconds = (
        datetime.fromisoformat(times[-1]) - datetime.fromisoformat(start or times[0])
    ).total_seconds()
    return (len(times) / seconds if seconds > 0 else 0.0), len(times)


def log_lines(path: Path) -> list[str]:
    return path.read_text(errors="replace").splitlines() if path.exists() else []


def table(rows: list[dict]) -> None:
    print(f"{'request':<20}{'count':>8}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for r in rows:
        print(
            f"{r['Name'][:20]:<20}{int(r['Request Count']):>8}{int(r['Failure Count']):>8}"
            f"{float(r['Requests/s']):>9.1f}{r['50%']:>9}{r['99%']:>9}"
        )


def main() -> None:
    run, users, workers = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    print()
    print(
        f"Load test: {users} locust users, gunicorn {workers} sync workers, production "
        f"settings, PostgreSQL; machine: {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    print("\nQuiet (a coach and an employee, one request at a time each), server time (log):")
    for name, times in server_times(run / "quiet.log").items():
        if times:
            wall = sorted(t for t, _ in times)
            cpu = statistics.median(c for _, c in times)
            print(
                f"  {name:<12} median {statistics.median(wall):7.1f} ms   "
                f"p90 {wall[int(len(wall) * 0.9)]:7.1f} ms   app CPU median {cpu:6.1f} ms   "
                f"({len(times)} requests)"
            )
    rows = locust_rows(run / "mix_stats.csv")
    if not rows:
        print("\nno locust results: see", run / "mix.out")
        print((run / "mix.out").read_text()[-3000:] if (run / "mix.out").exists() else "")
        return
    print("\nThe mix (a coach's day), client side:")
    table([r for r in rows if r["Name"] != "Aggregated"])
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(
        f"\nTOTAL {int(total['Request Count'])} requests, {float(total['Requests/s']):.1f} req/s, "
        f"p50 {total['50%']} ms, p99 {total['99%']} ms, errors {int(total['Failure Count'])}"
    )
    rates = {}
    # The named rows: the caseload phase also signs its users in first.
    for phase, name in (("signin", "sign-in page"), ("caseload", "caseload")):
        found = [r for r in locust_rows(run / f"{phase}_stats.csv") if r["Name"] == name]
        if found:
            rates[phase] = float(found[0]["Requests/s"])
    if len(rates) == 2 and rates["signin"]:
        print(
            f"caseload alone {rates['caseload']:.1f} req/s, sign-in page alone "
            f"{rates['signin']:.1f} req/s: ratio {rates['caseload'] / rates['signin']:.2f}"
        )
    # The same from the server's log, the caseload counted once its users have signed in.
    mix, signin, everything = (log_lines(run / n) for n in ("mix.log", "signin.log", "all.log"))
    page = steady_rate(_requests(signin[len(mix) :]), "/aanmelden/")
    listed = steady_rate(_requests(everything[len(signin) :]), "/trajecten/")
    if page and listed and page[0]:
        print(
            f"server log, after the sign-ins: caseload {listed[0]:.1f} req/s ({listed[1]}), "
            f"sign-in page {page[0]:.1f} req/s ({page[1]}): ratio {listed[0] / page[0]:.2f}"
        )
    failures = locust_rows(run / "mix_failures.csv")
    for f in failures[:10]:
        print(f"  error: {f['Method']} {f['Name']}: {f['Error'][:150]} ({f['Occurrences']}x)")


if __name__ == "__main__":
    main()
