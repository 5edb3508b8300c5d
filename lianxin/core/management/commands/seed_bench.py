"""`manage.py seed_bench --cases N`: a synthetic city with N cases and their timelines, for benchmarks."""

from dataclasses import replace

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lianxin.demo.bench import BenchOptions, BenchResult, seed_bench
from lianxin.rollups.rebuild import rebuild


def _positive(name: str, value: int) -> None:
    if value < 1:
        raise CommandError(_("%(option)s must be a whole number of at least 1.") % {"option": name})


class Command(BaseCommand):
    help = (
        "Create a new synthetic city (code bench-<run>: districts, towns, communities, a station and "
        "three deputies per town, departments per district) and N cases with their timelines, written "
        "in bulk as the case services would have written them. Categories and reply-deadline rules are "
        "reused or created as the demo does. No notifications, hotspot signatures, routing suggestions "
        "or search tokens are made; the cockpit's rollups are rebuilt at the end (all cases). "
        "The same --seed gives the same cases. For benchmark databases only: "
        "do not run it beside other writers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="How many cases to create.")
        parser.add_argument("--districts", type=int, default=6, help="Districts in the city (default 6).")
        parser.add_argument("--towns", type=int, default=12, help="Towns or streets per district (default 12).")
        parser.add_argument("--communities", type=int, default=8, help="Communities per town (default 8).")
        parser.add_argument("--years", type=int, default=3, help="Years of history ending now (default 3).")
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument("--batch", type=int, default=20_000, help="Cases per transaction (default 20000).")
        parser.add_argument(
            "--no-rollups",
            action="store_true",
            help="Leave the cockpit's rollup tables alone (by default they are rebuilt at the end).",
        )
        parser.add_argument(
            "--serial",
            action="store_true",
            help="Generate the cases in this process too (slower; by default a forked process generates them "
            "while this one writes).",
        )

    def handle(self, *args, **options):
        for name in ("cases", "districts", "towns", "communities", "years", "batch"):
            _positive(f"--{name}", options[name])
        names = ("cases", "districts", "towns", "communities", "years", "seed", "batch")
        bench = BenchOptions(**{name: options[name] for name in names})
        if options["serial"]:
            bench = replace(bench, parallel=False)
        verbose = options["verbosity"] > 1
        result = seed_bench(bench, progress=self._progress if verbose else None)
        self._report(result)
        if not options["no_rollups"]:
            rebuilt = rebuild()
            rows, seconds = rebuilt.rollup_rows, rebuilt.seconds
            self.stdout.write(f"Rollups rebuilt from {rebuilt.cases:,} cases: {rows:,} rows in {seconds:.1f} s.")

    def _progress(self, result: BenchResult) -> None:
        rate = result.cases / max(result.case_seconds or 1e-9, 1e-9)
        self.stdout.write(f"  {result.cases:,} cases, {result.events:,} events ({rate:,.0f} cases/s)")

    def _report(self, result: BenchResult) -> None:
        city = result.city
        seconds = result.setup_seconds + result.case_seconds
        self.stdout.write(
            f"City {city.root.code} ({city.root.name}): {city.places:,} places, {len(city.towns)} stations, "
            f"{city.deputies} deputies, {city.departments} departments, "
            f"{city.categories_created} categories created ({len(city.categories)} used) "
            f"in {result.setup_seconds:.1f} s."
        )
        rate = result.cases / result.case_seconds if result.case_seconds else 0
        self.stdout.write(
            f"{result.cases:,} cases, {result.events:,} timeline events, {result.follows:,} follows "
            f"in {result.case_seconds:.1f} s ({rate:,.0f} cases/s)."
        )
        statuses = ", ".join(f"{status} {count:,}" for status, count in result.statuses.most_common())
        self.stdout.write(f"By status: {statuses}; overdue now: {result.overdue_now:,}.")
        self.stdout.write(self.style.SUCCESS(f"Done in {seconds:.1f} s."))
