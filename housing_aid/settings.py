"""Settings, driven only by environment variables.

Development (``DJANGO_DEBUG=1``) falls back to SQLite and eager Celery when no
``DATABASE_URL`` / ``REDIS_URL`` is given; production requires a secret key and
allowed hosts and turns on HTTPS-only cookies and HSTS.
"""

from __future__ import annotations

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
TESTING = env.bool("HOUSING_AID_TESTING", default=False)

if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list(
        "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
    )
else:
    # Required for anything that signs or serves: Django refuses an empty SECRET_KEY the moment
    # it is used, while commands that never touch it (makemigrations, migrate) still run.
    # No hosts configured: every request is refused.
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The address printed in QR codes on issued documents (public verification page).
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# The head's EDS (API.md "The head's EDS signature"): NCALayer's local WebSocket, the GOST
# verifier (an NCANode service), revocation checking (""/"soft-fail"/"hard-fail"), session life.
NCALAYER_URL = env.str("NCALAYER_URL", default="wss://127.0.0.1:13579")
EDS_VERIFIER_URL = env.str("EDS_VERIFIER_URL", default="")
EDS_REVOCATION = env.str("EDS_REVOCATION", default="")
EDS_SESSION_MINUTES = env.int("EDS_SESSION_MINUTES", default=15)

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
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "housing_aid",
    "housing_aid.sla",
    "housing_aid.casework",
    "applications",
    "certificates",
    "complaints",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "housing_aid.middleware.HostileInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "housing_aid.two_factor.SecondFactorMiddleware",
    "housing_aid.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "housing_aid.middleware.HtmlCSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "housing_aid.urls"
WSGI_APPLICATION = "housing_aid.wsgi.application"

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
                "housing_aid.context_processors.staff",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A PostgreSQL streaming replica for reads that tolerate a few seconds of lag (dashboards,
# exports, searches, the auditor's views); see housing_aid/dbrouter.py. Its test database
# is the primary's (streamed), hence the mirror.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db_url("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["housing_aid.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "housing_aid.cache.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis, written through to the database: no session query per page.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that reads the session's user with its staff profile and bell count.
    "housing_aid.backends.StaffModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor sign-in (housing_aid.two_factor): these roles give a TOTP code with the password.
# On in production for the heads who sign and the administrators who set budgets.
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[] if DEBUG else ["head", "administrator"])
OTP_TOTP_ISSUER = "Housing aid"

# Login throttling: 5 failures per user+address lock the pair for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=not TESTING)

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("kk", _("Kazakh")), ("en", _("English"))]
# Kernel templates: templates/locale; each service's templates: templates/<app>/locale; code: <app>/locale.
LOCALE_PATHS = [BASE_DIR / "templates" / "locale", *sorted((BASE_DIR / "templates").glob("*/locale"))]
TIME_ZONE = "Asia/Almaty"
FORMAT_MODULE_PATH = ["housing_aid.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
# Attachments: PDF, JPEG and PNG checked by their content, at most this many bytes each.
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ATTACHMENT_MAX_BYTES + 1024 * 1024
# Hostile input (housing_aid.middleware): JSON bodies larger or nested deeper than this -> 400.
MAX_JSON_BYTES = env.int("MAX_JSON_BYTES", default=1024 * 1024)
MAX_JSON_DEPTH = env.int("MAX_JSON_DEPTH", default=32)
# Attachments are parsed: a PDF inflates to at most this many bytes, an image has at most
# this many pixels.
ATTACHMENT_MAX_DECOMPRESSED_BYTES = env.int("ATTACHMENT_MAX_DECOMPRESSED_BYTES", default=50 * 1024 * 1024)
ATTACHMENT_MAX_PIXELS = env.int("ATTACHMENT_MAX_PIXELS", default=50_000_000)

# Content-Security-Policy on every HTML page (django-csp): scripts and styles from our own
# static files only, never inline; images may be data: URIs (QR codes, Swagger's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        # NCALayer listens on the signer's own machine (the head's EDS, housing_aid.eds); a
        # development or test stand-in speaks plain WebSocket on a loopback port.
        "connect-src": [SELF, NCALAYER_URL]
        + (["ws://127.0.0.1:*"] if DEBUG or env.bool("HOUSING_AID_TESTING", default=False) else []),
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Sessions: end when the browser closes, after SESSION_IDLE_SECONDS without a request and
# SESSION_ABSOLUTE_SECONDS after sign-in whatever the activity (housing_aid.middleware).
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# API tokens expire this many seconds after they are issued; DELETE /api/v1/auth/token/ revokes.
API_TOKEN_TTL_SECONDS = env.int("API_TOKEN_TTL_SECONDS", default=30 * 24 * 60 * 60)
# Proxies in front of the application that append to X-Forwarded-For: the throttles count
# the address the last trusted proxy saw, never a value the client wrote (0 = REMOTE_ADDR).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "housing_aid.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "housing_aid.api.schema.ErrorAnswersSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "housing_aid.api.pagination.CasePagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "housing_aid.api.errors.exception_handler",
    "NON_FIELD_ERRORS_KEY": "non_field_errors",
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_THROTTLE_RATES": {"status_lookup": env.str("STATUS_LOOKUP_RATE", default="60/min")},
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "NUM_PROXIES": TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Housing aid API",
    "DESCRIPTION": "Housing assistance, housing certificates and complaints (contract v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    # "Working the cases" serves the three services under one route (housing_aid.casework).
    "PATH_CONVERTER_OVERRIDES": {
        "service": {"type": "string", "enum": ["applications", "certificates", "complaints"]}
    },
    # Swagger UI served from our own static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Each service has its own statuses and channels: name them apart.
    "ENUM_NAME_OVERRIDES": {
        "ApplicationStatusEnum": "applications.models.ApplicationStatus",
        "ApplicationChannelEnum": "applications.models.Channel",
        "DocumentCodeEnum": "applications.models.DocumentCode",
        "CertificateStatusEnum": "certificates.models.Status",
        "CertificateChannelEnum": "certificates.models.Channel",
        "ComplaintStatusEnum": "complaints.models.ComplaintStatus",
        "ComplaintChannelEnum": "complaints.models.Channel",
        "ApplicationRelationshipEnum": "applications.models.Relationship",
        "CertificateRelationshipEnum": "certificates.models.Relationship",
        "DocumentLanguageEnum": ["ru", "kk"],
        "ResponseLanguageEnum": "complaints.models.DOCUMENT_LANGUAGES",
        "LanguageEnum": "housing_aid.settings.LANGUAGES",
    },
}

# Celery: Redis when configured, otherwise tasks run in-process (development without Redis).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@housing-aid.kz")

# Messages to applicants by SMS (housing_aid.casework.sms): the console unless a gateway is set.
SMS_BACKEND = env.str(
    "SMS_BACKEND",
    default="housing_aid.casework.sms.HttpGatewaySmsBackend"
    if env.str("SMS_GATEWAY_URL", default="")
    else "housing_aid.casework.sms.ConsoleSmsBackend",
)
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_SENDER = env.str("SMS_SENDER", default="eGov")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=10.0)

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
