"""One settings module for every environment; everything that differs comes from the environment.

Defaults give the embedded setup: SQLite file, Celery tasks run eagerly in-process, mail to the console.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-runs"  # noqa: S105 - DEBUG only

# The demo's clock (scripts/run-demo, DEMO_TODAY=2026-04-10): the portal runs as on that day, from
# the time of day it was started. Refused outside DEBUG, so production always keeps the real clock.
DEMO_TODAY = os.environ.get("DEMO_TODAY", "").strip() or None
if DEMO_TODAY:
    if not DEBUG:
        raise ImproperlyConfigured("DEMO_TODAY moves the clock for the demo only; unset it when DEBUG is off.")
    try:
        DEMO_TODAY = datetime.date.fromisoformat(DEMO_TODAY)
    except ValueError:
        raise ImproperlyConfigured(f"DEMO_TODAY must be a date like 2026-04-10, not {DEMO_TODAY!r}.") from None

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The portal's public address, for documents that outlive a request (the admission notice's link
# to its verification page).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "portal",
    "policy",
    "bases",
    "admissions",
    "province",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

# Forms render through the templates above, so that templates/django/forms/div.html (every form's
# error summary above its fields) replaces Django's own; "django.forms" supplies the widgets.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing with "database is locked"; IMMEDIATE makes a
    # transaction take the write lock up front, which is what select_for_update means elsewhere.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = ["portal.authentication.UserBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Applicants' documents live here, outside anything a web server publishes.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))

# Mail: console by default; SMTP when EMAIL_HOST is given; any backend by EMAIL_BACKEND.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "住培招录平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    EMAIL_BACKEND_PATH = os.environ.get("EMAIL_BACKEND", "portal.mail.ConsoleSummaryBackend")
    MAILERS = {
        "default": {
            "BACKEND": EMAIL_BACKEND_PATH,
            "OPTIONS": {"file_path": os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
            if EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend")
            else {},
        }
    }

# Text messages: any backend with send(number, text); the console one masks the number.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "portal.sms.ConsoleBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(VAR_DIR / "sms.log"))
# Receipts (回执): a copy that failed this many attempts in all (the task's retries and the resend
# sweep's together) is marked failed and left for the office to resend by hand.
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "5"))
# The SMS gateway's delivery reports (POST /api/v1/sms/receipts/) are signed with this shared
# secret (HMAC-SHA256 of the body, header X-Signature); unset, every report is refused.
SMS_RECEIPT_SECRET = os.environ.get("SMS_RECEIPT_SECRET", "")

# Celery: without a broker every task runs eagerly in-process, so the embedded default needs no Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With Redis down a page that queues a task on commit waits this long, not the system's minutes.
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECT_TIMEOUT", "2"))
# A task a killed worker took and never acknowledged goes back to the queue once it has been out
# this long: every running worker looks for such tasks every 10 s, so it runs again within about
# five minutes, whether or not a worker restarts and whether or not beat runs. Tasks are stopped
# before they have run that long (the time limits below), so no task is delivered a second time
# while it still runs; the sweeps carry on in a fresh task where the limit stopped them.
TASK_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "300"))
CELERY_TASK_SOFT_TIME_LIMIT = TASK_VISIBILITY_TIMEOUT * 4 // 5
CELERY_TASK_TIME_LIMIT = TASK_VISIBILITY_TIMEOUT * 9 // 10
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": TASK_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
}
# One quick retry, then the page gives up on the broker: the message stays unsent on its row and
# the resend sweep queues it again.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
# Deadlines hold without these sweeps (pages derive states from the clock); they carry out the
# side effects, and running one twice changes nothing the second time.
CELERY_BEAT_SCHEDULE = {
    "admit-due-candidates": {"task": "admissions.tasks.admit_due_candidates", "schedule": 15 * 60},
    "reissue-admission-notices": {"task": "admissions.tasks.reissue_admission_notices", "schedule": 15 * 60},
    "disqualify-no-shows": {"task": "admissions.tasks.disqualify_no_shows", "schedule": 60 * 60},
    "send-reminders": {"task": "admissions.tasks.send_reminders", "schedule": 24 * 60 * 60},
    "resend-unsent-notifications": {"task": "portal.tasks.resend_unsent_notifications", "schedule": 10 * 60},
    "forget-expired-idempotency-keys": {"task": "portal.tasks.forget_expired_idempotency_keys", "schedule": 60 * 60},
}

# Shared counters (sign-in and API rate limits): Redis when CACHE_URL is given, so every worker
# process counts together; the embedded default keeps them per process.
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            # A cache outage must cost a page a fraction of a second, not a hang.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Sessions are read from the shared cache and written through to the database: one round trip
    # less on every signed-in request. A per-process cache could not be told of a sign-out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

REST_FRAMEWORK = {
    # Trusted reverse proxies in front of the app; decides which X-Forwarded-For hop is the client.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")) or None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PARSER_CLASSES": [
        "portal.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "portal.api.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "住院医师规范化培训招录平台 API",
    "DESCRIPTION": "Residency admission portal: the same services as the web pages, scoped to the caller.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "BrochureStatusEnum": "bases.models.brochures.BrochureStatus",
        "QuotaIncreaseStatusEnum": "bases.models.plan.QuotaIncreaseStatus",
        "ApplicantTypeEnum": "policy.choices.ApplicantType",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "portal.api.complete_error_responses"],
}

# Every asset is served by the app itself, so the policy can stay this strict.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Whatever a message or a traceback carries, ID and mobile numbers leave the process masked.
    "filters": {"personal_numbers": {"()": "portal.redaction.RedactPersonalNumbers"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["personal_numbers"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # A line per task is noise when tasks run in-process; a worker logs them itself.
    "loggers": {"celery.app.trace": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
DEFAULT_PROVINCE_CODE = os.environ.get("DEFAULT_PROVINCE_CODE", "420000")
# How long a released publicity list, score import or plan import can be undone (portal.releases).
RELEASE_UNDO_MINUTES = int(os.environ.get("RELEASE_UNDO_MINUTES", "30"))
