# Terugkeer: `make demo` starts the demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: demo serve test test-sqlite test-postgres lint setup bench bench-reports screenshots axe clean

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

setup: $(VENV)/.installed $(SSO_PROVIDER)/node_modules/.package-lock.json

demo: setup
	mkdir -p var
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py demo_data
	@echo ""
	@echo "Terugkeer draait op http://127.0.0.1:$(PORT)/  (stoppen met Ctrl+C)"
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

# The benchmarks (figures in docs/performance.md). bench-reports fills a throwaway PostgreSQL
# with 250,000 employees first (a few minutes).
bench: setup
	$(PY) bench/bench_rules.py
	$(PY) bench/bench_import.py
	bash scripts/with-postgres.sh $(PY) bench/bench_import.py

bench-reports: setup
	bash scripts/with-postgres.sh bash -c '$(PY) manage.py migrate -v0 && $(PY) bench/generate.py && $(PY) bench/bench_reports.py --rounds 5'

# The screenshots in docs/screenshots/ (README, docs/) and the user guides' in docs/guide/img/:
# the demo in a throwaway database, served on loopback by the script itself and photographed
# with Playwright on Debian's chromium.
screenshots: setup
	$(PY) scripts/screenshots.py

# The accessibility evaluation (docs/accessibility.md): axe on every main page of every demo
# role, and the contrast of the stylesheet's colour pairs.
axe: setup
	$(PY) scripts/contrast.py
	$(PY) scripts/axe.py

clean:
	rm -rf $(VENV) var
