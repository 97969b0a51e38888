from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from housing_aid import demo
from housing_aid.eds import demo as eds_demo


class Command(BaseCommand):
    help = "Load reference data (providers, parameters, MSL) and demo users; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--no-cases", action="store_true", help="reference data and users only")

    def handle(self, *args, **options):
        with transaction.atomic():
            demo.seed_reference_data()
            users = demo.seed_users()
            # DJANGO_DEBUG=1 only: a demo CA and demo EDS keys for the demo heads.
            eds_demo.seed_demo_pki()
            # Each service adds its own parameters, programs and demo cases.
            for app in ("applications", "certificates", "complaints", "housing_aid.sla"):
                try:
                    module = importlib.import_module(f"{app}.demo")
                except ModuleNotFoundError:
                    continue
                module.seed_demo(with_cases=not options["no_cases"])
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Logins (password for all: {demo.DEMO_PASSWORD}):")
        )
        for username, role, codes in users:
            self.stdout.write(f"  {username:<14} {role:<20} {', '.join(codes) or 'all providers'}")
