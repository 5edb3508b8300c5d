"""Report periods: a calendar month or quarter, its label and the period before it. Pure."""

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


PERIOD_KIND_LABELS = {PeriodKind.MONTH: gettext_lazy("Monthly"), PeriodKind.QUARTER: gettext_lazy("Quarterly")}


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date  # first day of the month or quarter

    @property
    def months(self) -> int:
        return 3 if self.kind == PeriodKind.QUARTER else 1

    @property
    def end(self) -> date:
        last = _add_months(self.start, self.months - 1)
        return last.replace(day=calendar.monthrange(last.year, last.month)[1])

    @property
    def quarter(self) -> int:
        return (self.start.month - 1) // 3 + 1

    def previous(self) -> "Period":
        return Period(self.kind, _add_months(self.start, -self.months))

    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(quarter)d %(year)d") % {"quarter": self.quarter, "year": self.start.year}
        return formats.date_format(self.start, "YEAR_MONTH_FORMAT")

    def unit(self) -> str:
        """How the text names this period: "this quarter" / "this month"."""
        return _("this quarter") if self.kind == PeriodKind.QUARTER else _("this month")

    def previous_unit(self) -> str:
        return _("the previous quarter") if self.kind == PeriodKind.QUARTER else _("the previous month")


def period_of(kind: PeriodKind | str, day: date) -> Period:
    """The month or quarter containing `day`."""
    kind = PeriodKind(kind)
    if kind == PeriodKind.QUARTER:
        return Period(kind, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    return Period(kind, day.replace(day=1))


def last_complete(kind: PeriodKind | str, today: date) -> Period:
    """The latest month or quarter that ended before `today`."""
    return period_of(kind, today).previous()


def _add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
