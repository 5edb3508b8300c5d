"""The cockpit's figures computed straight from the case table and the timeline: the
reference the rollups are checked against (tests/rollups/test_equal_to_raw.py) and the
baseline of benchmarks/cockpit.py. The definitions are in selectors.py's docstring. Pages
use selectors.py, which reads the rollups."""

from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models import Case as SqlCase
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.cases.models import Case, CaseEvent, Channel
from lianxin.cases.selectors import Queue, queue_filter
from lianxin.cases.workflow import ANSWERING_ACTIONS, Action, Actor, Status
from lianxin.core import clock
from lianxin.places.models import Category, Place

from .selectors import (
    REPLY_WINDOW,
    SATISFIED_FROM_STARS,
    Unit,
    _category_name,
    _derive,
    _period_bounds,
    _units,
    cockpit_scope,
    day_start,
    months_between,
    weeks_shown,
)


def raw_figures(user, *, place: Place | None, date_from: date, date_to: date, category: Category | None = None) -> dict:
    """cockpit_figures' numbers (all but the overdue list), each a GROUP BY over the cases."""
    roots, scoped = cockpit_scope(user, place)
    now = clock.now()
    if category is not None:
        scoped = scoped.filter(category=category)
    received = Q(created_at__gte=day_start(date_from), created_at__lt=day_start(date_to + timedelta(days=1)))
    cohort = _with_timeline(scoped.filter(received))
    units = _units(place) if place is not None else [Unit(p.pk, p.code, p.name, p.path) for p in roots]
    figures = _figures(now)
    span = {"place": place, "date_from": date_from, "date_to": date_to, "category": category}
    return span | {
        "now": now,
        "totals": _totals(user, cohort, figures, scoped, now),
        "by_category": _by_category(cohort, figures),
        "by_place": _by_place(cohort, figures, units, place),
        "by_month": _by_month(cohort, date_from, date_to),
        "by_week": _by_week(cohort, date_from, date_to),
        "by_channel": _by_channel(cohort),
        "departments": raw_department_figures(user, **span),
        "deputies": raw_deputy_activity(user, place=place, date_from=date_from, date_to=date_to),
    }


def _with_timeline(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate the submit time and the first answer time, both read from the timeline."""
    events = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("at", "id").values("at")
    submitted = Subquery(events.filter(action=Action.SUBMIT)[:1])
    answered = Subquery(events.filter(action__in=list(ANSWERING_ACTIONS))[:1])
    # A case always has its SUBMIT step; created_at only guards data imported without one.
    return cases.annotate(submit_at=Coalesce(submitted, F("created_at")), first_answer_at=answered)


def _figures(now: datetime) -> dict:
    """The aggregates every breakdown shares, over a queryset annotated by _with_timeline."""
    return {
        "received": Count("pk"),
        "answered": Count("pk", filter=Q(first_answer_at__isnull=False)),
        "answered_48h": Count("pk", filter=Q(first_answer_at__lte=F("submit_at") + REPLY_WINDOW)),
        "pending_48h": Count("pk", filter=Q(first_answer_at__isnull=True, submit_at__gt=now - REPLY_WINDOW)),
        "closed": Count("pk", filter=Q(status=Status.CLOSED)),
        "rated": Count("rating"),
        "rating_avg": Avg("rating"),
        "satisfied": Count("pk", filter=Q(rating__gte=SATISFIED_FROM_STARS)),
        "adopted": Count("pk", filter=Q(adopted=True)),
    }


def _totals(user, cohort: QuerySet[Case], figures: dict, scoped: QuerySet[Case], now: datetime) -> dict:
    totals = _derive(cohort.aggregate(**figures))
    overdue = scoped.filter(queue_filter(Queue.OVERDUE, user=user, now=now))
    totals["overdue_now"] = overdue.count()
    return totals


def _by_category(cohort: QuerySet[Case], figures: dict) -> list[dict]:
    rows = cohort.values("category_id", "category__code", "category__name_zh", "category__name_en").annotate(**figures)
    result = []
    for row in rows.order_by("-received", "category__sort_order", "category__code"):
        named = {
            "category_id": row.pop("category_id"),
            "code": row.pop("category__code") or "",
            "name": _category_name(row.pop("category__name_zh"), row.pop("category__name_en")),
        }
        result.append(_derive(named | row))
    return result


def _by_place(cohort: QuerySet[Case], figures: dict, units: list[Unit], place: Place | None) -> list[dict]:
    """One row per unit, zeros included; cases at `place` itself (or in its grids) come last."""
    if units:
        whens = [When(place__path__startswith=u.path, then=Value(i)) for i, u in enumerate(units)]
        unit_index = SqlCase(*whens, default=Value(-1), output_field=IntegerField())
        per_unit = cohort.annotate(unit=unit_index).values("unit").annotate(**figures)
        grouped = {row.pop("unit"): row for row in per_unit}
    else:  # nothing to compare (a community: its grids are not compared): one row for all
        everything = cohort.aggregate(**figures)
        grouped = {-1: everything} if everything["received"] else {}
    rows = [_place_row(u, grouped.get(i)) for i, u in enumerate(units)]
    if -1 in grouped and place is not None:
        itself = Unit(None, place.code, _("%(place)s itself") % {"place": place.name}, place.path)
        rows.append(_place_row(itself, grouped[-1]))
    return rows


def _place_row(unit: Unit, counts: dict | None) -> dict:
    counts = counts or {"received": 0, "answered": 0, "answered_48h": 0, "pending_48h": 0, "closed": 0,
                        "rated": 0, "rating_avg": None, "satisfied": 0, "adopted": 0}  # fmt: skip
    return _derive({"place_id": unit.place_id, "code": unit.code, "name": unit.name} | counts)


def _by_month(cohort: QuerySet[Case], date_from: date, date_to: date) -> list[dict]:
    """Every month of the period, zeros included, by month of receipt (local time)."""
    month = TruncMonth("created_at", tzinfo=timezone.get_current_timezone())
    rows = (
        cohort.annotate(month=month)
        .values("month")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(first_answer_at__isnull=False)),
            closed=Count("pk", filter=Q(status=Status.CLOSED)),
        )
    )
    found = {_as_date(row.pop("month")): row for row in rows}
    empty = {"received": 0, "answered": 0, "closed": 0}
    return [{"month": m} | found.get(m, empty) for m in months_between(date_from, date_to)]


def _by_week(cohort: QuerySet[Case], date_from: date, date_to: date) -> list[dict]:
    """The last weeks of the period (Monday to Sunday, local time), zeros included; the first
    week may be cut by the period's start."""
    weeks = weeks_shown(date_from, date_to)
    start = max(day_start(weeks[0]), day_start(date_from))
    week = TruncWeek("created_at", tzinfo=timezone.get_current_timezone())
    rows = (
        cohort.filter(created_at__gte=start)
        .annotate(week=week)
        .values("week")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(first_answer_at__isnull=False)),
            closed=Count("pk", filter=Q(status=Status.CLOSED)),
        )
    )
    found = {_as_date(row.pop("week")): row for row in rows}
    empty = {"received": 0, "answered": 0, "closed": 0}
    return [{"week": w} | found.get(w, empty) for w in weeks]


def _as_date(value: datetime | date) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _by_channel(cohort: QuerySet[Case]) -> list[dict]:
    labels = dict(Channel.choices)
    rows = cohort.values("channel").annotate(received=Count("pk")).order_by("-received", "channel")
    return [{"channel": r["channel"], "label": str(labels.get(r["channel"], r["channel"])), **r} for r in rows]


def raw_department_figures(
    user, *, place: Place | None, date_from: date, date_to: date, category: Category | None = None
) -> list[dict]:
    """One row per lead department of the cohort (cases received in the period), busiest
    first: assigned, answered, answered within 48 h, rating, and how it ran late:
    `escalated` counts cohort cases whose deadline passed unanswered (the sweep's ESCALATE
    step on the timeline, attributed to the department that held the case then),
    `overdue_now` the department's cases still waiting past their deadline (any received
    date), `returned` the cohort cases it sent back (退回). Four queries."""
    _roots, scoped = cockpit_scope(user, place)
    if category is not None:
        scoped = scoped.filter(category=category)
    now = clock.now()
    start, end = _period_bounds(date_from, date_to)
    cohort = _with_timeline(scoped.filter(created_at__gte=start, created_at__lt=end))
    rows = cohort.filter(lead_department__isnull=False).values("lead_department_id", "lead_department__name")
    by_department = {r.pop("lead_department_id"): r for r in rows.annotate(**_figures(now))}
    overdue = scoped.filter(queue_filter(Queue.OVERDUE, user=user, now=now), lead_department__isnull=False)
    late = _count_by(overdue.values("lead_department_id", "lead_department__name"), "lead_department", "overdue_now")
    events = CaseEvent.objects.filter(case__in=cohort.values("pk"), department__isnull=False)
    for action, key in ((Action.ESCALATE, "escalated"), (Action.RETURN, "returned")):
        counted = events.filter(action=action).values("department_id", "department__name")
        late.update(_count_by(counted, "department", key, distinct_case=True))
    return _department_rows(by_department, late)


def _count_by(rows: QuerySet, prefix: str, key: str, *, distinct_case: bool = False) -> dict:
    counted = rows.annotate(n=Count("case", distinct=True) if distinct_case else Count("pk"))
    return {(r[f"{prefix}_id"], key): (r[f"{prefix}__name"], r["n"]) for r in counted}


def _department_rows(by_department: dict, late: dict) -> list[dict]:
    empty = {"received": 0, "answered": 0, "answered_48h": 0, "pending_48h": 0, "closed": 0,
             "rated": 0, "rating_avg": None, "satisfied": 0, "adopted": 0}  # fmt: skip
    names = {pk: row["lead_department__name"] for pk, row in by_department.items()}
    names.update({pk: name for (pk, _key), (name, _n) in late.items()})
    rows = []
    for pk, name in names.items():
        counts = {k: v for k, v in by_department.get(pk, empty).items() if k != "lead_department__name"}
        extra = {key: late.get((pk, key), ("", 0))[1] for key in ("overdue_now", "escalated", "returned")}
        rows.append(_derive({"department_id": pk, "name": name} | empty | counts | extra))
    return sorted(rows, key=lambda r: (-r["received"], -r["escalated"], -r["overdue_now"], r["name"]))


def raw_deputy_activity(user, *, place: Place | None, date_from: date, date_to: date) -> dict:
    """What deputies did for the subtree in the period, by their liaison station: cases they
    brought in (cohort cases bound to a deputy: his or her QR code or a visit), their urgings
    (督办) and the cases they began to follow, counted by the date of the step. Four queries."""
    _roots, scoped = cockpit_scope(user, place)
    start, end = _period_bounds(date_from, date_to)
    brought = scoped.filter(created_at__gte=start, created_at__lt=end, deputy__isnull=False)
    stations: dict[int, dict] = {}
    for row in brought.values("deputy__station_id", "deputy__station__name").annotate(
        n=Count("pk"), deputies=Count("deputy", distinct=True)
    ):
        _station(stations, row["deputy__station_id"], row["deputy__station__name"])["brought_in"] = row["n"]
    steps = CaseEvent.objects.filter(
        case__in=scoped.values("pk"), actor_role=Actor.DEPUTY, at__gte=start, at__lt=end,
        action__in=[Action.URGE, Action.FOLLOW], actor__deputy__isnull=False,
    )  # fmt: skip
    counted = steps.values("action", "actor__deputy__station_id", "actor__deputy__station__name")
    for row in counted.annotate(n=Count("pk")):
        station = _station(stations, row["actor__deputy__station_id"], row["actor__deputy__station__name"])
        station["urged" if row["action"] == Action.URGE else "followed"] = row["n"]
    active = _active_deputies(brought, steps)
    rows = sorted(stations.values(), key=lambda r: (-r["brought_in"], -r["urged"], r["name"]))
    totals = {k: sum(r[k] for r in rows) for k in ("brought_in", "urged", "followed")}
    return {"stations": rows, "totals": totals | {"active_deputies": active}}


def _station(stations: dict, pk: int, name: str) -> dict:
    return stations.setdefault(pk, {"station_id": pk, "name": name, "brought_in": 0, "urged": 0, "followed": 0})


def _active_deputies(brought: QuerySet[Case], steps: QuerySet[CaseEvent]) -> int:
    ids = set(brought.values_list("deputy_id", flat=True).distinct())
    ids |= set(steps.values_list("actor__deputy__id", flat=True).distinct())
    return len(ids)
