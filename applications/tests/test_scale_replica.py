"""Scale out on the existing engine: a real PostgreSQL streaming replica, started here with
``pg_basebackup`` from the test server. Dashboard reads go to it; a transition does not.

The replica is a second cluster on another port in a temporary directory, run as the
``postgres`` OS user. The test database pytest-django created on the primary reaches the
replica by streaming, so the ``replica`` alias names the same database on the replica's
port. If the replica cannot start, the test fails and says why (it never skips).
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from applications.tests.conftest import advance
from housing_aid import dbrouter
from housing_aid.sla import selectors as sla_selectors
from housing_aid.sla.deadlines import ReferenceDates
from housing_aid.sla.tests.conftest import make_stage

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("replica")]


def _pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup"))
    if not versions:
        pytest.fail("pg_basebackup is not installed (Debian postgresql package): no replica can start")
    return versions[-1].parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


@pytest.fixture
def replica(transactional_db):
    primary = connections["default"].settings_dict
    if connections["default"].vendor != "postgresql":
        pytest.fail("the replica test needs PostgreSQL (TEST_DATABASE_URL)")
    bindir = _pg_bin()
    port = _free_port()
    # A replication slot keeps the primary's WAL until the replica has it: a busy test server
    # recycles segments faster than a new standby connects.
    slot = f"ha_replica_{port}"
    data = Path(tempfile.mkdtemp(prefix="ha-replica-"))
    pw = pwd.getpwnam("postgres")
    if os.geteuid() == 0:
        os.chown(data, pw.pw_uid, pw.pw_gid)
    data.chmod(0o700)
    backup = _as_postgres(
        [
            str(bindir / "pg_basebackup"),
            "-h",
            primary["HOST"] or "127.0.0.1",
            "-p",
            str(primary["PORT"] or 5432),
            "-U",
            primary["USER"] or "postgres",
            "-D",
            str(data),
            "-R",
            "-X",
            "stream",
            "-C",
            "-S",
            slot,
            "-c",
            "fast",
        ]
    )
    if backup.returncode != 0:
        shutil.rmtree(data, ignore_errors=True)
        pytest.fail(
            "pg_basebackup could not copy the test server (a 'host replication' line for 127.0.0.1 in "
            f"pg_hba.conf is needed; scripts/services.sh adds it):\n{backup.stderr}"
        )
    # Debian keeps the server's configuration in /etc: the copy gets its own, minimal one,
    # with the limits a standby must not set lower than its primary.
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT name, setting FROM pg_settings WHERE name IN ('max_connections', 'max_worker_processes', "
            "'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')"
        )
        limits = "".join(f"{name} = {value}\n" for name, value in cursor.fetchall())
    (data / "postgresql.conf").write_text(limits)
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    (data / "pg_ident.conf").write_text("")
    if os.geteuid() == 0:
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            os.chown(data / name, pw.pw_uid, pw.pw_gid)
    log = data / "replica.log"
    pg_ctl = str(bindir / "pg_ctl")
    start = _as_postgres(
        [
            pg_ctl,
            "-D",
            str(data),
            "-l",
            str(log),
            "-W",
            "start",
            "-o",
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={data} -c hot_standby=on",
        ]
    )
    settings = {**primary, "HOST": "127.0.0.1", "PORT": str(port), "CONN_MAX_AGE": 0}
    try:
        if start.returncode != 0:
            pytest.fail(f"the replica did not start:\n{start.stderr}")
        _wait_for_hot_standby(settings, log)
        connections.settings[dbrouter.REPLICA] = settings
        # Connect now: the test case only lets through connections already open to an alias
        # that was not configured when it started.
        connections[dbrouter.REPLICA].connect()
        yield connections[dbrouter.REPLICA]
    finally:
        if dbrouter.REPLICA in connections.settings:
            connections[dbrouter.REPLICA].close()
            del connections[dbrouter.REPLICA]
            del connections.settings[dbrouter.REPLICA]
        _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(data, ignore_errors=True)
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = %s",
                [slot],
            )


def _wait_for_hot_standby(settings: dict, log: Path, timeout: float = 240.0) -> None:
    """Until the standby accepts read-only connections. It needs a snapshot of the primary's
    running transactions; a checkpoint on the primary writes one."""
    import psycopg

    deadline = time.monotonic() + timeout
    error = None
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(
                host="127.0.0.1",
                port=settings["PORT"],
                user=settings["USER"] or "postgres",
                dbname="postgres",
                connect_timeout=3,
            ) as conn:
                conn.execute("SELECT 1")
                return
        except psycopg.Error as exc:
            error = exc
        with connections["default"].cursor() as cursor:
            cursor.execute("CHECKPOINT")
        time.sleep(1)
    output = log.read_text()[-3000:] if log.exists() else ""
    pytest.fail(f"the replica did not accept connections within {timeout}s ({error}):\n{output}")


def _wait_until_replica_sees(replica, sql: str, expected, timeout: float = 180.0):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        with replica.cursor() as cursor:
            cursor.execute(sql)
            last = cursor.fetchone()[0]
        if last == expected:
            return
        time.sleep(0.2)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        primary_lsn = cursor.fetchone()[0]
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn()::text, current_database()")
        replay_lsn, database = cursor.fetchone()
    pytest.fail(
        f"the replica did not catch up within {timeout}s: {sql} gave {last!r}, expected {expected!r} "
        f"(primary at {primary_lsn}, replica replayed {replay_lsn}, database {database})"
    )


def test_dashboard_reads_go_to_the_replica_and_a_transition_does_not(
    replica, provider, head, registered, officer
):
    with replica.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True, "the replica alias must be a standby, not the primary"

    make_stage(provider, dt.date(2025, 5, 14), closed_on=dt.date(2025, 5, 20), assignee=officer)
    _wait_until_replica_sees(replica, "SELECT COALESCE(SUM(late), 0) FROM sla_stagemonthsummary", 1)

    filters = sla_selectors.DashboardFilters(month_from=dt.date(2025, 1, 1), month_to=dt.date(2025, 6, 1))
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        by_month = sla_selectors.stage_compliance_by_month(head, filters)
        totals = sla_selectors.open_totals(head, filters, ReferenceDates.on(dt.date(2025, 6, 17)))

    assert by_month[dt.date(2025, 5, 1)] == {"on_time": 0, "late": 1}
    assert totals["total"] >= 0
    assert len(on_replica) == 2
    assert not any(
        "stagemonthsummary" in q["sql"] or "casestage" in q["sql"] for q in on_primary.captured_queries
    )

    application = registered()
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        advance(application, officer, "start_review")
    assert len(on_primary) > 0
    assert len(on_replica) == 0


def test_searches_exports_and_the_auditors_lists_read_the_replica(replica, registered, officer, auditor):
    from applications import selectors
    from applications.models import Application

    application = registered()
    _wait_until_replica_sees(replica, "SELECT count(*) FROM applications_application", 1)
    surname = application.applicant.last_name[:4]

    def reads(fn):
        with (
            CaptureQueriesContext(replica) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            result = fn()
        on_primary_cases = [q for q in on_primary.captured_queries if "applications_application" in q["sql"]]
        return result, len(on_replica), len(on_primary_cases)

    search = selectors.WorklistFilters(q=surname, state="all")
    page, replica_reads, primary_reads = reads(lambda: list(selectors.worklist(officer, search)))
    assert [a.pk for a in page] == [application.pk]
    assert replica_reads >= 1 and primary_reads == 0

    page, replica_reads, primary_reads = reads(
        lambda: list(selectors.worklist(auditor, selectors.WorklistFilters()))
    )
    assert [a.pk for a in page] == [application.pk]
    assert replica_reads >= 1 and primary_reads == 0

    on = application.received_at.date()
    rows, replica_reads, _ = reads(lambda: list(selectors.stage_events(officer, on, on)))
    assert rows and replica_reads >= 1

    # The officer's own worklist and the case page stay on the primary.
    page, replica_reads, primary_reads = reads(
        lambda: list(selectors.worklist(officer, selectors.WorklistFilters()))
    )
    assert [a.pk for a in page] == [application.pk]
    assert replica_reads == 0 and primary_reads >= 1
    _, replica_reads, _ = reads(lambda: selectors.application_for_detail(officer, application.pk))
    assert replica_reads == 0
    assert Application.objects.count() == 1
