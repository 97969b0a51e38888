from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from housing_aid import staff
from housing_aid.roles import Role


class Command(BaseCommand):
    help = "Create or update a staff user with a role and the providers whose cases they see."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument(
            "--provider", default="", help="CODE[,CODE...]; an administrator without it has every provider"
        )
        parser.add_argument("--password", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--language", default="ru", choices=["ru", "kk", "en"])
        parser.add_argument(
            "--iin", default="", help="the IIN in the user's EDS certificate (heads sign with it)"
        )

    def handle(self, *args, **options):
        codes = [c.strip() for c in options["provider"].split(",") if c.strip()]
        try:
            user, created = staff.create_staff_user(
                options["username"],
                role=options["role"],
                provider_codes=codes,
                password=options["password"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                language=options["language"],
                iin=options["iin"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        verb = "Created" if created else "Updated"
        scope = ", ".join(codes) if codes else "all providers"
        self.stdout.write(self.style.SUCCESS(f"{verb} {user.username} ({options['role']}; {scope})"))
