"""Reply deadlines from the database's rules and calendar; the arithmetic is in sla.py."""

from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from . import sla
from .models import CaseKind, SlaRule, WorkCalendarDay

_CALENDAR_KEY = "lianxin:work-calendar"


def work_calendar() -> sla.WorkCalendar:
    calendar = cache.get(_CALENDAR_KEY)
    if calendar is None:
        calendar = sla.WorkCalendar.from_days(WorkCalendarDay.objects.values_list("date", "is_workday"))
        cache.set(_CALENDAR_KEY, calendar, 300)
    return calendar


def forget_work_calendar() -> None:
    cache.delete(_CALENDAR_KEY)


def rule_for(*, kind: str, category) -> tuple[int, bool]:
    """(hours, working_days): kind+category beats category beats kind beats the default."""
    matches_category = Q(category__isnull=True) | (Q(category=category) if category else Q(pk__in=[]))
    rules = SlaRule.objects.filter(matches_category, kind__in=[kind, ""])
    best = sorted(rules, key=lambda r: (r.category_id is not None, r.kind != ""), reverse=True)
    if best:
        return best[0].hours, best[0].working_days
    return settings.DEFAULT_REPLY_HOURS, False


def deadline_for(*, kind: str, category, start: datetime) -> datetime:
    hours, working_days = rule_for(kind=kind, category=category)
    return sla.due_at(start, hours=hours, working_days=working_days, calendar=work_calendar())


def promised_reply_hours() -> int:
    """The reply time promised to residents on posters and public pages: the rule for an
    opinion whose category is not known yet."""
    return rule_for(kind=CaseKind.OPINION, category=None)[0]
