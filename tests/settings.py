"""Test settings: production settings with test defaults; real PostgreSQL and Redis."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/housing_aid")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("HOUSING_AID_TESTING", "1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
# Playwright's sync API runs an event loop in the test thread; the ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from housing_aid.settings import *  # noqa: E402,F403
from housing_aid.settings import CACHES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
AXES_ENABLED = False
# Existing tests sign in without a second factor; tests of two_factor turn it on.
OTP_REQUIRED_ROLES: list[str] = []
# Tests travel in time across months: tokens and sessions do not expire unless a test says so.
API_TOKEN_TTL_SECONDS = 100 * 365 * 24 * 3600
SESSION_IDLE_SECONDS = SESSION_ABSOLUTE_SECONDS = SESSION_COOKIE_AGE = 100 * 365 * 24 * 3600
MEDIA_ROOT = "/tmp/housing-aid-test-media"  # noqa: S108
CACHES["default"]["KEY_PREFIX"] = "test-" + os.environ.get("PYTEST_XDIST_WORKER", "main")
