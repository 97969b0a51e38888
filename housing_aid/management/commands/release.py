"""``python manage.py release``: the Procfile's release step. Compiles the translations in pure
Python (no GNU gettext on the host needed), so that Russian and Kazakh messages work, then
applies the migrations."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from housing_aid.msgfmt import compile_tree

PROJECT_PACKAGES = {"housing_aid", "applications", "certificates", "complaints"}


class Command(BaseCommand):
    help = "Compile the translations and migrate (the deploy's release step)."

    def handle(self, *args, **options):
        compiled = []
        for app in apps.get_app_configs():
            if app.name.split(".")[0] in PROJECT_PACKAGES:
                compiled += compile_tree(Path(app.path))
        compiled += compile_tree(Path(settings.BASE_DIR) / "templates")
        self.stdout.write(f"compiled {len(compiled)} translation catalogues")
        call_command("migrate", interactive=False, verbosity=options.get("verbosity", 1))
