"""Terugkeer settings: one file, read from the environment.

Everything that differs between a demo, a test run and production comes from an environment
variable; the defaults give a working demo on an embedded SQLite database under var/.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TERUGKEER_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Production mode: TERUGKEER_PRODUCTION=1 turns on every transport and cookie hardening.
PRODUCTION = env_bool("TERUGKEER_PRODUCTION", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set in production")
    SECRET_KEY = "insecure-demo-key-only-for-local-use-" + "x" * 20  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "terugkeer.accounts.admin_apps.TerugkeerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "terugkeer.accounts",
    "terugkeer.sso",
    "terugkeer.organisations",
    "terugkeer.toolbox",
    "terugkeer.onboarding",
    "terugkeer.trajectories",
    "terugkeer.audit",
    "terugkeer.privacy",
    "terugkeer.reports",
    "terugkeer.backups",
    "terugkeer.portal",
    "terugkeer.imports",
    "terugkeer.api",
    "terugkeer.smt",
    "ninja",
]

MIDDLEWARE = [
    # First: the request id is on every log line of the request, the duration covers it all.
    "terugkeer.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Everything past the static files: no-store (personal data), see accounts/no_store.py.
    "terugkeer.accounts.no_store.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "terugkeer.accounts.session_refresh.SessionRefreshMiddleware",
    "terugkeer.accounts.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A session from an organisation's provider: its ID token's lifetime, its second factor.
    "terugkeer.sso.middleware.ProviderSessionMiddleware",
    "terugkeer.accounts.mfa.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "terugkeer.audit.middleware.RequestContextMiddleware",
    "terugkeer.replica.ReplicaReadsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "terugkeer.urls"
WSGI_APPLICATION = "terugkeer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "terugkeer.accounts.context_processors.navigation",
                "terugkeer.help.context_processors.page_help",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'terugkeer.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server and the task worker read while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A PostgreSQL streaming replica for the reports and the dashboard (terugkeer/replica.py,
# docs/scaling.md); without it, or while it is unreachable, everything reads the primary.
if os.environ.get("TERUGKEER_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["TERUGKEER_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
    # The replica serves only the reports' aggregates: no JIT, memory for their hash
    # aggregates (what compute.no_jit sets per transaction on the primary).
    DATABASES["replica"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c work_mem=32MB"
    # Tests read the test database through the replica (it streams the primary's).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["terugkeer.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The event index carries extra columns (INCLUDE) for index-only scans on PostgreSQL; SQLite
# ignores them, which is fine for the demo.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, refused when the user's organisation switched passwords off.
    "terugkeer.sso.backends.PasswordBackend",
    # Named only at login() after a verified ID token (terugkeer/sso, docs/sso.md).
    "terugkeer.sso.backends.ProviderBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # A breached-password list shipped as data, patterns and our own names (docs/access.md).
    {"NAME": "terugkeer.accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "terugkeer.accounts.passwords.PredictablePasswordValidator"},
]
# A reset link works once (the token hashes the password and the last sign-in) and for an hour.
PASSWORD_RESET_TIMEOUT = 60 * 60
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# A cache shared by every worker and node (the API rate limit, the attention count): Django's
# database cache, its table made by the migration accounts 0004. TERUGKEER_CACHE=locmem keeps
# it in each process (one process only, e.g. a quick local run).
if os.environ.get("TERUGKEER_CACHE", "database") == "locmem":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "terugkeer_cache",
        }
    }

# Sessions end after 30 minutes without activity (a setting: SESSION_IDLE_MINUTES).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
# Not on every request: accounts/session_refresh.py moves the expiry at most once a minute.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lockout against password guessing: 5 failures lock the username+address for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "static/"
# The user guides' screenshots (docs/guide/img/, made by `make screenshots`) are shown by the
# in-app help too: served from the same folder, no copy to keep in step.
STATICFILES_DIRS = [BASE_DIR / "static", ("guide/img", BASE_DIR / "docs" / "guide" / "img")]
STATIC_ROOT = VAR_DIR / "static"
# Uploaded files (import files between the dry run and the confirmation) must be seen by every
# app node: with several nodes, TERUGKEER_MEDIA_ROOT on a shared volume, or another storage
# backend (TERUGKEER_FILE_STORAGE, e.g. an object store's); docs/scaling.md.
MEDIA_ROOT = Path(os.environ.get("TERUGKEER_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "TERUGKEER_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "terugkeer@localhost")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Content-Security-Policy: no inline script anywhere; htmx is served from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The load balancer's health checks may come over plain HTTP on the internal network.
    SECURE_REDIRECT_EXEMPT = [r"^health/"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Terugkeer's own settings.
TERUGKEER = {
    # Closed trajectories are anonymised after this many days (default 5 years, docs/privacy.md).
    "RETENTION_DAYS": int(os.environ.get("TERUGKEER_RETENTION_DAYS", str(5 * 365))),
    "AUDIT_RETENTION_DAYS": int(os.environ.get("TERUGKEER_AUDIT_RETENTION_DAYS", str(10 * 365))),
    # Uploaded import files of dry runs never confirmed are deleted after this many days.
    "IMPORT_UPLOAD_DAYS": int(os.environ.get("TERUGKEER_IMPORT_UPLOAD_DAYS", "7")),
    # The largest file the import page accepts (imports run in the background, docs/import.md).
    "IMPORT_MAX_MB": int(os.environ.get("TERUGKEER_IMPORT_MAX_MB", "500")),
    # Report cells below this count are suppressed.
    "SUPPRESSION_THRESHOLD": int(os.environ.get("TERUGKEER_SUPPRESSION_THRESHOLD", "5")),
    # An entity with fewer employees gets no report of its own: its figures count in its policy
    # domain and organisation only (docs/reports.md, "Minimum entity size"). 0: every entity.
    "REPORT_MIN_ENTITY_EMPLOYEES": int(
        os.environ.get("TERUGKEER_REPORT_MIN_ENTITY_EMPLOYEES", "100")
    ),
    "PAGE_SIZE": 25,
    # Absences and events dated before 1 January of this year are refused as typing errors
    # (terugkeer/trajectories/dates.py); so are dates more than a year ahead.
    "EARLIEST_YEAR": int(os.environ.get("TERUGKEER_EARLIEST_YEAR", "2000")),
    # A return to work may be registered ahead, as agreed, up to this many days in the future;
    # it shows as planned and switches the obligations on its day (other events: tomorrow).
    "RETURN_HORIZON_DAYS": int(os.environ.get("TERUGKEER_RETURN_HORIZON_DAYS", "90")),
    # Two-factor sign-in for every role that sees a named dossier, SMT and functioneel beheerder
    # (accounts/mfa.py). The demo (make demo) turns it off so that anyone can try every role;
    # production keeps it on.
    "MFA_REQUIRED": env_bool("TERUGKEER_MFA_REQUIRED", True),
    # API calls per key per minute (counted in Django's cache; see docs/api.md).
    "API_RATE_PER_MINUTE": int(os.environ.get("TERUGKEER_API_RATE_PER_MINUTE", "600")),
    # The site's address, for links in the daily digest e-mail (send_digests).
    "BASE_URL": os.environ.get("TERUGKEER_BASE_URL", "http://127.0.0.1:8000"),
    # manage.py backup (docs/operations.md): where dumps go, and the passphrase that encrypts
    # them (GnuPG, AES-256), given directly or as a file that holds it. No key: unencrypted.
    "BACKUP_DIR": os.environ.get("TERUGKEER_BACKUP_DIR", str(VAR_DIR / "backups")),
    "BACKUP_KEY": os.environ.get("TERUGKEER_BACKUP_KEY", ""),
    "BACKUP_KEY_FILE": os.environ.get("TERUGKEER_BACKUP_KEY_FILE", ""),
    # pg_dump / pg_restore of this directory first (else the newest /usr/lib/postgresql/*/bin).
    "PG_BINDIR": os.environ.get("TERUGKEER_PG_BINDIR", ""),
    # Clock skew tolerated on an ID token's exp/iat from an organisation's provider (docs/sso.md).
    "OIDC_LEEWAY_SECONDS": int(os.environ.get("TERUGKEER_OIDC_LEEWAY_SECONDS", "60")),
}

# Logs on standard error: one JSON object per line in production (TERUGKEER_LOG_FORMAT=json),
# each with the request's id, and one line per request on terugkeer.request (terugkeer/logs.py).
LOG_FORMAT = os.environ.get("TERUGKEER_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "terugkeer.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "terugkeer.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "terugkeer.request": {
            "level": os.environ.get(
                "TERUGKEER_REQUEST_LOG_LEVEL", "INFO" if LOG_FORMAT == "json" else "WARNING"
            )
        }
    },
}
