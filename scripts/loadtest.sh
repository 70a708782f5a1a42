#!/usr/bin/env bash
# make loadtest: a coach's day (bench/locustfile.py) against gunicorn with production settings on
# PostgreSQL, on 127.0.0.1 only, bounded in time and in requests; prints req/s, p50/p99, errors
# and the quiet server times of the caseload, a trajectory and the portal (bench/loadtest_report.py).
#
# DATABASE_URL: use that database (filled by bench/generate.py if it has no employees yet);
# else a throwaway PostgreSQL cluster (scripts/with-postgres.sh). Knobs (environment):
# EMPLOYEES (generated when empty, default 20000; the full scale is 250000), USERS (20),
# DURATION (60s), MAX_REQUESTS (100000), QUIET (20s), RATIO (20s), WORKERS (gunicorn, default cores + 1),
# PORT (8199).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DATABASE_URL:-}" ]; then
  exec bash scripts/with-postgres.sh bash "$0" "$@"
fi
PY="${PY:-.venv/bin/python}"
LOCUST="${LOCUST:-.venv-loadtest/bin/locust}"
GUNICORN="${GUNICORN:-$(dirname "$PY")/gunicorn}"
PORT="${PORT:-8199}"
USERS="${USERS:-20}"
host="http://127.0.0.1:$PORT"
var="$(mktemp -d /tmp/terugkeer-loadtest.XXXXXX)"
export TERUGKEER_VAR_DIR="$var"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$var"
}
trap cleanup EXIT

"$PY" manage.py migrate --noinput -v0
if [ "$("$PY" manage.py shell -v0 -c 'from terugkeer.organisations.models import Employee; print(Employee.objects.exists())')" != "True" ]; then
  "$PY" bench/generate.py --employees "${EMPLOYEES:-20000}"
fi
"$PY" bench/loadtest_setup.py "$var/loadtest.json"

# Production settings, as `make serve`; MFA off (scripted sign-in), the API's per-key rate
# limit out of the way (the API client here is one key making as many calls as it can).
export TERUGKEER_PRODUCTION=1 DEBUG=0 TERUGKEER_MFA_REQUIRED=0 TERUGKEER_LOG_FORMAT=json
export TERUGKEER_API_RATE_PER_MINUTE=100000000 AXES_FAILURE_LIMIT=1000
export SECRET_KEY="loadtest-only-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-0123456789abcdef"
export GUNICORN_BIND="127.0.0.1:$PORT"
[ -n "${WORKERS:-}" ] && export GUNICORN_WORKERS="$WORKERS"
"$PY" manage.py collectstatic --noinput -v0
"$GUNICORN" -c gunicorn.conf.py 2>"$var/server.log" &
server=$!
ready() { "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' "$host/health/ready" 2>/dev/null; }
for _ in $(seq 1 100); do
  ready && break
  sleep 0.3
done
ready || { echo "loadtest: the server did not get ready" >&2; tail -20 "$var/server.log" >&2; exit 1; }

export LOADTEST_CONFIG="$var/loadtest.json"
run() {  # run NAME USERS DURATION MAX [user classes...]
  local name="$1" users="$2" duration="$3" max="$4"
  shift 4
  LOADTEST_MAX_REQUESTS="$max" "$LOCUST" -f bench/locustfile.py --headless --only-summary \
    --host "$host" -u "$users" -r "$users" -t "$duration" --stop-timeout 5 \
    --csv "$var/$name" --loglevel WARNING "$@" >"$var/$name.out" 2>&1 || true
}
# 1. Quiet: one coach and one employee, each one request at a time; server times from the JSON request log.
run quiet 2 "${QUIET:-20s}" 2000 Coach Employee
cp "$var/server.log" "$var/quiet.log"
# 2. The mix, as many requests as the server takes.
run mix "$USERS" "${DURATION:-60s}" "${MAX_REQUESTS:-100000}" Coach Employee Rapporteur ApiClient
cp "$var/server.log" "$var/mix.log"
# 3. The caseload against the sign-in page, same users and time each.
run signin "$USERS" "${RATIO:-20s}" 100000 SignInPageOnly
cp "$var/server.log" "$var/signin.log"
run caseload "$USERS" "${RATIO:-20s}" 100000 CaseloadOnly
cp "$var/server.log" "$var/all.log"
"$PY" bench/loadtest_report.py "$var" "$USERS" "${WORKERS:-cores + 1}"
