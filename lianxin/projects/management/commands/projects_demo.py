"""Add the current year's livelihood-projects round to the loaded demo district (idempotent)."""

from django.core.management.base import BaseCommand

from lianxin.core import clock
from lianxin.projects.demo import demo_projects


class Command(BaseCommand):
    help = "Add this year's livelihood-projects round to the demo district (after demo_load)."

    def handle(self, *args, **options):
        round_ = demo_projects(now=clock.now())
        if round_ is None:
            self.stdout.write("Nothing to do: no demo district, or its round for this year exists.")
        else:
            self.stdout.write(f"Round {round_.pk}: {round_.title} ({round_.get_status_display()})")
