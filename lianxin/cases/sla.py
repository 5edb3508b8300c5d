"""Deadlines for cases: pure functions over aware datetimes and a working-day calendar.

No Django imports: the calendar is passed in (built from holidays_cn or the database by the
caller), so every rule here is testable with plain dates and frozen times.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from math import ceil
from zoneinfo import ZoneInfo

# Working days are counted on the local calendar of the offices handling the case, whatever
# zone the caller's datetime happens to be in (the database hands back UTC).
SHANGHAI = ZoneInfo("Asia/Shanghai")

SATURDAY = 5


@dataclass(frozen=True)
class WorkCalendar:
    """Exceptions to the Monday-Friday week: public holidays and make-up workdays (调休)."""

    holidays: frozenset[date]
    workdays: frozenset[date]

    def is_workday(self, d: date) -> bool:
        # A make-up workday wins over a holiday so that conflicting data fails towards
        # counting the day, which gives the earlier deadline rather than letting a case run late.
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < SATURDAY

    @classmethod
    def from_days(cls, days: Iterable[tuple[date, bool]]) -> "WorkCalendar":
        """Build from (date, is_workday) pairs; entries that match the plain week are dropped."""
        holidays: set[date] = set()
        workdays: set[date] = set()
        for day, is_workday in days:
            is_weekend = day.weekday() >= SATURDAY
            if is_workday and is_weekend:
                workdays.add(day)
            elif not is_workday and not is_weekend:
                holidays.add(day)
        return cls(frozenset(holidays), frozenset(workdays))


WEEKDAYS_ONLY = WorkCalendar(frozenset(), frozenset())


def _next_workday(d: date, calendar: WorkCalendar) -> date:
    d += timedelta(days=1)
    while not calendar.is_workday(d):
        d += timedelta(days=1)
    return d


def _working_days_due(start: datetime, days: int, calendar: WorkCalendar) -> datetime:
    local = start.astimezone(SHANGHAI)
    day, clock = local.date(), local.time()
    if not calendar.is_workday(day):
        # A case filed on a day off waits for the office to open: its clock starts at
        # midnight of the next working day, not at the hour it happened to be filed.
        day, clock = _next_workday(day, calendar), time(0)
    for _ in range(days):
        day = _next_workday(day, calendar)
    return datetime.combine(day, clock, tzinfo=SHANGHAI)


def due_at(start: datetime, *, hours: int, working_days: bool, calendar: WorkCalendar) -> datetime:
    """When a time limit of `hours` that starts at `start` runs out.

    With working_days, the limit is ceil(hours / 24) whole working days (at least one), and
    the deadline falls at the same local clock time as the start. The result is in start's zone.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if hours < 0:
        raise ValueError("hours must not be negative")
    if not working_days:
        return start + timedelta(hours=hours)
    days = max(1, ceil(hours / 24))
    return _working_days_due(start, days, calendar).astimezone(start.tzinfo)


def time_left(due: datetime, now: datetime) -> timedelta:
    """Time remaining until `due`; negative once it has passed."""
    return due - now


def is_overdue(due: datetime | None, now: datetime) -> bool:
    """A case without a deadline is never overdue; one exactly at its deadline is not yet."""
    return due is not None and now > due


def answered_within(start: datetime, answered: datetime | None, hours: int = 48) -> bool:
    """Whether an answer came within `hours` elapsed hours, the boundary included.

    Plain hours, not working days: the 48-hour reply rate is a promise to residents.
    """
    return answered is not None and answered - start <= timedelta(hours=hours)


def remind_at(due: datetime, before_hours: int) -> datetime:
    return due - timedelta(hours=before_hours)


def humanize_left(delta: timedelta) -> tuple[int, int]:
    """(days, hours) of the absolute value, rounded down; the caller words overdue vs left."""
    remaining = abs(delta)
    return remaining.days, remaining.seconds // 3600
