# Terugkeer: `make demo` starts the demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: demo serve test test-setup test-sqlite test-postgres test-replica test-bigimport lint setup bench bench-reports bench-daily bench-scale loadtest screenshots axe clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# The real OpenID Connect provider the SSO tests start (tests/sso/provider: panva's
# oidc-provider, pinned in its package-lock.json; needs Node >= 20.12).
SSO_PROVIDER := tests/sso/provider
$(SSO_PROVIDER)/node_modules/.package-lock.json: $(SSO_PROVIDER)/package-lock.json
	npm ci --prefix $(SSO_PROVIDER) --no-audit --no-fund --silent

# The demo needs only Python; the tests also need the provider (Node and npm).
setup: $(VENV)/.installed

test-setup: setup $(SSO_PROVIDER)/node_modules/.package-lock.json

# The task worker (imports from the page, digests) runs beside the server; Ctrl+C stops both.
demo: setup
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py demo_data
	@echo ""
	@echo "Terugkeer draait op http://127.0.0.1:$(PORT)/  (stoppen met Ctrl+C)"
	DEBUG=1 $(PY) manage.py run_tasks --no-reload -v0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		DEBUG=1 TERUGKEER_MFA_REQUIRED=0 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The demo data served as in production: gunicorn (gunicorn.conf.py), production settings, on
# loopback over plain HTTP without the HTTPS redirect (a local run has no TLS proxy in front;
# browsers accept the secure cookies on 127.0.0.1). Health: /health/live and /health/ready.
serve: setup
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py demo_data
	export TERUGKEER_PRODUCTION=1 DEBUG=0 SECURE_SSL_REDIRECT=0 TERUGKEER_MFA_REQUIRED=0 \
		SECRET_KEY=$${SECRET_KEY:-local-serve-only-$$(hostname)-not-for-real-use-0123456789}; \
		$(PY) manage.py collectstatic --noinput -v0 && \
		{ $(PY) manage.py run_tasks --no-reload -v0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		GUNICORN_BIND=127.0.0.1:$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py; }

# Every test: ruff, then the suite on SQLite, then on PostgreSQL (a throwaway cluster, or
# DATABASE_URL when given), then the reports on a real streaming replica (under a minute).
test: setup lint test-sqlite test-postgres test-replica

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-sqlite: test-setup
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run -v0
	env -u DATABASE_URL TERUGKEER_VAR_DIR=$$(mktemp -d) $(PY) -m pytest

test-postgres: test-setup
	bash scripts/with-postgres.sh $(PY) -m pytest -m "not browser"

# Report and dashboard reads on a PostgreSQL streaming replica: a primary and a hot standby
# made by pg_basebackup -R, both throwaway, on loopback (terugkeer/replica.py).
test-replica: setup
	bash scripts/with-replica.sh env TERUGKEER_VAR_DIR=$$(mktemp -d) $(PY) -m pytest tests/reports/test_replica.py

# The 100,000-row import through the browser with the real task worker (a few minutes; not in
# `make test`).
test-bigimport: setup
	env -u DATABASE_URL TERUGKEER_VAR_DIR=$$(mktemp -d) $(PY) -m pytest -m bigimport tests/browser/test_big_import.py

# The benchmarks (figures in docs/performance.md). bench-reports fills a throwaway PostgreSQL
# with 250,000 employees first (a few minutes).
bench: setup
	$(PY) bench/bench_rules.py
	$(PY) bench/bench_import.py
	bash scripts/with-postgres.sh $(PY) bench/bench_import.py

bench-reports: setup
	bash scripts/with-postgres.sh bash -c '$(PY) manage.py migrate -v0 && $(PY) bench/generate.py && $(PY) bench/bench_reports.py --rounds 5'

# The daily refresh_trajectories on the same generated data: the set-based path against
# absence_attach one by one (1,000 + 1,000 employees, rolled back), the catch-up after the bulk
# load, two steady-state days and a profile (bench/bench_daily.py; to run it against a copy of
# existing data: DATABASE_URL=... $(PY) bench/bench_daily.py).
# Issue 19's figures in one run on the full-scale data: the rules engine, then a throwaway
# PostgreSQL filled by bench/generate.py (250,000 employees) for the first report production,
# the daily run (catch-up and steady state, compared with the old path on a sample), the pages'
# server times and the load test (docs/performance.md). About 10 minutes on 2 cores.
bench-scale: setup .venv-loadtest/.installed
	$(PY) bench/bench_rules.py
	bash scripts/with-postgres.sh bash -c '$(PY) manage.py migrate -v0 && $(PY) bench/generate.py && $(PY) bench/bench_reports.py --rounds 5 && $(PY) bench/bench_daily.py --compare-employees 100 && $(PY) bench/bench_pages.py && PY=$(PY) LOCUST=.venv-loadtest/bin/locust bash scripts/loadtest.sh'

bench-daily: setup
	bash scripts/with-postgres.sh bash -c '$(PY) manage.py migrate -v0 && $(PY) bench/generate.py && $(PY) bench/bench_daily.py --profile'

# The screenshots in docs/screenshots/ (README, docs/) and the user guides' in docs/guide/img/:
# the demo in a throwaway database, served on loopback by the script itself and photographed
# with Playwright on Debian's chromium.
screenshots: setup
	$(PY) scripts/screenshots.py

# The load test (bench/locustfile.py, a coach's day) against gunicorn with production settings
# on a throwaway PostgreSQL filled by bench/generate.py (EMPLOYEES=20000 by default; 250000 is
# the full scale, a few minutes more), 127.0.0.1 only, bounded by DURATION and MAX_REQUESTS.
# locust lives in its own virtualenv (bench/requirements-loadtest.txt).
.venv-loadtest/.installed: bench/requirements-loadtest.txt
	$(PYTHON) -m venv .venv-loadtest
	.venv-loadtest/bin/pip install -q -r bench/requirements-loadtest.txt
	touch $@

loadtest: setup .venv-loadtest/.installed
	PY=$(PY) LOCUST=.venv-loadtest/bin/locust bash scripts/loadtest.sh

# The accessibility evaluation (docs/accessibility.md): axe on every main page of every demo
# role, and the contrast of the stylesheet's colour pairs.
axe: setup
	$(PY) scripts/contrast.py
	$(PY) scripts/axe.py

clean:
	rm -rf $(VENV) .venv-loadtest var
