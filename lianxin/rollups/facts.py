"""What one case contributes to the rollups: a pure function of the case's columns and its
timeline, shared by the step-by-step update (services) and the rebuild, so that both give
the same rows by construction. Definitions follow the cockpit's (cockpit/raw.py)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from lianxin.cases.workflow import ANSWERING_ACTIONS, Action, Status

from .models import Grain

REPLY_WINDOW = timedelta(hours=48)
SATISFIED_FROM_STARS = 4

# The case columns a fact reads (values() names).
CASE_FIELDS = (
    "pk", "created_at", "place_id", "category_id", "lead_department_id", "channel", "status", "rating",
    "adopted", "deputy_id", "deputy__station_id",
)  # fmt: skip
# The timeline steps a fact reads.
TIMELINE_ACTIONS = (Action.SUBMIT, Action.RETURN, Action.ESCALATE, *sorted(ANSWERING_ACTIONS))

CASE_MEASURES = ("received", "answered", "answered_48h", "closed", "rated", "rating_sum", "satisfied", "adopted")
DEPARTMENT_MEASURES = (*CASE_MEASURES, "returned", "escalated")
CHANNEL_MEASURES = ("received",)
DEPUTY_MEASURES = ("brought_in", "urged", "followed")
# Table name → (key fields, measure fields); `start` is always in the key.
TABLES = {
    "category": (("node_id", "grain", "start", "category"), CASE_MEASURES),
    "department": (("node_id", "grain", "start", "category", "department"), DEPARTMENT_MEASURES),
    "channel": (("node_id", "grain", "start", "category", "channel"), CHANNEL_MEASURES),
    "deputy": (("node_id", "grain", "start", "deputy", "station"), DEPUTY_MEASURES),
}
Rows = dict[tuple, list[int]]


@dataclass
class Timeline:
    submit_at: datetime | None = None
    first_answer_at: datetime | None = None
    returned_by: set[int] | None = None
    escalated_by: set[int] | None = None


def read_timeline(steps: Iterable[tuple[str, datetime, int | None]]) -> Timeline:
    """`steps`: (action, at, department_id) in timeline order (at, id)."""
    t = Timeline(returned_by=set(), escalated_by=set())
    for action, at, department_id in steps:
        if action == Action.SUBMIT and t.submit_at is None:
            t.submit_at = at
        elif action in ANSWERING_ACTIONS and (t.first_answer_at is None or at < t.first_answer_at):
            t.first_answer_at = at
        elif action == Action.RETURN and department_id:
            t.returned_by.add(department_id)
        elif action == Action.ESCALATE and department_id:
            t.escalated_by.add(department_id)
    return t


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _ids(values: Iterable[int]) -> str:
    return ",".join(str(v) for v in sorted(values))


def parse_ids(text: str) -> list[int]:
    return [int(v) for v in text.split(",") if v]


def fact_fields(row: dict, timeline: Timeline, nodes: Iterable[int]) -> dict:
    """The CaseFact columns of one case (`row`: the CASE_FIELDS values)."""
    day = local_day(row["created_at"])
    submit = timeline.submit_at or row["created_at"]  # a case always has SUBMIT; imports may not
    answer = timeline.first_answer_at
    rating = row["rating"]
    return {
        "place_id": row["place_id"],
        "nodes": _ids(nodes),
        "day": day,
        "month": day.replace(day=1),
        "category": row["category_id"] or 0,
        "department": row["lead_department_id"] or 0,
        "channel": row["channel"],
        "submit_at": submit,
        "first_answer_at": answer,
        "answered": int(answer is not None),
        "answered_48h": int(answer is not None and answer <= submit + REPLY_WINDOW),
        "closed": int(row["status"] == Status.CLOSED),
        "rated": int(rating is not None),
        "rating": rating or 0,
        "satisfied": int(rating is not None and rating >= SATISFIED_FROM_STARS),
        "adopted": int(bool(row["adopted"])),
        "deputy": row["deputy_id"] or 0,
        "station": row["deputy__station_id"] or 0,
        "returned_by": _ids(timeline.returned_by or ()),
        "escalated_by": _ids(timeline.escalated_by or ()),
    }


def grains(day: date) -> tuple[tuple[str, date], ...]:
    """The rows a day counts in: its own, its month's and its year's."""
    return (Grain.DAY, day), (Grain.MONTH, day.replace(day=1)), (Grain.YEAR, day.replace(month=1, day=1))


def rollup_rows(fact: dict) -> dict[str, Rows]:
    """Per table (TABLES), key → measures that `fact` adds."""
    counts = [1, fact["answered"], fact["answered_48h"], fact["closed"], fact["rated"], fact["rating"],
              fact["satisfied"], fact["adopted"]]  # fmt: skip
    category = fact["category"]
    departments: dict[int, list[int]] = defaultdict(lambda: [0] * len(DEPARTMENT_MEASURES))
    departments[fact["department"]][: len(counts)] = counts
    for index, field in ((-2, "returned_by"), (-1, "escalated_by")):
        for department in parse_ids(fact[field]):
            departments[department][index] += 1
    parts = {
        "category": {(category,): counts},
        "department": {(category, department): vector for department, vector in departments.items()},
        "channel": {(category, fact["channel"]): [1]},
        "deputy": {(fact["deputy"], fact["station"]): [1, 0, 0]} if fact["deputy"] else {},
    }
    return {table: _spread(fact, rows) for table, rows in parts.items()}


def _spread(fact: dict, rows: Rows) -> Rows:
    """Each row at every node above the case, by day and by month."""
    return {
        (node, grain, start, *key): list(vector)
        for node in parse_ids(fact["nodes"])
        for grain, start in grains(fact["day"])
        for key, vector in rows.items()
    }


def step_rows(nodes: Iterable[int], at: datetime, deputy: int, station: int, action: str) -> Rows:
    """A deputy's urging (督办) or follow, counted on the day of the step."""
    day = local_day(at)
    vector = [0, 1, 0] if action == Action.URGE else [0, 0, 1]
    return {(node, grain, start, deputy, station): list(vector) for node in nodes for grain, start in grains(day)}


def difference(new: Rows, old: Rows) -> Rows:
    """new − old, without the keys that do not change."""
    size = len(next(iter(new.values() or old.values()), []))
    zero = [0] * size
    changed = {}
    for key in new.keys() | old.keys():
        delta = [a - b for a, b in zip(new.get(key, zero), old.get(key, zero), strict=True)]
        if any(delta):
            changed[key] = delta
    return changed
