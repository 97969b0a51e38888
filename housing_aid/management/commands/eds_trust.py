"""``manage.py eds_trust add FILE.pem``: trust a root or intermediate certificate (NCA RK)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from housing_aid.eds import trust
from housing_aid.eds.models import TrustedCertificate


class Command(BaseCommand):
    help = "Manage the certificates that heads' EDS certificates must chain to."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add the certificates of a PEM (or DER) file")
        add.add_argument("file")
        add.add_argument("--note", default="")
        sub.add_parser("list", help="list the trusted certificates")

    def handle(self, *args, **options):
        if options["action"] == "list":
            for c in TrustedCertificate.objects.all():
                kind = "root" if c.is_root else "intermediate"
                active = "" if c.is_active else " (disabled)"
                self.stdout.write(
                    f"{c.fingerprint[:16]} {kind} {c.subject} until {c.not_after:%Y-%m-%d}{active}"
                )
            return
        path = Path(options["file"])
        try:
            rows = trust.add_pem(path.read_bytes(), options["note"])
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        except ValueError as exc:
            raise CommandError(f"{path} holds no certificate: {exc}") from exc
        for row, created in rows:
            verb = "Added" if created else "Already trusted"
            self.stdout.write(
                self.style.SUCCESS(f"{verb}: {row.subject} ({'root' if row.is_root else 'intermediate'})")
            )
