"""Reading the rollups: sums over a few nodes and a period, whole years from the year rows,
whole months from the month rows and the days at either end from the day rows, so three
years are 3 rows per key plus the months and days at the ends, not 1,095."""

from datetime import date, datetime, timedelta

from django.db.models import Q, Sum

from lianxin.places.models import Place

from . import facts
from .models import CaseFact, Grain
from .services import MODELS


def _next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_q(date_from: date, date_to: date, *, years: bool = True) -> Q:
    """The rows that add up to the days from `date_from` to `date_to`, each day once; with
    `years=False`, no year rows (to group by month)."""
    if not years:
        return _months_q(date_from, date_to)
    first_year = date_from if (date_from.month, date_from.day) == (1, 1) else date(date_from.year + 1, 1, 1)
    after_years = date(date_to.year + 1, 1, 1) if (date_to.month, date_to.day) == (12, 31) else date(date_to.year, 1, 1)
    if first_year >= after_years:
        return _months_q(date_from, date_to)
    return (
        Q(grain=Grain.YEAR, start__gte=first_year, start__lt=after_years)
        | _months_q(date_from, first_year - timedelta(days=1))
        | _months_q(after_years, date_to)
    )


def _months_q(date_from: date, date_to: date) -> Q:
    """Whole months from the month rows, the days at either end from the day rows."""
    if date_from > date_to:
        return Q(pk__in=[])
    first_full = date_from if date_from.day == 1 else _next_month(date_from.replace(day=1))
    after_full = (date_to + timedelta(days=1)).replace(day=1)  # months before this one end by date_to
    if first_full >= after_full:
        return Q(grain=Grain.DAY, start__gte=date_from, start__lte=date_to)
    return (
        Q(grain=Grain.MONTH, start__gte=first_full, start__lt=after_full)
        | Q(grain=Grain.DAY, start__gte=date_from, start__lt=first_full)
        | Q(grain=Grain.DAY, start__gte=after_full, start__lte=date_to)
    )


def sums(
    table: str,
    nodes: list[int],
    date_from: date,
    date_to: date,
    group_by: tuple[str, ...],
    *,
    category: int | None = None,
    days_only: bool = False,
    years: bool = True,
) -> list[dict]:
    """Sums of a table's measures (facts.TABLES) per `group_by` over the nodes and period;
    `days_only` reads the day rows alone (to group by day), `years=False` no year rows (to
    group by month)."""
    _key, measures = facts.TABLES[table]
    rows = MODELS[table].objects.filter(node_id__in=nodes)
    if days_only:
        rows = rows.filter(grain=Grain.DAY, start__gte=date_from, start__lte=date_to)
    else:
        rows = rows.filter(period_q(date_from, date_to, years=years))
    if category is not None:
        rows = rows.filter(category=category)
    return list(rows.values(*group_by).annotate(**{m: Sum(m) for m in measures}).order_by())


def deputy_sums(nodes: list[int], date_from: date, date_to: date) -> tuple[list[dict], int]:
    """Deputies' work per station, and how many deputies did anything."""
    rows = MODELS["deputy"].objects.filter(node_id__in=nodes).filter(period_q(date_from, date_to))
    stations = rows.values("station").annotate(**{m: Sum(m) for m in facts.DEPUTY_MEASURES}).order_by()
    active = rows.filter(Q(brought_in__gt=0) | Q(urged__gt=0) | Q(followed__gt=0)).values("deputy").distinct()
    return list(stations), active.count()


def pending(
    roots: list[Place], date_from: date, date_to: date, now: datetime, window: timedelta, *, category: int | None
) -> list[dict]:
    """Cohort cases not answered yet and submitted less than `window` ago: they count neither for
    nor against the 48-hour rate. Few rows (the last two days' open cases), read from the facts."""
    subtree = Q(pk__in=[])
    for root in roots:
        subtree |= Q(place__path__startswith=root.path)
    rows = CaseFact.objects.filter(subtree, answered=0, submit_at__gt=now - window)
    rows = rows.filter(day__gte=date_from, day__lte=date_to)
    if category is not None:
        rows = rows.filter(category=category)
    return list(rows.values("place__path", "category", "department", "channel"))
