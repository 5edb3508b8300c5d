"""Remove old row versions of ballot slots (docs/ballot-secrecy.md): VACUUM FULL of the slot
table on PostgreSQL, a truncating WAL checkpoint on SQLite. Closing a ballot does this by
itself; run it by hand if that step failed (the close logs a warning then)."""

from django.core.management.base import BaseCommand

from lianxin.ballots.services import scrub_old_versions


class Command(BaseCommand):
    help = "Rewrite the ballot slot table so no old row version of any cast remains."

    def handle(self, *args, **options) -> None:
        scrub_old_versions()
        self.stdout.write("ballot slots scrubbed")
