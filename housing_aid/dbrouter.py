"""Reads that tolerate a few seconds of lag go to a PostgreSQL streaming replica.

With ``DATABASE_REPLICA_URL`` set, the ``replica`` alias exists and:

- the dashboard's summaries are read there by this router (``db_for_read``);
- dashboards, exports, searches and the auditor's views ask for :func:`lagging_reads`
  explicitly (``qs.using(lagging_reads())``); the worklists and the case-list API ask
  :func:`list_reads` (a search, or any list an auditor reads);
- every write, every transition and the case pages stay on the primary (the router
  sends no write and no other model's read to the replica).

Without it everything is the primary. Migrations run on the primary only; the replica
receives them by streaming.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Models read only by the dashboards: safe to read with replication lag.
REPLICA_MODELS = {"sla.stagemonthsummary", "sla.casemonthsummary"}


def replica_configured() -> bool:
    return REPLICA in connections.settings


def lagging_reads() -> str:
    """The alias for a read that tolerates a few seconds of lag."""
    return REPLICA if replica_configured() else DEFAULT_DB_ALIAS


def list_reads(user, *, searching: bool = False) -> str:
    """The alias for a case list: the replica for a search and for the auditor's views (they
    read history, not the work at hand); the primary for the rest, so an officer's own
    worklist shows the case just taken."""
    from housing_aid import roles

    if searching or roles.has_role(user, roles.Role.AUDITOR):
        return lagging_reads()
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.label_lower in REPLICA_MODELS:
            return lagging_reads()
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two servers

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
