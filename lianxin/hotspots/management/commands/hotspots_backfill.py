from django.core.management.base import BaseCommand

from lianxin.hotspots.services import signatures_backfill


class Command(BaseCommand):
    help = "Sign cases that have no duplicate signature yet and record their likely duplicates (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=100_000)

    def handle(self, *args, limit: int, **options) -> None:
        signed = signatures_backfill(limit=limit)
        self.stdout.write(f"{signed} cases signed.")
