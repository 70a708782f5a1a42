# Terugkeer: `make demo` starts the demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: demo serve test test-sqlite test-postgres test-bigimport lint setup bench bench-reports clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

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
	TERUGKEER_PRODUCTION=1 DEBUG=0 $(PY) manage.py collectstatic --noinput -v0
	TERUGKEER_PRODUCTION=1 DEBUG=0 SECURE_SSL_REDIRECT=0 TERUGKEER_MFA_REQUIRED=0 \
		SECRET_KEY=$${SECRET_KEY:-local-serve-only-$$(hostname)-not-for-real-use-0123456789} \
		GUNICORN_BIND=127.0.0.1:$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py

# Every test: ruff, then the suite on SQLite, then on PostgreSQL (a throwaway cluster, or
# DATABASE_URL when given).
test: setup lint test-sqlite test-postgres

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-sqlite: setup
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run -v0
	env -u DATABASE_URL TERUGKEER_VAR_DIR=$$(mktemp -d) $(PY) -m pytest

test-postgres: setup
	bash scripts/with-postgres.sh $(PY) -m pytest -m "not browser"

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

clean:
	rm -rf $(VENV) var
