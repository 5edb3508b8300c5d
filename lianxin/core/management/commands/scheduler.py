"""Enqueue periodic tasks for the worker (the tasks themselves are idempotent sweeps)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of settings.PERIODIC_TASKS at their intervals."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every task once and exit.")

    def handle(self, *args, once: bool = False, **options):
        jobs = [(import_string(path), seconds) for path, seconds in settings.PERIODIC_TASKS]
        next_run = [0.0] * len(jobs)
        while True:
            now = time.monotonic()
            for i, (job, seconds) in enumerate(jobs):
                if now >= next_run[i]:
                    job.enqueue()
                    next_run[i] = now + seconds
            if once:
                return
            time.sleep(5)
