"""The hot-issues filter (GET): place and period. A bad date never fails the page: it is
reported and the default period is used; a place the user may not see is a 404."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from lianxin.cockpit.forms import PlaceFilterForm
from lianxin.places.models import Place

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class HotQuery:
    place: Place | None
    date_from: date
    date_to: date
    problems: tuple[str, ...]


class HotFilterForm(PlaceFilterForm):
    def query(self) -> HotQuery:
        place = self.chosen_place()
        date_from, date_to, problem = self._period()
        return HotQuery(place, date_from, date_to, (str(problem),) if problem else ())

    def _period(self) -> tuple[date, date, str]:
        default_to = self.today
        default_from = default_to - timedelta(days=DEFAULT_DAYS - 1)
        if "date_from" in self.errors or "date_to" in self.errors:
            name = "date_from" if "date_from" in self.errors else "date_to"
            typed = self.data.get(name, "")[:40]
            problem = _("“%(typed)s” is not a date (YYYY-MM-DD). The last 30 days are shown.") % {"typed": typed}
            return default_from, default_to, problem
        date_from = self.cleaned_data.get("date_from") or default_from
        date_to = self.cleaned_data.get("date_to") or default_to
        if date_from > date_to:
            return default_from, default_to, _("The start date is after the end date. The last 30 days are shown.")
        if (date_to - date_from).days >= MAX_DAYS:
            problem = _("Please choose at most %(days)d days. The last 30 days are shown.") % {"days": MAX_DAYS}
            return default_from, default_to, problem
        return date_from, date_to, ""

    def for_display(self, query: HotQuery) -> "HotFilterForm":
        place = query.place.pk if query.place else None
        return self.copy_showing({"place": place, "date_from": query.date_from, "date_to": query.date_to})
