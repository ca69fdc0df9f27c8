"""Wangge settings. Everything that differs between machines is read from the environment.

See docs/operations.md for the variables. Nothing secret is committed: the secret key and the
field-encryption key come from the environment, or from files under var/ created on first start.
"""

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.urls import reverse_lazy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WANGGE_VAR_DIR", BASE_DIR / "var"))


def _env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret(name: str, nbytes: int) -> str:
    """A secret from the environment, else from var/<name>, created once with random content."""
    if os.environ.get(name):
        return os.environ[name]
    path = VAR_DIR / name.lower()
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(nbytes))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_flag("WANGGE_DEBUG")
HTTPS = _env_flag("WANGGE_HTTPS")
SECRET_KEY = _secret("WANGGE_SECRET_KEY", 50)
# Key for ID numbers and phones at rest (AES-GCM) and their blind indexes (HMAC). Losing it loses
# those fields: back it up with the database (docs/operations.md).
FIELD_ENCRYPTION_KEY = _secret("WANGGE_FIELD_KEY", 32)
ALLOWED_HOSTS = os.environ.get("WANGGE_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("WANGGE_CSRF_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "wangge.core",
    "wangge.regions",
    "wangge.people",
    "wangge.accounts",
    "wangge.measures",
    "wangge.testing",
    "wangge.command",
    "wangge.checkpoints",
    "wangge.devices",
    "wangge.teams",
    "wangge.supplies",
    "wangge.notify",
    "wangge.colours",
    "wangge.venues",
    "wangge.residents",
    "wangge.sweeps",
    "wangge.tracing",
    "wangge.reports",
    "wangge.front",
    "wangge.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wangge.core.csp.CSPMiddleware",
    "wangge.accounts.middleware.PasswordChangeRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wangge.urls"
WSGI_APPLICATION = "wangge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "wangge" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wangge.core.context_processors.navigation",
            ],
        },
    },
]

# Database: the embedded SQLite file by default, PostgreSQL when DATABASE_URL says so.
DEFAULT_SQLITE_PATH = VAR_DIR / "wangge.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN, so a
    # transaction never fails half-way with "database is locked"; the timeout makes writers queue.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# PostgreSQL connections (docs/operations.md, "Connection pool and read replica").
# WANGGE_DB_POOL_MAX > 0 gives each process a psycopg pool of WANGGE_DB_POOL_MIN..MAX connections,
# held by a request or a task only while it runs (Django requires CONN_MAX_AGE 0 with a pool);
# 0, the default, keeps one persistent connection per thread (CONN_MAX_AGE above).
# DATABASE_REPLICA_URL adds the "replica" alias, a streaming standby that only the reads a view
# opts into reach (wangge/core/replica.py); in tests it mirrors the primary's test database.
DB_POOL_MAX = int(os.environ.get("WANGGE_DB_POOL_MAX", "0"))
DB_POOL_MIN = min(int(os.environ.get("WANGGE_DB_POOL_MIN", "1")), DB_POOL_MAX)
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
for _database in DATABASES.values():
    if DB_POOL_MAX and _database["ENGINE"] == "django.db.backends.postgresql":
        _database["CONN_MAX_AGE"] = 0
        _database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": DB_POOL_MIN,
            "max_size": DB_POOL_MAX,
            "timeout": float(os.environ.get("WANGGE_DB_POOL_TIMEOUT", "10")),
        }
DATABASE_ROUTERS = ["wangge.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "wangge.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "wangge.accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "front:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# 等保2.0: lock after 5 failures; sessions end after 30 minutes without a request.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
# Lock the account, not the address: a command centre's staff share one NAT address, and five typos
# by five colleagues must not lock them all out (hence axes.W006 is silenced).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Renders the locked-out template with the time the user may try again.
AXES_LOCKOUT_CALLABLE = "wangge.accounts.views.locked_out"
AXES_VERBOSE = False
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Content-Security-Policy (docs/adr/0008-content-security-policy.md): scripts from our own origin
# only, no inline script or handler, no eval. Sent report-only until WANGGE_CSP_ENFORCE=1; the
# browser reports what it refused (or would refuse) to core.csp.csp_report, which logs it.
# Style attributes stay allowed (data-driven colours, ECharts, Swagger UI); <style> elements do not.
CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "style-src-attr": ["'unsafe-inline'"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [NONE],
    "form-action": [SELF],
    "report-uri": reverse_lazy("csp-report"),
    "report-to": "csp-endpoint",
}


def _tile_source(template: str) -> list[str]:
    """The CSP source of a map tile URL template: its origin, `t{s}.example.cn` as `*.example.cn`."""
    if not template:
        return []
    scheme, _, rest = template.partition("://")
    host = rest.split("/", 1)[0]
    if "{" in host.split(".", 1)[0]:
        host = "*." + host.split(".", 1)[1]
    return [f"{scheme}://{host}"]


CSP_DIRECTIVES["img-src"] = [
    SELF,
    "data:",
    "blob:",
    *_tile_source(os.environ.get("WANGGE_MAP_TILES", "")),
]
CSP_ENFORCE = _env_flag("WANGGE_CSP_ENFORCE")
if CSP_ENFORCE:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CSP_DIRECTIVES}
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "wangge" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "wangge" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Background work: huey. Embedded (SQLite file, no server) by default; Redis for many workers.
TASKS_BACKEND = os.environ.get("WANGGE_TASKS", "sqlite")
if TASKS_BACKEND == "redis":
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "wangge",
        "url": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "immediate": False,
        "consumer": {
            "workers": int(os.environ.get("WANGGE_TASK_WORKERS", "2")),
            "worker_type": "thread",
        },
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "wangge",
        "filename": str(VAR_DIR / "tasks.sqlite3"),
        "immediate": _env_flag("WANGGE_TASKS_IMMEDIATE"),
        "consumer": {
            "workers": int(os.environ.get("WANGGE_TASK_WORKERS", "2")),
            "worker_type": "thread",
        },
    }

# Django's cache (today the CSP reports' per-address counter) is shared by every process of the
# site, never kept in one (docs/architecture.md, "No state in a process"): Redis with the Redis queue
# (several app servers), else the database's core.CacheEntry table (`make run` has 2 web workers).
CACHES: dict[str, dict[str, Any]]
if TASKS_BACKEND == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            "KEY_PREFIX": "wangge:cache",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "wangge_cache",
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wangge.accounts.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "wangge.core.api_parsers.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "EXCEPTION_HANDLER": "wangge.core.api.exception_handler",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "wangge.core.api.ApiSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wangge API",
    "DESCRIPTION": "网格 — the neighbourhood-grid registry and its capabilities. Every list is scoped to "
    "the caller's roles and areas; ID numbers and phones are masked.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the drf-spectacular-sidecar package, served by the app: intranets have no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DeviceKindEnum": "wangge.devices.models.Device.Kind",
        "DeviceAlertKindEnum": "wangge.devices.models.DeviceAlert.Kind",
        "CommunityKindEnum": "wangge.regions.models.Community.Kind",
        "HouseholdKindEnum": "wangge.regions.models.Household.Kind",
        "VerificationResultEnum": "wangge.command.models.VerificationRow.Result",
        "MeasureTestResultEnum": "wangge.measures.models.MeasureTest.Result",
        "HealthCodeColourEnum": "wangge.measures.models.CodeColour",
        "LabOutcomeEnum": "wangge.testing.models.results.Outcome",
        "HouseholdColourEnum": "wangge.regions.choices.HouseholdColour",
        "AreaRiskColourEnum": "wangge.regions.choices.AreaRiskColour",
        "ZoneKindEnum": "wangge.regions.choices.ZoneKind",
        "CaseKindEnum": "wangge.measures.models.Case.Kind",
        "RegistrationStatusEnum": "wangge.residents.models.Registration.Status",
        "RequestStatusEnum": "wangge.residents.models.RequestStatus",
        "RequestKindEnum": "wangge.residents.models.RequestKind",
        "RequestLevelEnum": "wangge.residents.models.RequestLevel",
        "SelfTestResultEnum": "wangge.residents.models.SelfTest.Result",
        "NoticeLevelEnum": "wangge.residents.models.Notice.Level",
        "DoorKindEnum": "wangge.checkpoints.models.doors.DoorController.Kind",
        "CallKindEnum": "wangge.teams.models.calls.CallKind",
        "CallAnswerEnum": "wangge.teams.models.calls.Answer",
        "SkillEnum": "wangge.teams.models.Skill",
        "TeamKindEnum": "wangge.teams.models.TeamKind",
        "TeamColourEnum": "wangge.teams.models.TeamColour",
        "MemberStatusEnum": "wangge.teams.models.MemberStatus",
        "MemberSourceEnum": "wangge.teams.models.MemberSource",
        "CareReasonEnum": "wangge.teams.models.care.CareReason",
        "WelfareCallOutcomeEnum": "wangge.teams.models.care.CallOutcome",
        "CampaignStatusEnum": "wangge.sweeps.models.CampaignStatus",
        "SweepVisitStatusEnum": "wangge.sweeps.models.VisitStatus",
        "NeedKindEnum": "wangge.supplies.models.NeedKind",
        "NeedStatusEnum": "wangge.supplies.models.NeedStatus",
        "NeedHandoverEnum": "wangge.supplies.models.Handover",
        "AttemptResultEnum": "wangge.sweeps.models.AttemptResult",
        "SupplyItemCategoryEnum": "wangge.supplies.models.ItemCategory",
        "SupplyPickingEnum": "wangge.supplies.models.PickingMode",
        "SupplyPlaceKindEnum": "wangge.supplies.models.PlaceKind",
        "SupplyMoveKindEnum": "wangge.supplies.models.MoveKind",
        "SupplyRecipientKindEnum": "wangge.supplies.models.RecipientKind",
        "SupplyWriteOffReasonEnum": "wangge.supplies.models.WriteOffReason",
    },
}

# Rules that operators tune; durations live here, not scattered in code.
WANGGE: dict[str, Any] = {
    # Tracing (docs/tracing.md): the index case's scans and venue visits from this many days before
    # its report to the end of the report's day are the seeds of the co-location search.
    "TRACE_LOOKBACK_DAYS": 14,
    # The window around each of the case's own rows, per kind of place: a scan at a checkpoint, a
    # visit to a venue (|Δt| ≤ window). A trace run with a window of its own uses it for both.
    "TRACE_WINDOW_MINUTES": {"checkpoint": 30, "venue": 30},
    # Co-residents are the household's members; with this on, also the persons of the other
    # households of the same unit (building and 单元: one stairwell, one lift).
    "TRACE_CO_RESIDENTS_SAME_UNIT": False,
    # A trace stops with a message beyond this many co-location pairs of one kind of place (the
    # pieces of evidence): at a city's peak the second hop reaches ~10^8 (docs/performance.md).
    "TRACE_MAX_PAIRS": 500_000,
    # ... and the second hop is not traced from more first-hop persons than this (its seeds would
    # be all their rows of the lookback): staff narrow the window or trace one hop first.
    "TRACE_MAX_SECOND_HOP_SEEDS": 2_000,
    # Spreadsheet uploads (docs/operations.md): parsed in a child process limited to this much
    # address space; refused before parsing beyond these declared or real sizes.
    "SHEET_PARSER_MEMORY_BYTES": int(
        os.environ.get("WANGGE_SHEET_PARSER_MEMORY_BYTES", str(4 * 1024**3))
    ),
    "SHEET_MAX_ROWS": 1_048_576,
    "SHEET_MAX_COLUMNS": 256,
    "SHEET_MAX_CELLS": 20_000_000,
    # Lower cell limits per kind of import. A verification list is answered by reopening the upload
    # with openpyxl in the web process (to keep its template), so its size bounds that process; an
    # upstream template (一表通) is a form of a few hundred rows, edited with lxml in the web process.
    "SHEET_MAX_CELLS_BY_KIND": {"verification": 2_000_000, "upstream_template": 1_000_000},
    # A 500,000-row, 20-column roster's sheet XML inflates to about 560 MB (docs/performance.md).
    "SHEET_MAX_MEMBER_BYTES": 1024**3,
    # Largest upload per kind of import; "default" for the kinds not listed.
    "UPLOAD_MAX_BYTES": {
        "roster": 200 * 1024**2,
        "lab": 200 * 1024**2,
        "verification": 50 * 1024**2,
        "staff": 10 * 1024**2,
        "upstream_template": 5 * 1024**2,
        "default": 50 * 1024**2,
    },
    # Jobs (docs/adr/0012-job-lifecycle.md). A job this small for its kind runs in the caller's
    # process (the request, the command); a larger one by the task worker, with a progress bar.
    # Each kind in its own measure: rows of a roster, bytes of a lab file.
    "JOB_INLINE_MAX": {
        "roster.preview": int(os.environ.get("WANGGE_IMPORT_INLINE_MAX_ROWS", "2000")),
        "roster.import": int(os.environ.get("WANGGE_IMPORT_INLINE_MAX_ROWS", "2000")),
        "lab.import": 2 * 1024 * 1024,
        # A verification list is answered by reopening its upload in the web process, so small.
        "verification.import": 512 * 1024,
        # Staff imports hash a password per new account (a fifth of a second each): always queued.
        "staff.import": 0,
        # Venue files are imported by the worker, with a progress bar (the command line waits).
        "venues.import": 0,
        # Exports, in rows written: a small one is ready when the page shows, a larger one polls.
        "people.roster": int(os.environ.get("WANGGE_EXPORT_INLINE_MAX_ROWS", "5000")),
        "testing.untested": int(os.environ.get("WANGGE_EXPORT_INLINE_MAX_ROWS", "5000")),
        "command.verification": int(os.environ.get("WANGGE_EXPORT_INLINE_MAX_ROWS", "5000")),
        "checkpoints.roster": int(os.environ.get("WANGGE_EXPORT_INLINE_MAX_ROWS", "5000")),
        "venues.register": int(os.environ.get("WANGGE_EXPORT_INLINE_MAX_ROWS", "5000")),
        "supplies.ledger": int(os.environ.get("WANGGE_EXPORT_INLINE_MAX_ROWS", "5000")),
        "tracing.case": int(os.environ.get("WANGGE_EXPORT_INLINE_MAX_ROWS", "5000")),
    },
    # An export's file is downloadable by its owner this long, then deleted (core.tasks.exports_purge).
    "EXPORT_RETENTION_HOURS": int(os.environ.get("WANGGE_EXPORT_RETENTION_HOURS", "24")),
    # A worker holds a running job this long unless its heartbeat (every JOB_HEARTBEAT_SECONDS)
    # renews it; then the reaper (every minute) gives the job to another worker, at most
    # JOB_MAX_ATTEMPTS runs in all.
    "JOB_LEASE_SECONDS": int(os.environ.get("WANGGE_JOB_LEASE_SECONDS", "120")),
    "JOB_HEARTBEAT_SECONDS": float(os.environ.get("WANGGE_JOB_HEARTBEAT_SECONDS", "20")),
    "JOB_MAX_ATTEMPTS": 3,
    "API_TOKEN_DAYS": 365,
    # Phone numbers are read as numbers of this region (phonenumbers' region code).
    "PHONE_REGION": os.environ.get("WANGGE_PHONE_REGION", "CN"),
    "REVEAL_REASON_REQUIRED": True,
    # Read alerts are deleted this long after they were read (core.tasks.alerts_purge_read).
    "ALERT_RETENTION_DAYS": 90,
    # Command centre (docs/command.md). A missed task stage alerts the assignee's superior at once,
    # then the issuer this much later if the stage is still missed.
    "TASK_ISSUER_ESCALATION_SECONDS": 600,
    # Largest attachment or photo on a task or a feedback.
    "TASK_ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
    # Photos (core/photos.py): the largest upload, and the most pixels (width × height) one may
    # declare, checked before decoding (a small file can unpack into gigabytes of pixels).
    "PHOTO_MAX_BYTES": int(os.environ.get("WANGGE_PHOTO_MAX_BYTES", str(10 * 1024 * 1024))),
    "PHOTO_MAX_PIXELS": 40_000_000,
    # Drill results: the share of assignees who acknowledged, started and reported within these.
    "DRILL_THRESHOLDS_SECONDS": (60, 300, 600),
    # How often the command-centre board refreshes its countdowns.
    "BOARD_POLL_SECONDS": 5,
    # The commander's home: how many days its trend charts reach back (today included).
    "HOME_TREND_DAYS": 14,
    # 一表通 templates (docs/reports.md): parsed and edited whole in the web process with lxml, so
    # held far below the imports' limits (a district's table is a few hundred rows).
    "REPORT_TEMPLATE_LIMITS": {
        "max_rows": 10_000,
        "max_columns": 256,
        "max_cells": 1_000_000,
        "max_member_bytes": 20 * 1024**2,
        "max_members": 500,
    },
    # A verification list without a deadline (and a row without 反馈时限) is due this long after import.
    "VERIFICATION_DEFAULT_SECONDS": 24 * 3600,
    # An event counts as responded to when its owner responds within this time of receiving it.
    "EVENT_RESPONSE_SECONDS": 2 * 3600,
    # Testing (docs/testing.md): how often a round's coverage page refreshes while results arrive.
    "TESTING_COVERAGE_POLL_SECONDS": 15,
    # PostgreSQL work_mem for the import's transaction: its joins and sorts over a million staged
    # rows stay in memory instead of spilling to disk.
    "TESTING_IMPORT_WORK_MEM": os.environ.get("WANGGE_TESTING_IMPORT_WORK_MEM", "256MB"),
    # Samples with the same tube code taken within this many hours of each other share a pooled tube.
    "TESTING_POOL_WINDOW_HOURS": 24,
    # Vaccination: doses that complete a vaccine's primary course, by a word of the vaccine's name
    # (any other vaccine needs 2), and the age from which the outreach list chases a full course.
    "VACCINE_COURSE_DOSES": {"康希诺": 1, "克威莎": 1, "CanSino": 1, "智飞": 3, "智克威得": 3},
    "VACCINATION_OUTREACH_AGE": 60,
    # Checkpoints (docs/checkpoints.md). What each reason found at a scan leads to: "deny" (劝返),
    # "check" (核查) or "off"; reasons not listed keep their defaults (checkpoints/rules.py). The
    # fever threshold is FEVER_THRESHOLD, shared with the measures capability.
    "CHECKPOINT_RULES": {},
    # Persons under a measure of these categories may not go out (居家隔离, 居家健康监测).
    "CHECKPOINT_STAY_HOME_CATEGORIES": ("home_isolation", "health_monitoring"),
    # A scan may be completed (visitor registered, person chosen) this long after it was stored.
    "SCAN_RESOLVE_MINUTES": 30,
    # A phone clock ahead of the server by more than this is not trusted: the scan takes server time.
    "SCAN_CLOCK_SKEW_SECONDS": 120,
    # 出入证 default quota: this many exits per household in each period of this many days.
    "PASS_EXITS_PER_PERIOD": 1,
    "PASS_PERIOD_DAYS": 2,
    # Duty rosters: a shift may be clocked on this early and clocked off this late; tomorrow's
    # understaffed shifts are announced to the community at this local time.
    "SHIFT_CLOCK_EARLY_MINUTES": 30,
    "SHIFT_CLOCK_LATE_MINUTES": 120,
    "ROSTER_GAP_ALERT_TIME": "16:00",
    # Door controllers (门禁) at checkpoint gates: the longest a pass scan waits for its doors to
    # open (every controller of the gate at once), how long an MQTT relay keeps the lock released,
    # and how old a scan may be when it arrives (an offline queue) and still open a door.
    "DOOR_TIMEOUT_SECONDS": 2.0,
    "DOOR_RELAY_PULSE_SECONDS": 3,
    "DOOR_OPEN_MAX_AGE_SECONDS": 30,
    # Five colours (docs/colours.md): how often the sweep expires manual colours and applies
    # measures assigned ahead of their start day.
    "COLOUR_SWEEP_MINUTES": 5,
    # Longest a manual household colour, or a compound's per-room notice-board plan, may last.
    "COLOUR_OVERRIDE_MAX_DAYS": 30,
    "PUBLIC_PLAN_SWITCH_MAX_DAYS": 14,
    # Measures (docs/measures.md). A check-in slot is missed this long after its time, and a
    # check-in counts for a slot from this long before it; at or above the fever threshold (°C)
    # a check-in alerts the team (checkpoints use the same threshold).
    "CHECKIN_GRACE_MINUTES": 120,
    "CHECKIN_EARLY_MINUTES": 120,
    "FEVER_THRESHOLD": "37.3",
    # A resident's signed check-in link is valid this many days (and only while the measure runs).
    "CHECKIN_LINK_DAYS": 30,
    # Local time of the daily health-code digest to every responsible worker (seed 001: 7:30).
    "HEALTH_CODE_DIGEST_TIME": "07:30",
    # An arrival's origin counts as a risk area if designated this many days before departure.
    "ARRIVAL_RISK_LOOKBACK_DAYS": 7,
    # How often the measure sweeps run (missed check-ins, automatic releases, the digest).
    "MEASURE_SWEEP_MINUTES": 5,
    # Home-isolation devices (docs/devices.md). The MQTT broker door sensors publish to, and the
    # topic under which each sensor publishes as <serial>/<token>.
    "MQTT_URL": os.environ.get("WANGGE_MQTT_URL", "mqtt://127.0.0.1:1883"),
    "DEVICE_MQTT_TOPIC": "wangge/devices",
    # The listener waits at most this long between attempts to reach a broker that went away.
    "DEVICE_MQTT_RECONNECT_MAX_SECONDS": 10,
    # Events of one household within this long of each other make one alert.
    "DEVICE_MERGE_SECONDS": 120,
    # A battery below this (%) raises a maintenance alert, once until it is above again.
    "DEVICE_BATTERY_LOW_PERCENT": 20,
    # A device not heard from for this long raises a maintenance alert; the sweep runs this often.
    "DEVICE_SILENT_HOURS": 24,
    "DEVICE_SWEEP_MINUTES": 15,
    # How often the disinfection sweep looks for rules whose alert hour has come (docs/venues.md).
    "DISINFECTION_SWEEP_MINUTES": 10,
    # The supplies loop (docs/supplies.md): how long each step of a need may take before it is
    # late and its people are alerted, once per step; the sweep that looks runs this often.
    "NEED_STEP_MINUTES": {"submitted": 60, "approved": 120, "picked": 60, "delivering": 120},
    "NEED_SWEEP_MINUTES": 10,
    # Stock days of cover are reckoned from this many days of issues; batches expiring within
    # EXPIRY_SOON_DAYS are listed and alerted.
    "BURN_DAYS": 7,
    "EXPIRY_SOON_DAYS": 30,
    "STOCK_SWEEP_MINUTES": 30,
    # A device clock further than this from the server's is not trusted: the event takes the time
    # it was received.
    "DEVICE_CLOCK_SKEW_SECONDS": 300,
    # Largest camera notification accepted (the XML with its attached pictures).
    "DEVICE_HTTP_MAX_BYTES": 4 * 1024 * 1024,
    # The map on which a venue's place is picked (docs/venues.md): a tile URL template such as
    # Tianditu's, with its key; empty, the map is drawn without tiles, from the venues around.
    "MAP_TILES": os.environ.get("WANGGE_MAP_TILES", ""),
    "MAP_ATTRIBUTION": os.environ.get("WANGGE_MAP_ATTRIBUTION", ""),
    # Notifications (docs/notify.md). The address this deployment is reached at: acknowledgement
    # links and the SMS receipt webhook are made under it.
    "SITE_URL": os.environ.get("WANGGE_SITE_URL", "http://127.0.0.1:8000").rstrip("/"),
    # The SMS gateway (notify/channels/sms.py): its URL, the preset of its request and receipt
    # shapes, and the provider's account fields. Empty URL: SMS deliveries fail as "no gateway".
    "SMS_URL": os.environ.get("WANGGE_SMS_URL", ""),
    "SMS_PRESET": os.environ.get("WANGGE_SMS_PRESET", "aliyun"),
    "SMS_ACCESS_KEY_ID": os.environ.get("WANGGE_SMS_ACCESS_KEY_ID", "wangge"),
    "SMS_ACCESS_KEY_SECRET": os.environ.get("WANGGE_SMS_ACCESS_KEY_SECRET", ""),
    "SMS_SIGN_NAME": os.environ.get("WANGGE_SMS_SIGN_NAME", "网格通知"),
    "SMS_TEMPLATE_CODE": os.environ.get("WANGGE_SMS_TEMPLATE_CODE", "SMS_0000001"),
    "SMS_TIMEOUT_SECONDS": 10,
    # The secret path token of the receipt webhook (/notify/receipts/<token>/).
    "SMS_RECEIPT_TOKEN": _secret("WANGGE_SMS_RECEIPT_TOKEN", 24),
    # A send that timed out (or whose worker died) waits this long for its receipt before it is
    # sent again.
    "NOTIFY_RECEIPT_WINDOW_SECONDS": int(os.environ.get("WANGGE_NOTIFY_RECEIPT_WINDOW", "900")),
    # A worker holds the deliveries it claimed this long; a batch is this many deliveries.
    "NOTIFY_LEASE_SECONDS": int(os.environ.get("WANGGE_NOTIFY_LEASE_SECONDS", "60")),
    "NOTIFY_CLAIM_BATCH": int(os.environ.get("WANGGE_NOTIFY_CLAIM_BATCH", "500")),
    # Drains started per channel when a message is sent (each claims its own batches).
    "NOTIFY_PARALLEL": int(os.environ.get("WANGGE_NOTIFY_PARALLEL", "2")),
    # Transient failures are tried this many times, waiting BACKOFF * 2**(try-1) seconds between.
    "NOTIFY_MAX_TRIES": 5,
    "NOTIFY_BACKOFF_SECONDS": 30,
    # Non-emergency SMS to one number per day beyond this are not sent (the preview shows them).
    "NOTIFY_DAILY_CAP_PER_NUMBER": 5,
    # Robot groups: the webhook hosts (a fake gateway in tests), messages per minute per robot.
    "DINGTALK_URL": os.environ.get("WANGGE_DINGTALK_URL", "https://oapi.dingtalk.com"),
    "WECOM_URL": os.environ.get("WANGGE_WECOM_URL", "https://qyapi.weixin.qq.com"),
    "ROBOT_PER_MINUTE": 20,
    # CSP violation reports logged per client address and minute; more are dropped unlogged.
    "CSP_REPORTS_PER_MINUTE": 30,
    # Venue-code visits (docs/venues.md, "Visits"). Kept this many days for tracing, then deleted
    # by the nightly purge (a tombstone audit entry counts them).
    "RETENTION_VISITS_DAYS": int(os.environ.get("WANGGE_RETENTION_VISITS_DAYS", "21")),
    # Checkpoint scans, kept the same way (checkpoints.tasks.checkpoint_scans_purge). On PostgreSQL
    # both tables are partitioned by day and a whole past day is dropped, not deleted
    # (docs/architecture.md, "Partitioned tables"). One period per data class for now; retention
    # per street extends it, and a partition goes when the longest period of any street has.
    "RETENTION_SCANS_DAYS": int(os.environ.get("WANGGE_RETENTION_SCANS_DAYS", "30")),
    # A phone (or personal code) recording again at the same venue within this many seconds gets
    # its earlier confirmation back, and no second row.
    "VISIT_REPEAT_SECONDS": int(os.environ.get("WANGGE_VISIT_REPEAT_SECONDS", "120")),
    # Answers to a call by the API (its token) accepted per client address and minute; more 429.
    "CALL_ANSWERS_PER_ADDRESS_PER_MINUTE": int(
        os.environ.get("WANGGE_CALL_ANSWERS_PER_ADDRESS_PER_MINUTE", "30")
    ),
    # Visit posts accepted per client address and minute (a shared bucket); more answer 429.
    "VISIT_PER_ADDRESS_PER_MINUTE": int(
        os.environ.get("WANGGE_VISIT_PER_ADDRESS_PER_MINUTE", "60")
    ),
    # Flagged, never refused: more than this many visits by one phone or person within an hour,
    # or two venues farther apart than VISIT_TRAVEL_KM within VISIT_TRAVEL_MINUTES (venues
    # without coordinates: two different communities within those minutes).
    "VISIT_FLAG_PER_HOUR": int(os.environ.get("WANGGE_VISIT_FLAG_PER_HOUR", "30")),
    "VISIT_TRAVEL_KM": float(os.environ.get("WANGGE_VISIT_TRAVEL_KM", "2")),
    "VISIT_TRAVEL_MINUTES": int(os.environ.get("WANGGE_VISIT_TRAVEL_MINUTES", "10")),
    # Reverse proxies whose X-Forwarded-For names the client (the public visit page's address
    # limit); any other peer is the client itself.
    "TRUSTED_PROXIES": tuple(
        address.strip()
        for address in os.environ.get("WANGGE_TRUSTED_PROXIES", "127.0.0.1,::1").split(",")
        if address.strip()
    ),
    # Venue cards (docs/venues.md): the local time of the daily re-inspection digest to the
    # inspectors (due today) and the communities (overdue).
    "VENUE_REMINDER_TIME": "08:00",
    # The residents' portal (docs/residents.md): how long a resident stays signed in on a phone.
    "RESIDENT_SESSION_DAYS": int(os.environ.get("WANGGE_RESIDENT_SESSION_DAYS", "30")),
    # Sign-in codes (residents/services/signin.py): life, tries, per number and per address.
    "RESIDENT_CODE_MINUTES": 5,
    "RESIDENT_CODE_TRIES": 5,
    "RESIDENT_CODES_PER_HOUR": 5,
    "RESIDENT_CODE_RESEND_SECONDS": 60,
    "RESIDENT_CODES_PER_ADDRESS_PER_MINUTE": 10,
    "RESIDENT_TRIES_PER_ADDRESS_PER_MINUTE": 20,
    # Sign-ups to teams from one client address (public page and residents' portal).
    "TEAM_SIGNUPS_PER_ADDRESS_PER_MINUTE": 5,
    # Demo deployments only (`make run`): the live sign-in codes on a staff page; refused by
    # `check --deploy`.
    "RESIDENT_CODE_OUTBOX": os.environ.get("WANGGE_RESIDENT_CODE_OUTBOX", "") == "1",
    # Residents' requests (诉求): escalated to the community when no grid worker takes one within
    # REQUEST_TAKE_MINUTES; overdue too when not closed within REQUEST_DONE_HOURS.
    "REQUEST_TAKE_MINUTES": int(os.environ.get("WANGGE_REQUEST_TAKE_MINUTES", "120")),
    "REQUEST_DONE_HOURS": int(os.environ.get("WANGGE_REQUEST_DONE_HOURS", "48")),
    # A sweep's progress page reads the counts again this often.
    "SWEEP_PROGRESS_POLL_SECONDS": 15,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WANGGE_LOG_LEVEL", "WARNING")},
    "loggers": {
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "wangge.devices": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
