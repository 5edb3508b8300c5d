"""Add this year's livelihood-projects rounds to the loaded demo district (idempotent)."""

from django.core.management.base import BaseCommand

from lianxin.core import clock
from lianxin.projects.demo import demo_projects


class Command(BaseCommand):
    help = "Add this year's livelihood-projects rounds to the demo district and its first town (after demo_load)."

    def handle(self, *args, **options):
        rounds = demo_projects(now=clock.now())
        if not rounds:
            self.stdout.write("Nothing to do: no demo district, or its rounds for this year exist.")
        for round_ in rounds:
            self.stdout.write(f"Round {round_.pk}: {round_.title} ({round_.get_status_display()})")
