"""Two transactions at once, for the kept counts' tests: one held open on another connection
while the test's own commits beside it."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def held_open(work):
    """Run ``work()`` in a transaction on another connection and keep it open (uncommitted)
    while the body runs; it commits once the body is done, and its errors fail the test."""
    started, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold():
        try:
            with transaction.atomic():
                work()
                started.set()
                assert release.wait(30)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            started.set()
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert started.wait(30)
        assert not errors, errors
        yield
    finally:
        release.set()
        thread.join(30)
    assert not errors, errors


@contextmanager
def without_waiting():
    """A transaction that fails (lock timeout, 2 s) instead of waiting on another's row lock."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        yield
