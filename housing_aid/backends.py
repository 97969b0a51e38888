"""The signed-in user in one query.

Every page reads the user's role (scope, menu, second factor), the providers of its scope
(the header names them) and the header's bell. The session's user is loaded with its staff
profile, its providers and its count of unread notifications (on the partial
``notification_unread`` index) in one statement instead of four queries a request.

On PostgreSQL the statement is written once per process and run as SQL: the ORM would
compile its subqueries again on every request, which cost more CPU than the queries it
saves (measured with ``make load``). Elsewhere (SQLite for ``make run``) the ORM reads the
user with its profile and the rest loads on demand.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import DEFAULT_DB_ALIAS, connections

# What the header and the scope read of a provider; the rest loads on access.
PROVIDER_FIELDS = ("id", "code", "region", "name_ru", "name_kk", "name_en")


@cache
def _statement() -> tuple[str, list, list]:
    from housing_aid.models import ServiceProvider, StaffProfile
    from housing_aid.sla.models import Notification

    User = get_user_model()
    user_fields = list(User._meta.concrete_fields)
    staff_fields = list(StaffProfile._meta.concrete_fields)
    links = StaffProfile.providers.through._meta
    pairs = ", ".join(
        f"'{name}', p.{ServiceProvider._meta.get_field(name).column}" for name in PROVIDER_FIELDS
    )
    order = ", ".join(
        f"p.{ServiceProvider._meta.get_field(name).column}" for name in ServiceProvider._meta.ordering
    )
    columns = [f'u."{f.column}"' for f in user_fields] + [f's."{f.column}"' for f in staff_fields]
    # Table and column names come from the models' metadata; the user id is a parameter.
    sql = (
        f"SELECT {', '.join(columns)}, "  # noqa: S608
        f"(SELECT count(*) FROM {Notification._meta.db_table} n "
        f"WHERE n.recipient_id = u.{User._meta.pk.column} AND n.read_at IS NULL), "
        f"ARRAY(SELECT json_build_object({pairs}) FROM {ServiceProvider._meta.db_table} p "
        f"JOIN {links.db_table} l ON l.serviceprovider_id = p.id "
        f"WHERE l.staffprofile_id = s.id ORDER BY {order}) "
        f"FROM {User._meta.db_table} u LEFT JOIN {StaffProfile._meta.db_table} s "
        f"ON s.user_id = u.{User._meta.pk.column} WHERE u.{User._meta.pk.column} = %s"
    )
    return sql, [f.attname for f in user_fields], [f.attname for f in staff_fields]


def _read(user_id):
    from housing_aid.models import ServiceProvider, StaffProfile

    sql, user_names, staff_names = _statement()
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    n = len(user_names)
    user = get_user_model().from_db(DEFAULT_DB_ALIAS, user_names, row[:n])
    staff_values = row[n : n + len(staff_names)]
    staff = StaffProfile.from_db(DEFAULT_DB_ALIAS, staff_names, staff_values) if staff_values[0] else None
    get_user_model().staff.related.set_cached_value(user, staff)
    if staff is not None:
        StaffProfile.user.field.set_cached_value(staff, user)
    user.unread_notifications = row[-2]
    # ``from_db`` reads a partial row's values in the model's field order, not the order named.
    loaded = [f.attname for f in ServiceProvider._meta.concrete_fields if f.attname in PROVIDER_FIELDS]
    user._providers_cache = (
        [ServiceProvider.from_db(DEFAULT_DB_ALIAS, loaded, [p[f] for f in loaded]) for p in row[-1]]
        if staff is not None and not staff.all_providers
        else []
    )
    return user


class StaffModelBackend(ModelBackend):
    def get_user(self, user_id):
        if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
            user = _read(user_id)
        else:
            user = get_user_model()._default_manager.select_related("staff").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
