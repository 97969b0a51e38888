from __future__ import annotations

from django.core.management.base import BaseCommand

from housing_aid.sla import services


class Command(BaseCommand):
    help = "Run one SLA sweep now (the work Celery beat schedules); safe to run again."

    def handle(self, *args, **options):
        result = services.sweep()
        created = ", ".join(f"{kind}: {count}" for kind, count in result.created.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"SLA sweep for {result.today}: {result.total} notification(s) written ({created}); "
                f"{result.requeued} e-mail(s) queued again."
            )
        )
