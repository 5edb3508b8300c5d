"""`manage.py demo_load`: the demo district with a year of cases, and its logins."""

import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.core import clock
from lianxin.core.errors import ApplicationError
from lianxin.demo import loader
from lianxin.projects.demo import demo_round_paths


class Command(BaseCommand):
    help = "Load the demo district (once: a second run adds nothing) and print its logins."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=2000, help="How many cases of history to create.")

    def handle(self, *args, cases: int = 2000, **options):
        started = time.monotonic()
        try:
            loaded = loader.demo_load(cases=cases)
        except ApplicationError as error:
            raise CommandError(error.message) from None
        if loaded:
            seconds = time.monotonic() - started
            self.stdout.write(
                self.style.SUCCESS(_("Demo district loaded: %(n)d cases in %(s).1f s.") % {"n": cases, "s": seconds})
            )
        else:
            self.stdout.write(self.style.WARNING(_("The demo district is already loaded; nothing was added.")))
        self.print_logins()

    def print_logins(self) -> None:
        rows = [(_("Role"), _("User name"), _("What they see"))]
        rows += [(login.role, login.username, login.sees) for login in loader.demo_logins()]
        widths = [max(_width(row[i]) for row in rows) for i in range(2)]
        self.stdout.write("")
        for role, username, sees in rows:
            self.stdout.write(f"{_pad(role, widths[0])}  {_pad(username, widths[1])}  {sees}")
        others = loader.other_deputies()
        self.stdout.write(_("Other deputies: %(names)s") % {"names": ", ".join(others)})
        self.stdout.write("")
        self.stdout.write(_("Password for every demo login: %(password)s") % {"password": loader.PASSWORD})
        tries = loader.try_it()
        self.stdout.write(_("Deputy QR code (the deputy login): %(url)s") % {"url": tries.deputy_qr})
        self.stdout.write(
            _("Station QR code (%(station)s): %(url)s") % {"station": tries.station_name, "url": tries.station_qr}
        )
        self.stdout.write(
            _("Tracking code to try: %(code)s at %(url)s") % {"code": tries.tracking_code, "url": tries.tracking_url}
        )
        self.print_projects()

    def print_projects(self) -> None:
        self.stdout.write("")
        self.stdout.write(_("Livelihood projects (民生实事项目): %(url)s") % {"url": reverse("projects:list")})
        for r in demo_round_paths(year=timezone.localdate(clock.now()).year):
            self.stdout.write(
                _("%(title)s (%(status)s): %(url)s, run by %(office)s")
                % {"title": r.title, "status": r.status, "url": r.page, "office": r.office}
            )
            if r.status_code == "soliciting":
                self.stdout.write(
                    _("  Residents propose at %(url)s (QR code: %(qr)s)") % {"url": r.public_page, "qr": r.qr}
                )
            self.stdout.write(_("  Deputies who vote: %(names)s") % {"names": ", ".join(r.electors) or "—"})


def _width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
