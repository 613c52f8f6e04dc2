"""Settings for every environment, read from environment variables.

See .env.example for what each variable means.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "insecure-development-key-only-used-when-DEBUG-is-on" if DEBUG else ""
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off (see .env.example)")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "axes",
]
LOCAL_APPS = [
    "annotator.core",
    "annotator.accounts",
    "annotator.projects",
    "annotator.sources",
    "annotator.documents",
    "annotator.annotations",
    "annotator.reviews",
    "annotator.jobs",
    "annotator.credibility",
    "annotator.workspace",
    "annotator.interchange",
    "annotator.propositions",
    "annotator.hedges",
    "annotator.demo",
    "annotator.idempotency",
    "api",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # Outermost: any error under /api/ leaves as JSON; a lost database is a 503 (api/middleware.py).
    "api.middleware.ErrorShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp with the settings-only header built once (annotator/core/csp.py).
    "annotator.core.csp.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (it keys by user); wraps the view in the key's transaction.
    "annotator.idempotency.middleware.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a locked-out log-in into the 429 of annotator/accounts/lockout.py.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "annotator.config.urls"
WSGI_APPLICATION = "annotator.config.wsgi.application"

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
            ],
        },
    },
]

# PostgreSQL is the only database. Without DATABASE_URL an embedded server
# (pgserver) is started under var/ on first connection.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
        raise RuntimeError("DATABASE_URL must point at PostgreSQL (postgres://...)")
else:
    DATABASES = {
        "default": {
            "ENGINE": "annotator.config.embedded_db",
            "NAME": os.environ.get("ASSAY_DB_NAME", "assay"),
            "USER": "postgres",
            "CONN_MAX_AGE": 60,
        }
    }
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# psycopg prepares a statement run this often on a connection, but only through the
# server-binding cursors of annotator/core/db.py (the span write path); Django's own
# client-binding cursors never prepare.
DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Argon2id first (annotator/accounts/hashers.py); the others verify older hashes, which are
# re-hashed with Argon2id at their next login.
PASSWORD_HASHERS = [
    "annotator.accounts.hashers.AssayArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Brute-force protection (django-axes): the first backend refuses locked-out log-ins on
# /login/, /admin/login/ and the API's password checks; annotator/accounts/lockout.py.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("ASSAY_LOGIN_FAILURE_LIMIT", 10))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("ASSAY_LOGIN_COOLOFF_MINUTES", 15)))
# Counted per account and, separately, per client address: either alone locks.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success does not wipe earlier failures: axes would wipe them for the whole client address,
# so an attacker could log into an account of their own between guesses at someone else's.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "annotator.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "annotator.accounts.lockout.client_ip"
AXES_VERBOSE = False
# Reverse proxies in front of Assay that append to X-Forwarded-For (0: clients connect directly).
ASSAY_TRUSTED_PROXIES = int(os.environ.get("ASSAY_TRUSTED_PROXIES", 0))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:project-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# WhiteNoise serves static files in every mode (`make run` is gunicorn too); under DEBUG
# straight from the apps' static folders, re-read on change, without collectstatic.
MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
# Private files only (import uploads, export results): no MEDIA_URL, no route and no proxy
# mapping may serve this folder; job files go out through GET /api/v1/jobs/<id>/download/,
# which checks the caller's current membership (docs/security.md).
MEDIA_ROOT = Path(os.environ.get("ASSAY_MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Large imports stream to disk instead of memory; the import service enforces
# its own size limit with a clear error.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
ASSAY_MAX_UPLOAD_BYTES = int(os.environ.get("ASSAY_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
# Uploads up to this size are imported inside the request, which answers with the finished
# job (201); larger ones are queued as a job (202). 256 KiB (about 300 documents of 600
# characters with their spans) writes in a fraction of a second (docs/performance.md).
ASSAY_IMPORT_INLINE_BYTES = int(os.environ.get("ASSAY_IMPORT_INLINE_BYTES", 256 * 1024))
# Suggest hedge cues in every newly stored document (a Celery job per import; docs/hedges.md).
ASSAY_HEDGES_ON_IMPORT = os.environ.get("ASSAY_HEDGES_ON_IMPORT", "true").lower() == "true"
# "Accept all of this rule in this document" takes only suggestions at least this confident.
ASSAY_HEDGES_CONFIDENT = float(os.environ.get("ASSAY_HEDGES_CONFIDENT", "0.8"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the workspace reads it to send X-CSRFToken
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Production behind HTTPS (docs/security.md lists the environment that makes
# `manage.py check --deploy` clean). All off by default: `make run` is plain HTTP.
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS") or 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# "HTTP_X_FORWARDED_PROTO,https": the header (as Django names it) and value by which the
# TLS-terminating proxy says the request came over HTTPS. Set it only behind such a proxy,
# which must overwrite the header a client sends.
_proxy_ssl_header = env_list("SECURE_PROXY_SSL_HEADER")
if _proxy_ssl_header:
    if len(_proxy_ssl_header) != 2:
        raise RuntimeError(
            "SECURE_PROXY_SSL_HEADER must be '<header>,<value>', e.g. HTTP_X_FORWARDED_PROTO,https"
        )
    SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header[0], _proxy_ssl_header[1])

# Content-Security-Policy (django-csp) on every response: scripts and style sheets only from
# this origin, no inline <script> or <style>, no eval, no framing, no plugins. Style
# attributes stay allowed (label colours and progress bars are set per element; they cannot
# run code). The API docs pages widen style-src for their own bundles (api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # DRF's token rules in one raw query (the span-write hot path; see api/authentication.py).
        "api.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CursorPagination",
    # Bodies are JSON (imports, which take files, say multipart themselves): one media type per
    # operation in the schema, so generated clients have one body type to send.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["api.lists.StrictFilterBackend", "api.lists.StrictOrderingFilter"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SPECTACULAR_SETTINGS = {
    "TITLE": "Assay API",
    "DESCRIPTION": "Argument mapping and source credibility annotation.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.document_error_responses",
    ],
    # Several models have a "kind" or "state" field; name their enums apart.
    "ENUM_NAME_OVERRIDES": {
        "AssignmentStateEnum": "annotator.reviews.models.AssignmentState",
        "JobStateEnum": "annotator.jobs.models.JobState",
        "HedgeKindEnum": "annotator.hedges.models.HedgeKind",
        "HedgeStateEnum": "annotator.hedges.models.HedgeState",
        "JobKindEnum": "annotator.jobs.models.JobKind",
        "LabelKindEnum": "annotator.projects.models.LabelKind",
        "SpeakerKindEnum": "annotator.sources.models.SpeakerKind",
        "LayerEnum": "annotator.annotations.models.Layer",
        "ReviewStatusEnum": "annotator.annotations.models.ReviewStatus",
        "RelationTypeEnum": "annotator.annotations.models.RelationType",
        "EntityKindEnum": "annotator.credibility.models.EntityKind",
        "LayerUsedEnum": "annotator.credibility.models.LayerUsed",
    },
}

# Celery: with no broker configured, tasks run in-process (eagerly).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis re-delivers a message not acknowledged within visibility_timeout (acks_late: a task
# whose worker died). Longer than the hard time limit, so a running task is never delivered
# twice; the jobs reaper restarts a dead worker's job much sooner (ASSAY_JOB_STALE_SECONDS).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", 35 * 60)),
    "socket_connect_timeout": 3,
    "socket_timeout": 10,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("ASSAY_CELERY_QUEUE", "assay")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict = {}
# Source credibility: full recompute of every project (a dated snapshot) hourly;
# incremental recomputes wait this long after a change so bursts coalesce.
CELERY_BEAT_SCHEDULE["credibility-full-recompute"] = {
    "task": "credibility.scores_recompute",
    "schedule": float(os.environ.get("CREDIBILITY_RECOMPUTE_SECONDS", 3600)),
}
CELERY_BEAT_SCHEDULE["jobs-reap"] = {"task": "jobs.jobs_reap", "schedule": 60.0}
# A running job with no sign of life for this long, and not running on any worker, is restarted
# (up to ASSAY_JOB_MAX_ATTEMPTS runs, then failed). annotator/jobs/services.py:jobs_reap.
ASSAY_JOB_STALE_SECONDS = float(os.environ.get("ASSAY_JOB_STALE_SECONDS", 120))
ASSAY_JOB_MAX_ATTEMPTS = int(os.environ.get("ASSAY_JOB_MAX_ATTEMPTS", 3))
# A failed import keeps its upload this long, so it can be retried (the reaper deletes it then).
ASSAY_JOB_UPLOAD_KEEP_DAYS = float(os.environ.get("ASSAY_JOB_UPLOAD_KEEP_DAYS", 7))
ASSAY_JOB_INSPECT_TIMEOUT = float(os.environ.get("ASSAY_JOB_INSPECT_TIMEOUT", 2))
CELERY_BEAT_SCHEDULE["idempotency-purge"] = {
    "task": "idempotency.idempotent_requests_purge",
    "schedule": 3600.0,
}
ASSAY_IDEMPOTENCY_HOURS = float(os.environ.get("ASSAY_IDEMPOTENCY_HOURS", 24))
CREDIBILITY_DEBOUNCE_SECONDS = float(os.environ.get("CREDIBILITY_DEBOUNCE_SECONDS", 2))
# A queued-recompute row older than this is taken as lost (its task never ran) and replaced.
CREDIBILITY_SCHEDULED_STALE_SECONDS = float(os.environ.get("CREDIBILITY_SCHEDULED_STALE_SECONDS", 300))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}},
}
