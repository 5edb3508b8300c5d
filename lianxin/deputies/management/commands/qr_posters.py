"""`manage.py qr_posters --station CODE --out DIR`: every active deputy's poster of a
station as PDF files, for printing in bulk."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lianxin.deputies import posters
from lianxin.places.models import Station


class Command(BaseCommand):
    help = "Write the A4 QR code poster of every active deputy of a liaison station into a folder."

    def add_arguments(self, parser):
        parser.add_argument("--station", required=True, help="The liaison station's code.")
        parser.add_argument("--out", required=True, help="Folder to write the PDF files into.")
        parser.add_argument("--base-url", default="", help="Scheme and host the codes point at (default: SITE_URL).")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, help="Language of the posters.")

    def handle(self, *args, station: str, out: str, base_url: str, language: str, **options):
        found = Station.objects.select_related("place").filter(code=station).first()
        if found is None:
            raise CommandError(_("There is no liaison station with the code %(code)s.") % {"code": station})
        base = (base_url or settings.SITE_URL).rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise CommandError(_("Set SITE_URL or pass --base-url (for example https://lianxin.example.org)."))
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        deputies = found.deputies.filter(active=True).select_related("station__place").order_by("name", "pk")
        with translation.override(language):
            written = [self._write(deputy, base, folder) for deputy in deputies]
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(_("%(n)d posters written.") % {"n": len(written)}))

    def _write(self, deputy, base: str, out: Path) -> Path:
        path = out / f"{deputy.qr_token}-{_file_safe(deputy.name)}.pdf"
        path.write_bytes(posters.deputy_poster_pdf(deputy, base))
        return path


def _file_safe(name: str) -> str:
    """Keep letters (Chinese too) and digits; anything that could be a path separator goes."""
    return re.sub(r"[^\w-]+", "_", name).strip("_") or "deputy"
