"""National-scale benchmark (``make bench``): generate N housing-assistance applications with
COPY, then measure each page at two sizes in one run.

    BENCH_N=100000,1000000 make bench     # default 20000,200000
    BENCH_ROUNDS=15                       # timed requests per page (default 11)
    BENCH_REUSE=0                         # regenerate even when the database exists

Data: N applications over 20 providers and 3 years, 5 % open; one person per application;
about 2.8 stage rows and 2 events per application. Each size lives in its own database
``<database>_bench_<N>`` named after ``DATABASE_URL``'s (made from a migrated template, kept
for the next run and migrated when reused), so engineers sharing a server do not collide.

For every page: p50 / p95 of the full request (Django test client, production settings
with test defaults, DEBUG off), its query count, its own SQL time (the sum of its queries'
durations, each timed around its database call), and the growth of p95 between the two
sizes. The sizes take turns request by request (each keeps its own database connection and cache
key prefix), so a machine that runs slower for a while slows both alike and the growth is read
within one run. The pages are measured as a web worker serves them: after ``housing_aid.warmup`` has
loaded the application and frozen what it loaded (``housing_aid/wsgi.py`` does the same). "Before" rows run what the code did before this change on the same data, for the ratios: the worklist's query (a COALESCE sort over
every case of the provider, closed ones too), the worklist search's query (a part of the number
or the start of the surname, in that same order; query only, so the ratio flatters the old
page), and the Django admin's changelist and IIN search as configured when issue 14 was filed
(exact COUNT(*), year drill-down, ``icontains``). The admin rows run as a superuser (every
provider). The "floor" row is a signed-in page that reads no cases: what any staff page costs
before its own work (session, user, second factor, middleware, the base layout).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import DateField, Q, Value  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from housing_aid.warmup import load_and_freeze  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_N", "20000,200000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "11"))
REUSE = os.environ.get("BENCH_REUSE", "1") != "0"
PROVIDERS = 20
OPEN_SHARE = 0.05
TODAY = timezone.localdate()
SYLLABLES = [
    "ах",
    "ме",
    "тов",
    "бек",
    "жан",
    "ов",
    "ин",
    "ер",
    "ке",
    "нов",
    "сар",
    "тай",
    "мұ",
    "ра",
    "қы",
    "лы",
]
OPEN = ["registered", "under_review", "return_drafted", "under_verification", "decision_drafted"]
BASE = dict(settings.DATABASES["default"])
PREFIX = f"{BASE['NAME']}_bench"


def surnames() -> list[str]:
    rng = random.Random(3)
    names = set()
    while len(names) < 600:
        names.add(
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
            + rng.choice(["", "а"])
        )
    return sorted(names)


def admin_conn(dbname: str = "postgres"):
    return psycopg.connect(
        host=BASE["HOST"] or "127.0.0.1",
        port=BASE["PORT"] or 5432,
        user=BASE["USER"] or "postgres",
        password=BASE["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    )


def use_database(name: str) -> None:
    """Point "default" at the database ``name`` through a new connection of its own settings
    (a measured size keeps the connection it was prepared on: ``Size``)."""
    settings_dict = copy.deepcopy(connections.settings["default"])
    settings_dict["NAME"] = name
    connections["default"] = connections["default"].__class__(settings_dict, "default")


def ensure_template() -> str:
    name = f"{PREFIX}_template"
    with admin_conn() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    use_database(name)
    call_command("migrate", verbosity=0)
    for conn in connections.all():
        conn.close()
    return name


def generated_size(name: str) -> int | None:
    with admin_conn() as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return None
    with admin_conn(name) as conn:
        try:
            return conn.execute("SELECT count(*) FROM applications_application").fetchone()[0]
        except psycopg.Error:
            return None


def create_from_template(name: str, template: str) -> None:
    with admin_conn() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def _copy(cur, table: str, columns: list[str], lines: io.StringIO) -> None:
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(lines.getvalue())


def generate(name: str, n: int) -> dict:
    """Providers, staff and N applications with their people, stages and events, by COPY."""
    started = time.perf_counter()
    rng = random.Random(n)
    names = surnames()
    with admin_conn(name) as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # no per-row triggers; summaries rebuilt below
        cur.execute(
            "SELECT id FROM django_content_type WHERE app_label = 'applications' AND model = 'application'"
        )
        ct = cur.fetchone()[0]
        cur.execute("SELECT coalesce(max(id), 0) FROM housing_aid_serviceprovider")
        first_provider = cur.fetchone()[0] + 1
        buf = io.StringIO()
        for p in range(PROVIDERS):
            pid = first_provider + p
            buf.write(
                f"{pid}\tB{pid:08d}\tБенч {p}\tБенч {p}\tBench {p}\tr{p}\takimat\t-\t-\t09:00\t18:00\tAsia/Almaty\tt\n"
            )
        _copy(
            cur,
            "housing_aid_serviceprovider",
            [
                "id",
                "code",
                "name_ru",
                "name_kk",
                "name_en",
                "region",
                "kind",
                "address",
                "head_name",
                "opens_at",
                "closes_at",
                "time_zone",
                "is_active",
            ],
            buf,
        )
        provider_ids = [first_provider + p for p in range(PROVIDERS)]
        buf = io.StringIO()
        now = timezone.now().isoformat()
        person_names = [names[rng.randrange(len(names))] for _ in range(n)]
        for i in range(n):
            buf.write(f"{i + 1}\t{900000000000 + i:012d}\t{person_names[i]}\tИмя\t\t\\N\t-\t\t\t{now}\n")
        _copy(
            cur,
            "housing_aid_person",
            [
                "id",
                "iin",
                "last_name",
                "first_name",
                "patronymic",
                "birth_date",
                "address",
                "phone",
                "email",
                "updated_at",
            ],
            buf,
        )
        apps, stages, events = io.StringIO(), io.StringIO(), io.StringIO()
        stage_id = event_id = 0
        days = 3 * 365
        open_from = int(n * (1 - OPEN_SHARE))
        for i in range(n):
            pk = i + 1
            provider = provider_ids[i % PROVIDERS]
            received = TODAY - dt.timedelta(days=days - (i * days) // n)
            number = f"HA-B{provider:08d}-{received.year}-{pk:07d}"
            due = received + dt.timedelta(days=30)
            is_open = i >= open_from
            if is_open:
                status = OPEN[rng.randrange(len(OPEN))]
                stage_due = TODAY + dt.timedelta(days=rng.randint(-6, 12))
                closed_at = "\\N"
            else:
                status = "assigned" if rng.random() < 0.7 else "refused"
                stage_due = None
                closed_on = received + dt.timedelta(days=rng.randint(10, 35))
                closed_at = f"{closed_on.isoformat()} 12:00:00+05"
            apps.write(
                "\t".join(
                    [
                        str(pk),
                        number,
                        f"{received.isoformat()} 10:00:00+05",
                        received.isoformat(),
                        due.isoformat(),
                        stage_due.isoformat() if stage_due else "\\N",
                        "ru",
                        closed_at,
                        now,
                        now,
                        status,
                        "gov_kz",
                        "f",
                        "Астана",
                        "owner",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "t",
                        "[]",
                        "[]",
                        "[]",
                        "\\N",
                        "\\N",
                        "\\N",
                        "",
                        "",
                        "[]",
                        "",
                        "",
                        "\\N",
                        str(pk),
                        "\\N",
                        "\\N",
                        str(provider),
                        "\\N",
                        person_names[i],  # the triggers are off during COPY
                    ]
                )
                + "\n"
            )
            plan = [("review", 3), ("verification", 15), ("decision", 10)]
            start = received
            for k, (stage, length) in enumerate(plan):
                stage_id += 1
                stage_due_on = start + dt.timedelta(days=length)
                last_open = is_open and (k == len(plan) - 1 or rng.random() < 0.4)
                if last_open:
                    stages.write(
                        f"{stage_id}\t{pk}\thousing_assistance\t{number}\t{stage}\t{start.isoformat()}\t"
                        f"{stage_due.isoformat()}\t\\N\t\\N\t\\N\t{ct}\t{provider}\n"
                    )
                    break
                end = start + dt.timedelta(days=length + rng.randint(-2, 2))
                stages.write(
                    f"{stage_id}\t{pk}\thousing_assistance\t{number}\t{stage}\t{start.isoformat()}\t"
                    f"{stage_due_on.isoformat()}\t{end.isoformat()} 12:00:00+05\t{end.isoformat()}\t\\N\t{ct}\t"
                    f"{provider}\n"
                )
                start = end
            for transition in ("register", "start_review"):
                event_id += 1
                events.write(
                    f"{event_id}\t{pk}\thousing_assistance\t{number}\t{transition}\t\tregistered\tsystem\t"
                    f"{received.isoformat()} 11:00:00+05\t\t{{}}\t\\N\t{ct}\t{provider}\n"
                )
        _copy(
            cur,
            "applications_application",
            [
                "id",
                "number",
                "received_at",
                "registered_on",
                "due_date",
                "stage_due_date",
                "language",
                "closed_at",
                "created_at",
                "updated_at",
                "status",
                "channel",
                "is_reapplication",
                "address",
                "tenure",
                "id_document_number",
                "id_document_issuer",
                "phone",
                "email",
                "bank_iban",
                "bank_name",
                "consent",
                "documents_presented",
                "documents_from_registries",
                "missing_documents",
                "review_due_on",
                "verification_due_on",
                "decision_due_on",
                "draft_decision",
                "return_reason",
                "return_missing_documents",
                "refusal_ground",
                "refusal_reason",
                "signed_at",
                "applicant_id",
                "assignee_id",
                "created_by_id",
                "provider_id",
                "signed_by_id",
                "applicant_last_name",
            ],
            apps,
        )
        _copy(
            cur,
            "housing_aid_casestage",
            [
                "id",
                "object_id",
                "service",
                "case_number",
                "stage",
                "started_on",
                "due_date",
                "closed_at",
                "closed_on",
                "assignee_id",
                "content_type_id",
                "provider_id",
            ],
            stages,
        )
        _copy(
            cur,
            "housing_aid_caseevent",
            [
                "id",
                "object_id",
                "service",
                "case_number",
                "transition",
                "from_state",
                "to_state",
                "actor_name",
                "at",
                "reason",
                "data",
                "actor_id",
                "content_type_id",
                "provider_id",
            ],
            events,
        )
        for table in (
            "housing_aid_person",
            "applications_application",
            "housing_aid_casestage",
            "housing_aid_caseevent",
            "housing_aid_serviceprovider",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
        cur.execute("SET session_replication_role = origin")
        rebuild_summaries(cur)
        cur.execute("VACUUM ANALYZE")
    return {
        "seconds": time.perf_counter() - started,
        "stages": stage_id,
        "events": event_id,
        "provider": provider_ids[0],
    }


def rebuild_summaries(cur) -> None:
    """The triggers were off during COPY: fill the monthly summaries and the open-stage
    counts as the migrations do."""
    import importlib

    rollups = importlib.import_module("housing_aid.sla.migrations.0003_scale_rollups")
    open_counts = importlib.import_module("housing_aid.sla.migrations.0004_open_stage_counts")
    summaries = importlib.import_module("housing_aid.sla.migrations.0005_append_month_summaries")
    cur.execute("TRUNCATE sla_stagemonthsummary, sla_casemonthsummary, sla_openstagecount")
    cur.execute(open_counts.FILL_OPEN_STAGE_COUNTS)
    cur.execute(summaries.FILL_STAGE_SUMMARY)
    for service, table in rollups.CASE_TABLES.items():
        cur.execute(summaries.FILL_CASE_SUMMARY.format(table=table, service=service, tz=settings.TIME_ZONE))


def staff(provider_id: int):
    from housing_aid.models import ServiceProvider, StaffProfile
    from tests.factories import UserFactory

    provider = ServiceProvider.objects.get(pk=provider_id)
    users = {}
    for username, role, all_providers in (
        ("bench_officer", "case_officer", False),
        ("bench_head", "head", False),
        ("bench_auditor", "auditor", True),
    ):
        user = UserFactory(username=username, email=f"{username}@example.kz")
        profile = StaffProfile.objects.create(user=user, role=role, all_providers=all_providers)
        if not all_providers:
            profile.providers.set([provider])
        users[role] = user
    return users


class Timed:
    """The page's own queries, each timed to the microsecond around the database call (Django's
    captured queries keep whole milliseconds, too coarse for pages whose queries take less)."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def timed(fn) -> tuple[float, int, float]:
    """One request: its time (ms), its number of queries and its own SQL time (ms)."""
    counter = Timed()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        fn()
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, counter.count, counter.seconds * 1000


def summary(samples: list[tuple[float, int, float]]) -> dict:
    times = sorted(t for t, _count, _sql in samples)
    return {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "queries": max(count for _t, count, _sql in samples),
        "sql": statistics.median(sql for _t, _count, sql in samples),
    }


def get(client: Client, url: str, params: dict | None = None):
    def run():
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)
        return response

    return run


def page_cursor(officer, page: int) -> str:
    """The keyset cursor that opens page ``page`` (50 rows a page) of the officer's worklist."""
    from applications.models import OPEN_STATUSES, Application
    from housing_aid.paging import keyset_key

    qs = (
        Application.objects.visible_to(officer)
        .filter(status__in=OPEN_STATUSES)
        .order_by("stage_due_date", "id")
    )
    index = min((page - 1) * 50 - 1, qs.count() - 51)  # a small data set has fewer pages
    return keyset_key(qs[max(index, 0)], "stage_due_date")


def before_worklist(officer):
    """The worklist query before this change: every case of the provider, COALESCE sort."""
    from applications.models import Application

    def run():
        qs = (
            Application.objects.visible_to(officer)
            .select_related("applicant", "provider", "assignee")
            .annotate(
                sort_due=Coalesce("stage_due_date", Value(dt.date(9999, 12, 31)), output_field=DateField())
            )
            .order_by("sort_due", "id")
        )
        return list(qs[:51])

    return run


def before_search(officer, text: str):
    """The worklist search before this change (applications/selectors.py at d1247ae^): a part of
    the number or the start of the surname, over every case of the provider (closed ones too),
    in the worklist's default order (the COALESCE of the stage due date, then id), first page."""
    from applications.models import Application

    def run():
        qs = (
            Application.objects.visible_to(officer)
            .select_related("applicant", "provider", "assignee")
            .filter(Q(number__icontains=text) | Q(applicant__last_name__istartswith=text))
            .annotate(
                sort_due=Coalesce("stage_due_date", Value(dt.date(9999, 12, 31)), output_field=DateField())
            )
            .order_by("sort_due", "id")
        )
        return list(qs[:51])

    return run


def before_admin_site():
    """The housing-assistance changelist as the Django admin served it when issue 14 was filed
    (commit d1247ae^): an exact COUNT(*) of the table, the year drill-down on ``received_at``,
    ``icontains`` search over number, IIN and surname, facets. Mounted on its own site for the
    "BEFORE" rows; nothing outside this benchmark sees it."""
    from django.contrib import admin
    from django.urls import clear_url_caches, path

    from applications.admin import ApplicationAdmin
    from applications.models import Application
    from housing_aid import urls

    class ApplicationAdminBefore(admin.ModelAdmin):
        list_display = ApplicationAdmin.list_display  # the same columns then and now
        list_filter = ["status", "channel", "provider"]
        search_fields = ["number", "applicant__iin", "applicant__last_name"]
        list_select_related = ["applicant", "provider"]
        date_hierarchy = "received_at"

    site = admin.AdminSite(name="bench_before_admin")
    site.register(Application, ApplicationAdminBefore)
    if not any(
        getattr(p, "pattern", None) and str(p.pattern) == "bench-before-admin/" for p in urls.urlpatterns
    ):
        urls.urlpatterns.append(path("bench-before-admin/", site.urls))
        clear_url_caches()
    return "/bench-before-admin/applications/application/"


def sweep_at_scale(n_open: int) -> dict:
    """The first sweep of a day over the open stages, with e-mails published to the broker."""
    from django.db import transaction

    from housing_aid.sla import services
    from housing_aid.sla.models import Notification

    Notification.objects.all().delete()
    published = []
    from housing_aid.sla import tasks

    original = tasks.send_recipient_email.delay_on_commit
    started = time.perf_counter()
    with transaction.atomic():
        result = services.sweep(send_emails=False)
    database = time.perf_counter() - started
    Notification.objects.all().delete()
    from celery import current_app

    current_app.conf.task_always_eager = False
    tasks.send_recipient_email.delay_on_commit = lambda *a: published.append(a) or original(*a)
    try:
        started = time.perf_counter()
        services.sweep()
        real = time.perf_counter() - started
    finally:
        tasks.send_recipient_email.delay_on_commit = original
        current_app.conf.task_always_eager = True
        current_app.control.purge()  # nobody consumes the bench's broker
    recipients = Notification.objects.values("recipient").distinct().count()
    return {
        "open_stages": n_open,
        "notifications": result.total,
        "database_s": database,
        "real_s": real,
        "messages": len(published),
        "recipients": recipients,
    }


@dataclass
class Size:
    """One data set: its database (kept connected while the sizes take turns), the prefix of
    its cache keys (sessions and kept pages of the two databases never meet), its pages."""

    n: int
    wrapper: object = None
    prefix: str = ""
    pages: dict = field(default_factory=dict)
    results: dict = field(default_factory=dict)
    n_open: int = 0

    def activate(self) -> None:
        connections["default"] = self.wrapper
        caches["default"].key_prefix = self.prefix


def prepare_size(n: int, template: str) -> Size:
    """Generate (or reuse and migrate) the data set, make its staff and signed-in clients, and
    name its pages; the database stays connected for the measurements."""
    name = f"{PREFIX}_{n}"
    have = generated_size(name) if REUSE else None
    if have != n:
        create_from_template(name, template)
        info = generate(name, n)
        print(
            f"[{n:,}] generated in {info['seconds']:.0f} s: {n:,} applications, {info['stages']:,} stages, "
            f"{info['events']:,} events",
            flush=True,
        )
    use_database(name)
    if have == n:
        call_command("migrate", verbosity=0)  # a kept database gets the migrations added since
    size = Size(n, wrapper=connections["default"], prefix=f"bench{n}")
    size.activate()
    from django.contrib.auth import get_user_model

    from housing_aid.models import ServiceProvider

    get_user_model().objects.filter(username__startswith="bench_").delete()
    provider = ServiceProvider.objects.filter(code__startswith="B").order_by("id").first()
    users = staff(provider.pk)
    users["superuser"] = get_user_model().objects.create_superuser(
        "bench_superuser", "bench_superuser@example.kz"
    )
    officer = users["case_officer"]
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    before_admin = before_admin_site()
    admin_list = "/admin/applications/application/"
    from applications.models import Application

    sample = Application.objects.filter(provider=provider).order_by("-id").select_related("applicant").first()
    surname = sample.applicant.last_name[:4]
    officer_client = clients["case_officer"]
    size.pages = {
        "worklist, first page": get(officer_client, "/applications/"),
        "worklist, page 50": get(officer_client, "/applications/", {"after": page_cursor(officer, 50)}),
        "worklist overdue": get(officer_client, "/applications/", {"deadline": "overdue"}),
        "worklist due soon": get(officer_client, "/applications/", {"deadline": "due_soon"}),
        "search by surname": get(officer_client, "/applications/", {"q": surname, "state": "all"}),
        "search by number": get(officer_client, "/applications/", {"q": sample.number, "state": "all"}),
        "search by IIN": get(officer_client, "/applications/", {"q": sample.applicant.iin, "state": "all"}),
        "head's dashboard": get(clients["head"], "/sla/dashboard/"),
        "auditor's dashboard": get(clients["auditor"], "/sla/dashboard/"),
        "case page": get(officer_client, f"/applications/{sample.pk}/"),
        FLOOR: get(officer_client, "/sla/notifications/"),
        "admin changelist (superuser, national)": get(clients["superuser"], admin_list),
        "admin search by IIN": get(clients["superuser"], admin_list, {"q": sample.applicant.iin}),
        "admin search by number": get(clients["superuser"], admin_list, {"q": sample.number}),
        "BEFORE admin changelist": get(clients["superuser"], before_admin),
        "BEFORE admin search by IIN": get(clients["superuser"], before_admin, {"q": sample.applicant.iin}),
        "BEFORE worklist query (all history, COALESCE)": before_worklist(officer),
        "BEFORE search by surname (its query)": before_search(officer, surname),
        "BEFORE search by number (its query)": before_search(officer, sample.number),
    }
    size.n_open = Application.objects.filter(stage_due_date__isnull=False).count()
    return size


# The floor under every staff page: a signed-in page that reads no cases (the officer, made anew
# for the run, has no notifications). Its time is the framework's own cost of a page (session,
# user and second factor, middleware, the base layout with its menu), whatever the data.
FLOOR = "floor: signed-in page, no data (notifications)"

# Pages whose "before" takes seconds a request: a third of the rounds.
FEW_ROUNDS = {"BEFORE admin search by IIN"}


def measure_sizes(sizes: list[Size]) -> None:
    """Each page at every size in turns, request by request (size 1, size 2, size 1, ...), so
    that a machine that runs slower for a while slows every size alike: the growth between the
    sizes is read in one run, not across the minutes between two blocks."""
    # As a web worker does once it has loaded the application (housing_aid/wsgi.py).
    load_and_freeze()
    for page in sizes[0].pages:
        rounds = max(3, ROUNDS // 3) if page in FEW_ROUNDS else ROUNDS
        for size in sizes:  # warm up: the connection's plans and caches, the kept pages
            size.activate()
            for _ in range(3 if page not in FEW_ROUNDS else 1):
                size.pages[page]()
        samples = {size.n: [] for size in sizes}
        for _ in range(rounds):
            for size in sizes:
                size.activate()
                samples[size.n].append(timed(size.pages[page]))
        for size in sizes:
            size.results[page] = summary(samples[size.n])
        print(f"  measured: {page}", flush=True)
    for size in sizes:
        size.activate()
        size.results["_sweep"] = sweep_at_scale(size.n_open)


def main() -> None:
    print(f"National benchmark: sizes {SIZES}, {ROUNDS} rounds a page, today {TODAY}", flush=True)
    template = ensure_template()
    sizes = [prepare_size(n, template) for n in SIZES]
    measure_sizes(sizes)
    by_size = {size.n: size.results for size in sizes}
    small, large = SIZES[0], SIZES[-1]
    print()
    header = (
        f"{'page':48} | "
        + " | ".join(
            f"{'p50 / p95 ms @' + format(n, ','):>26} | {'q':>3} | {'own SQL':>8}" for n in (small, large)
        )
        + " | growth p95"
    )
    print(header)
    print("-" * len(header))
    for page in by_size[small]:
        if page.startswith("_"):
            continue
        cells = []
        for n in (small, large):
            r = by_size[n][page]
            cells.append(f"{r['p50']:11.1f} / {r['p95']:10.1f} | {r['queries']:3d} | {r['sql']:8.1f}")
        growth = by_size[large][page]["p95"] / max(by_size[small][page]["p95"], 0.001)
        print(f"{page:48} | " + " | ".join(cells) + f" | {growth:6.2f}x")
    big = by_size[large]
    print()
    print(f"Ratios at {large:,}:")
    for page in ("worklist, first page", "worklist, page 50"):
        print(
            f"  {page}: p95 / own SQL = {big[page]['p95'] / max(big[page]['sql'], 0.001):.2f}; "
            f"p95 / BEFORE worklist query p95 = "
            f"{big[page]['p95'] / big['BEFORE worklist query (all history, COALESCE)']['p95']:.3f}; "
            f"p95 / BEFORE admin changelist p95 = {big[page]['p95'] / big['BEFORE admin changelist']['p95']:.3f}"
        )
    floor = big[FLOOR]
    print(
        f"  {FLOOR}: p95 / own SQL = {floor['p95'] / max(floor['sql'], 0.001):.2f} "
        f"({floor['p95']:.1f} ms over {floor['sql']:.1f} ms of SQL)"
    )
    for page, before in (
        ("search by surname", "BEFORE search by surname (its query)"),
        ("search by number", "BEFORE search by number (its query)"),
        ("search by IIN", "BEFORE admin search by IIN"),
        ("admin changelist (superuser, national)", "BEFORE admin changelist"),
        ("admin search by IIN", "BEFORE admin search by IIN"),
    ):
        print(f"  {page}: p95 / BEFORE p95 = {big[page]['p95'] / big[before]['p95']:.3f}")
    for n in (small, large):
        s = by_size[n]["_sweep"]
        print(
            f"  sweep @ {n:,}: {s['open_stages']:,} open stages, {s['notifications']:,} notifications; database "
            f"{s['database_s']:.2f} s, with e-mail publishing {s['real_s']:.2f} s "
            f"({s['real_s'] / max(s['database_s'], 0.001):.2f}x); {s['messages']} messages for "
            f"{s['recipients']} recipients"
        )


if __name__ == "__main__":
    main()
