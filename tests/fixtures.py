"""Personas set up once per test: an officer of the provider, its head, an officer of
another provider, an intake clerk, ... (as healthchecks does with alice, bob, charlie).

Tests need the real PostgreSQL and Redis: when either is missing the session fails
and says which, never skips."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from housing_aid import demo
from housing_aid.models import ServiceProvider
from tests.factories import staff_user


def pytest_sessionstart(session):
    import psycopg
    import redis

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise pytest.UsageError(
            "Tests run on PostgreSQL: set DATABASE_URL to a postgres:// URL (make test does)."
        )
    try:
        psycopg.connect(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"],
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except Exception as exc:  # noqa: BLE001
        raise pytest.UsageError(f"PostgreSQL is not reachable at {db['HOST']}:{db['PORT']}: {exc}") from exc
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5).ping()
    except Exception as exc:  # noqa: BLE001
        raise pytest.UsageError(f"Redis is not reachable at {settings.REDIS_URL}: {exc}") from exc


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Keep ``--dist loadgroup`` groups on one worker. pytest-xdist 3.8 names a test's group
    by rewriting ``item._nodeid``, which pytest 9.2 no longer reads (the id lives in
    ``item._id``), so every ``xdist_group`` was silently ignored; give the suffix to the id
    pytest does read."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        groups = sorted(
            {
                str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                for m in item.iter_markers("xdist_group")
            }
        )
        suffix = "@" + "_".join(groups)
        if groups and not item.nodeid.endswith(suffix):
            item._id = NodeId.parse(item.nodeid + suffix)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. Django's LocaleMiddleware activates the
    request's language in the test's thread and leaves it there, so a Kazakh request in one
    test would otherwise make the next test on the same worker read Kazakh names."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clean_cache():
    """Drop this worker's cache keys (throttles, calendar version) but not another xdist worker's."""
    import redis

    from housing_aid import workdays

    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    workdays.invalidate()
    yield


@pytest.fixture
def reference(db):
    """Providers, MSL and every service's effective-dated parameters, as seed_demo loads them."""
    demo.seed_reference_data()
    for app in ("applications", "certificates", "complaints", "housing_aid.sla"):
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError:
            continue
        if hasattr(module, "seed_reference"):
            module.seed_reference()


@pytest.fixture
def provider(reference):
    return ServiceProvider.objects.get(code=demo.ASTANA)


@pytest.fixture
def other_provider(reference):
    return ServiceProvider.objects.get(code=demo.ALMATY)


@pytest.fixture
def officer(provider):
    return staff_user("officer", "case_officer", provider)


@pytest.fixture
def officer2(provider):
    return staff_user("officer2", "case_officer", provider)


@pytest.fixture
def head(provider):
    return staff_user("head", "head", provider)


@pytest.fixture
def clerk(provider):
    return staff_user("clerk", "intake_clerk", provider)


@pytest.fixture
def other_officer(other_provider):
    return staff_user("officer_almaty", "case_officer", other_provider)


@pytest.fixture
def other_head(other_provider):
    return staff_user("head_almaty", "head", other_provider)


@pytest.fixture
def complaints_officer(provider):
    return staff_user("complaints", "complaints_officer", provider)


@pytest.fixture
def quality_officer(reference):
    return staff_user("quality", "quality_officer", all_providers=True)


@pytest.fixture
def trustee(provider):
    return staff_user("trustee", "trustee", provider)


@pytest.fixture
def auditor(reference):
    return staff_user("auditor", "auditor", all_providers=True)


@pytest.fixture
def portal(reference):
    return staff_user("portal", "portal", all_providers=True)


@pytest.fixture
def admin_user(reference):
    return staff_user("admin", "administrator", all_providers=True)


@pytest.fixture
def api():
    """An API client; ``api.as_user(user)`` authenticates with a token like the portal does."""
    client = APIClient()

    def as_user(user, language: str | None = None):
        from rest_framework.authtoken.models import Token

        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(
            HTTP_AUTHORIZATION=f"Token {token.key}",
            **({"HTTP_ACCEPT_LANGUAGE": language} if language else {}),
        )
        return client

    client.as_user = as_user
    return client
