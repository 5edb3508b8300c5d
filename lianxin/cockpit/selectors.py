"""The cockpit's figures (驾驶舱): rollups of the cases a user may see, for one place subtree
and one period. Every figure is a GROUP BY in the database; the number of queries does not
depend on the number of cases.

How we count (the page says the same in "How we count"):

- The cohort: cases *received* in the period, i.e. created between `date_from` 00:00 and
  `date_to` 24:00 (Asia/Shanghai), in the place's subtree, that the user may see. Cases
  linked as duplicates are counted: each is one resident's opinion, answered when the group's
  answer reaches it (docs/workflow.md, "Merged groups"); only the original can be overdue.
- received: the cohort's size.
- answered: cohort cases with an answering step on their timeline (a reply, an on-the-spot
  resolution, or a closing as not admissible: `workflow.ANSWERING_ACTIONS`).
- answered within 48 h: the first answering step is at most 48 hours after the SUBMIT step,
  both read from the timeline (微档案), not from the case's own columns.
- the 48-hour rate: answered within 48 h ÷ (received − pending), where *pending* cases have
  no answer yet and were submitted less than 48 hours ago: they may still make it, so they
  count neither for nor against.
- closed: cohort cases whose status is now closed.
- satisfaction: the mean of each rated case's latest rating (`Case.rating`; a 1–2 star rating
  that reopened the case is replaced by the next one), and the share of rated cases with 4
  or 5 stars (满意率).
- adopted: cohort cases marked as adopted.
- overdue now: *not* a cohort figure. Cases still waiting for a reply whose deadline has
  passed, whenever they were received (the `overdue` work queue), in the place and category.
- by month: the cohort split by month of receipt; "answered" and "closed" are those of the
  month's cases, so the months add up to the totals.
"""

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.cases.models import Case, Channel
from lianxin.cases.selectors import Queue, case_list_for_user, queue_filter
from lianxin.core import clock
from lianxin.places.models import Category, Department, Place, PlaceKind, Station
from lianxin.places.scope import path_in_scope, place_list_for_user, user_scope
from lianxin.rollups import facts as rollup_facts
from lianxin.rollups import selectors as rollup_selectors

REPLY_WINDOW = rollup_facts.REPLY_WINDOW
SATISFIED_FROM_STARS = rollup_facts.SATISFIED_FROM_STARS
DEFAULT_MONTHS = 12
MAX_MONTHS = 60
WEEKS_SHOWN = 13  # the week trend: the period's last quarter
OVERDUE_SHOWN = 10


# --- the period -----------------------------------------------------------------------------


def default_period(today: date) -> tuple[date, date]:
    """The last 12 months: from the first day of the month 11 months ago up to today."""
    return add_months(today.replace(day=1), -(DEFAULT_MONTHS - 1)), today


def add_months(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(date_from: date, date_to: date) -> list[date]:
    """First days of the months the period touches, oldest first."""
    month, last = date_from.replace(day=1), date_to.replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def day_start(day: date) -> datetime:
    """Midnight at the start of `day`, local time: the same bounds as the work-queue filter."""
    return timezone.make_aware(datetime.combine(day, time.min))


# --- which places the user may look at ---------------------------------------------------


def cockpit_roots(user) -> list[Place]:
    """The top places of the user's place scope (a town office: its town). Empty for users
    whose scope has no place (department handlers, people without a role)."""
    scope = user_scope(user)
    if scope.is_admin:
        return list(Place.objects.filter(parent__isnull=True))
    paths = scope.place_paths
    tops = {p for p in paths if not any(p != q and p.startswith(q) for q in paths)}
    return list(Place.objects.filter(path__in=tops)) if tops else []


def cockpit_place_choices(user) -> QuerySet[Place]:
    """Places the cockpit can be narrowed to: the user's subtree, without grids (as in the
    work-queue filter, so every link from the cockpit opens the same cases)."""
    return place_list_for_user(user).exclude(kind=PlaceKind.GRID)


def _check_place(user, place: Place) -> None:
    scope = user_scope(user)
    if place.kind == PlaceKind.GRID or not (scope.is_admin or path_in_scope(scope.place_paths, place.path)):
        raise Http404


# --- the figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One row of the "by place" comparison: a child place, rolled up by path prefix."""

    place_id: int | None
    code: str
    name: str
    path: str


def cockpit_scope(user, place: Place | None) -> tuple[list[Place], QuerySet[Case]]:
    """The places a roll-up page looks at (`place`, or all the user's top places) and the cases
    under them the user may see. Http404 for a grid, a place out of scope, or no place at all.
    Shared by the cockpit, the hot-issues page and the reports."""
    if place is not None:
        _check_place(user, place)
        roots = [place]
    else:
        roots = cockpit_roots(user)
        if not roots:
            raise Http404
    subtree = Q(pk__in=[])
    for root in roots:
        subtree |= Q(place__path__startswith=root.path)
    return roots, case_list_for_user(user).filter(subtree)


def _derive(row: dict) -> dict:
    """Add the rates to a row of counts: None when there is nothing to divide by."""
    eligible = row["received"] - row["pending_48h"]
    row["eligible_48h"] = eligible
    row["rate_48h"] = row["answered_48h"] / eligible if eligible else None
    row["satisfied_share"] = row["satisfied"] / row["rated"] if row["rated"] else None
    return row


def _category_name(name_zh: str | None, name_en: str | None) -> str:
    if name_zh is None:
        return _("Not yet classified")
    probe = Category(name_zh=name_zh, name_en=name_en or name_zh)
    return probe.name  # follows the active language, like Category.name everywhere


def _units(place: Place) -> list[Unit]:
    children = Place.objects.filter(parent=place).exclude(kind=PlaceKind.GRID).order_by("path")
    return [Unit(c.pk, c.code, c.name, c.path) for c in children]


def weeks_shown(date_from: date, date_to: date) -> list[date]:
    """Mondays of the weeks the week trend shows: the last WEEKS_SHOWN weeks of the period."""
    last = date_to - timedelta(days=date_to.weekday())
    first = max(last - timedelta(weeks=WEEKS_SHOWN - 1), date_from - timedelta(days=date_from.weekday()))
    return [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]


def overdue_cases(user, roots: list[Place], now: datetime, category_id: int | None = None) -> list[tuple]:
    """(deadline, case id, lead department id) of every case under `roots` waiting past its
    deadline (the `overdue` work queue), oldest deadline first. One query, driven by the
    status-and-deadline index and sorted here (an ORDER BY makes SQLite walk the date index;
    filtering by place first would walk every case of the subtree, while the overdue cases of
    the whole database are few). The roots lie within the user's place scope (cockpit_scope),
    so every case under them is the user's."""
    overdue = Case.objects.filter(queue_filter(Queue.OVERDUE, user=user, now=now))
    if category_id is not None:
        overdue = overdue.filter(category_id=category_id)
    paths = tuple(root.path for root in roots)
    rows = overdue.order_by().values_list("due_at", "pk", "lead_department_id", "place__path")
    return sorted((due, pk, department) for due, pk, department, path in rows if path.startswith(paths))


def overdue_list(overdue: list[tuple], now: datetime) -> list[dict]:
    """The first page of the overdue queue: the cases waiting longest past their deadline."""
    first = [pk for _due, pk, _department in overdue[:OVERDUE_SHOWN]]
    cases = Case.objects.filter(pk__in=first).select_related("place", "category", "lead_department")
    rows = sorted(cases, key=lambda case: (case.due_at, case.pk))
    return [
        {
            "case_id": case.pk,
            "code": case.display_code,
            "place": case.place.name,
            "category": case.category.name if case.category else None,
            "department": case.lead_department.name if case.lead_department else None,
            "due_at": case.due_at,
            "hours_overdue": int((now - case.due_at).total_seconds() // 3600),
        }
        for case in rows
    ]


# --- departments and deputies (the reports' league table and deputies' work) ---------------


def _period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    return day_start(date_from), day_start(date_to + timedelta(days=1))


# --- the figures, read from the rollups ------------------------------------------------------

CASE_MEASURES = rollup_facts.CASE_MEASURES
DEPARTMENT_MEASURES = rollup_facts.DEPARTMENT_MEASURES


@dataclass(frozen=True)
class _Inputs:
    """What every part of the cockpit reads: the nodes, the period, the pending cases."""

    roots: list[Place]
    node_ids: list[int]
    date_from: date
    date_to: date
    category_id: int | None
    now: datetime
    waiting: list[dict]  # pending_48h cases: place__path, category, department, channel

    def sums(
        self, table: str, group_by: tuple[str, ...], *, nodes: list[int] | None = None, years: bool = True
    ) -> list[dict]:
        return rollup_selectors.sums(
            table, self.node_ids if nodes is None else nodes, self.date_from, self.date_to, group_by,
            category=self.category_id, years=years,
        )  # fmt: skip


def _inputs(user, place: Place | None, date_from: date, date_to: date, category: Category | None) -> _Inputs:
    roots, _scoped = cockpit_scope(user, place)  # Http404 when the user may not look at `place`
    now = clock.now()
    category_id = category.pk if category is not None else None
    waiting = rollup_selectors.pending(roots, date_from, date_to, now, REPLY_WINDOW, category=category_id)
    return _Inputs(roots, [r.pk for r in roots], date_from, date_to, category_id, now, waiting)


def cockpit_figures(
    user, *, place: Place | None, date_from: date, date_to: date, category: Category | None = None
) -> dict:
    """Every figure of the cockpit for `place`'s subtree (None: all the user's top places),
    for the cases received from `date_from` to `date_to` inclusive. Raises Http404 when the
    user may not look at `place`. See the module docstring for the definitions; the numbers
    are sums over rollup rows (docs/rollups.md), equal to raw.raw_figures'."""
    given = _inputs(user, place, date_from, date_to, category)
    categories = given.sums("category", ("category",))
    overdue = overdue_cases(user, given.roots, given.now, given.category_id)
    units = _units(place) if place is not None else [Unit(p.pk, p.code, p.name, p.path) for p in given.roots]
    everything = _total(categories)
    totals = _derive(_counts(everything, len(given.waiting)))
    totals["overdue_now"] = len(overdue)
    return {
        "place": place,
        "date_from": date_from,
        "date_to": date_to,
        "category": category,
        "now": given.now,
        "totals": totals,
        "by_category": _by_category(categories, given.waiting),
        "by_place": _by_place(given, units, place, everything),
        "by_month": _by_month(given.sums("category", ("grain", "start"), years=False), date_from, date_to),
        "by_week": _by_week(given),
        "by_channel": _by_channel(given.sums("channel", ("channel",))),
        "departments": _departments(given, overdue),
        "deputies": _deputies(given),
        "overdue": overdue_list(overdue, given.now),
    }


def department_figures(
    user, *, place: Place | None, date_from: date, date_to: date, category: Category | None = None
) -> list[dict]:
    """The department league (cockpit_figures()["departments"]) alone: one row per department
    of the cohort, busiest first: assigned cases, answered, within 48 h, rating; how it ran
    late: `escalated` cohort cases whose deadline passed unanswered while it held them (the
    sweep's ESCALATE step), `returned` cohort cases it sent back (退回), `overdue_now` its cases
    still waiting past their deadline (any received date)."""
    given = _inputs(user, place, date_from, date_to, category)
    return _departments(given, overdue_cases(user, given.roots, given.now, given.category_id))


def deputy_activity(user, *, place: Place | None, date_from: date, date_to: date) -> dict:
    """What deputies did for the subtree in the period, by their liaison station: cases they
    brought in (cohort cases bound to a deputy: his or her QR code or a visit), their urgings
    (督办) and the cases they began to follow, counted by the date of the step."""
    roots, _scoped = cockpit_scope(user, place)
    return _deputies(_Inputs(roots, [r.pk for r in roots], date_from, date_to, None, clock.now(), []))


def _zero(measures: tuple[str, ...] = CASE_MEASURES) -> dict:
    return dict.fromkeys(measures, 0)


def _sum(rows: list[dict], key: Callable[[dict], Hashable], measures: tuple[str, ...] = CASE_MEASURES) -> dict:
    """Add rollup sums up per key(row)."""
    folded: dict = {}
    for row in rows:
        into = folded.setdefault(key(row), _zero(measures))
        for m in measures:
            into[m] += row[m] or 0
    return folded


def _total(rows: list[dict]) -> dict:
    return _sum(rows, lambda row: None).get(None, _zero())


def _counts(sums: dict, pending: int) -> dict:
    """Rollup sums → the counts a row of figures shows (_derive adds the rates)."""
    rated = sums["rated"]
    return {
        "received": sums["received"],
        "answered": sums["answered"],
        "answered_48h": sums["answered_48h"],
        "pending_48h": pending,
        "closed": sums["closed"],
        "rated": rated,
        "rating_avg": sums["rating_sum"] / rated if rated else None,
        "satisfied": sums["satisfied"],
        "adopted": sums["adopted"],
    }


def _by_category(rows: list[dict], waiting: list[dict]) -> list[dict]:
    sums = _sum(rows, key=lambda row: row["category"])
    pending = Counter(w["category"] for w in waiting)
    found = {pk: counted for pk, counted in sums.items() if counted["received"]}
    known = Category.objects.filter(pk__in=found).values("pk", "code", "name_zh", "name_en", "sort_order")
    names = {c["pk"]: c for c in known}
    rows = []
    for pk, counted in found.items():
        category = names.get(pk, {})
        named = {
            "category_id": pk or None,
            "code": category.get("code", ""),
            "name": _category_name(category.get("name_zh"), category.get("name_en")),
        }
        rows.append((category.get("sort_order", 1 << 16), _derive(named | _counts(counted, pending[pk]))))
    rows.sort(key=lambda r: (-r[1]["received"], r[0], r[1]["code"]))
    return [row for _order, row in rows]


def _by_channel(rows: list[dict]) -> list[dict]:
    labels = dict(Channel.choices)
    counted = sorted(((r["channel"], r["received"] or 0) for r in rows if r["received"]), key=lambda r: (-r[1], r[0]))
    return [{"channel": c, "label": str(labels.get(c, c)), "received": n} for c, n in counted]


def _by_place(given: _Inputs, units: list[Unit], place: Place | None, everything: dict) -> list[dict]:
    """One row per unit, zeros included; cases at `place` itself (or in its grids) come last."""
    per_node = given.sums("category", ("node",), nodes=[u.place_id for u in units])
    sums = _sum(per_node, key=lambda row: row["node"])
    pending = Counter()
    for w in given.waiting:
        unit = next((u.place_id for u in units if w["place__path"].startswith(u.path)), None)
        pending[unit] += 1
    rows = [_derive(_unit_row(u) | _counts(sums.get(u.place_id, _zero()), pending[u.place_id])) for u in units]
    if place is not None:
        itself = _zero()
        for m in CASE_MEASURES:
            itself[m] = everything[m] - sum(s[m] for s in sums.values())
        if itself["received"]:
            unit = Unit(None, place.code, _("%(place)s itself") % {"place": place.name}, place.path)
            rows.append(_derive(_unit_row(unit) | _counts(itself, pending[None])))
    return rows


def _unit_row(unit: Unit) -> dict:
    return {"place_id": unit.place_id, "code": unit.code, "name": unit.name}


def _by_month(rows: list[dict], date_from: date, date_to: date) -> list[dict]:
    """Every month of the period, zeros included, by month of receipt (local time)."""
    sums = _sum(rows, key=lambda row: row["start"].replace(day=1))
    return [
        {"month": m} | {k: sums.get(m, _zero())[k] for k in ("received", "answered", "closed")}
        for m in months_between(date_from, date_to)
    ]


def _by_week(given: _Inputs) -> list[dict]:
    """The last weeks of the period (Monday to Sunday, local time), zeros included; the first
    week may be cut by the period's start."""
    weeks = weeks_shown(given.date_from, given.date_to)
    start = max(weeks[0], given.date_from)
    found: dict[date, dict] = {}
    days = rollup_selectors.sums(
        "category", given.node_ids, start, given.date_to, ("start",), category=given.category_id, days_only=True
    )
    for row in days:
        monday = row["start"] - timedelta(days=row["start"].weekday())
        into = found.setdefault(monday, {"received": 0, "answered": 0, "closed": 0})
        for k in into:
            into[k] += row[k] or 0
    empty = {"received": 0, "answered": 0, "closed": 0}
    return [{"week": w} | found.get(w, empty) for w in weeks]


def _departments(given: _Inputs, overdue: list[tuple]) -> list[dict]:
    rows = given.sums("department", ("department",))
    sums = _sum(rows, key=lambda row: row["department"], measures=DEPARTMENT_MEASURES)
    pending = Counter(w["department"] for w in given.waiting)
    late = Counter(department for _due, _pk, department in overdue if department)
    shown = {pk for pk, s in sums.items() if pk and any(s.values())} | set(late)
    names = dict(Department.objects.filter(pk__in=shown).values_list("pk", "name"))
    result = []
    for pk in shown:
        counted = sums.get(pk, _zero(DEPARTMENT_MEASURES))
        extra = {"overdue_now": late.get(pk, 0), "escalated": counted["escalated"], "returned": counted["returned"]}
        result.append(_derive({"department_id": pk, "name": names.get(pk, "")} | _counts(counted, pending[pk]) | extra))
    return sorted(result, key=lambda r: (-r["received"], -r["escalated"], -r["overdue_now"], r["name"]))


def _deputies(given: _Inputs) -> dict:
    stations, active = rollup_selectors.deputy_sums(given.node_ids, given.date_from, given.date_to)
    names = dict(Station.objects.filter(pk__in=[s["station"] for s in stations]).values_list("pk", "name"))
    rows = [
        {"station_id": s["station"], "name": names.get(s["station"], ""), "brought_in": s["brought_in"] or 0,
         "urged": s["urged"] or 0, "followed": s["followed"] or 0}
        for s in stations
        if s["brought_in"] or s["urged"] or s["followed"]
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r["brought_in"], -r["urged"], r["name"]))
    totals = {k: sum(r[k] for r in rows) for k in ("brought_in", "urged", "followed")}
    return {"stations": rows, "totals": totals | {"active_deputies": active}}
