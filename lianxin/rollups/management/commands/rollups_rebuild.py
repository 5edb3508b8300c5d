from django.core.management.base import BaseCommand

from lianxin.rollups.rebuild import rebuild


class Command(BaseCommand):
    help = "Rebuild the cockpit's rollup tables from the cases and their timelines (one transaction)."

    def handle(self, *args, **options) -> None:
        done = rebuild(progress=lambda message: self.stderr.write(message) if options["verbosity"] > 1 else None)
        self.stdout.write(
            f"{done.cases} cases → {done.rollup_rows} rollup rows, {done.deputy_rows} deputy rows "
            f"in {done.seconds:.1f} s"
        )
