"""`rollups_rebuild`: throw the rollups away and compute them again from the cases and their
timelines, in one transaction (readers see the old figures until it commits). Facts are made
in chunks by the same function as the step-by-step update; the sums are INSERT … SELECT …
GROUP BY in the database."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Model, Sum
from django.db.models.functions import TruncYear

from lianxin.cases.models import Case, CaseEvent
from lianxin.cases.workflow import Action, Actor
from lianxin.places.models import Place, PlaceKind

from . import facts
from .models import CaseFact, Grain, RollupNode
from .services import MODELS, add_rows

CHUNK = 20_000


@dataclass(frozen=True)
class Rebuilt:
    cases: int
    rollup_rows: int
    deputy_rows: int
    seconds: float


def node_map() -> dict[int, list[int]]:
    """Every place → the non-grid places from the top down to it (itself included unless a grid)."""
    places = list(Place.objects.values_list("pk", "path", "kind"))
    by_path = {path: (pk, kind) for pk, path, kind in places}
    result = {}
    for pk, path, _kind in places:
        parts = [p for p in path.split("/") if p]
        chain = [by_path.get("/" + "/".join(parts[: i + 1]) + "/") for i in range(len(parts))]
        result[pk] = [node for node, kind in filter(None, chain) if kind != PlaceKind.GRID]
    return result


@transaction.atomic
def rebuild(progress: Callable[[str], None] = lambda _message: None) -> Rebuilt:
    began = time.monotonic()
    for model in (*MODELS.values(), CaseFact, RollupNode):
        model.objects.all().delete()
    nodes = node_map()
    RollupNode.objects.bulk_create(
        [RollupNode(place_id=place, node_id=node) for place, chain in nodes.items() for node in chain],
        batch_size=5000,
    )
    extra: facts.Rows = {}
    cases, last = 0, 0
    while True:
        rows = list(Case.objects.filter(pk__gt=last).order_by("pk").values(*facts.CASE_FIELDS)[:CHUNK])
        if not rows:
            break
        last = rows[-1]["pk"]
        made = _facts(rows, nodes)
        CaseFact.objects.bulk_create(made, batch_size=2000)
        for fact in made:  # returns and escalations: few, added after the GROUP BY below
            if fact.returned_by or fact.escalated_by:
                _merge(extra, _returns_only(fact))
        cases += len(rows)
        progress(f"{cases} cases")
    for grain, column in ((Grain.DAY, "day"), (Grain.MONTH, "month")):
        _insert_sums(grain, column)
    for table, (key, measures) in facts.TABLES.items():
        years_from_months(MODELS[table], key, measures)
    add_rows("department", extra)
    _deputy_steps(nodes)
    rows = sum(MODELS[t].objects.count() for t in ("category", "department", "channel"))
    return Rebuilt(cases, rows, MODELS["deputy"].objects.count(), time.monotonic() - began)


def _facts(rows: list[dict], nodes: dict[int, list[int]]) -> list[CaseFact]:
    steps: dict[int, list] = {row["pk"]: [] for row in rows}
    events = (
        CaseEvent.objects.filter(case_id__gte=rows[0]["pk"], case_id__lte=rows[-1]["pk"])
        .filter(action__in=facts.TIMELINE_ACTIONS)
        .order_by("case_id", "at", "id")
        .values_list("case_id", "action", "at", "department_id")
    )
    for case_id, action, at, department in events:
        steps[case_id].append((action, at, department))
    return [
        CaseFact(
            case_id=row["pk"], **facts.fact_fields(row, facts.read_timeline(steps[row["pk"]]), nodes[row["place_id"]])
        )
        for row in rows
    ]


def _returns_only(fact: CaseFact) -> facts.Rows:
    """The department rows of the fact's returns and escalations alone (the rest is summed in SQL)."""
    values = {f.attname: getattr(fact, f.attname) for f in CaseFact._meta.concrete_fields}
    kept = len(facts.CASE_MEASURES)
    return {
        key: [0] * kept + vector[kept:]
        for key, vector in facts.rollup_rows(values)["department"].items()
        if any(vector[kept:])
    }


def _merge(into: facts.Rows, rows: facts.Rows) -> None:
    for key, vector in rows.items():
        current = into.setdefault(key, [0] * len(vector))
        for i, value in enumerate(vector):
            current[i] += value


# Per table: the extra key columns and the SELECT list of its measures over the facts `f`.
_SUMS = {
    "category": ((), "COUNT(*), SUM(f.answered), SUM(f.answered_48h), SUM(f.closed), SUM(f.rated), SUM(f.rating), "
                     "SUM(f.satisfied), SUM(f.adopted)", ""),
    "department": (("department",), "COUNT(*), SUM(f.answered), SUM(f.answered_48h), SUM(f.closed), SUM(f.rated), "
                   "SUM(f.rating), SUM(f.satisfied), SUM(f.adopted), 0, 0", ""),
    "channel": (("channel",), "COUNT(*)", ""),
    "deputy": (("deputy", "station"), "COUNT(*), 0, 0", "WHERE f.deputy <> 0"),
}  # fmt: skip


def _insert_sums(grain: str, column: str) -> None:
    """Each table's rows summed from the facts in the database (INSERT … SELECT … GROUP BY)."""
    quote = connection.ops.quote_name
    fact, node = quote(CaseFact._meta.db_table), quote(RollupNode._meta.db_table)
    with connection.cursor() as cursor:
        for table, (extra, measures, where) in _SUMS.items():
            key, names = facts.TABLES[table]
            keys = ("category", *extra) if table != "deputy" else extra
            target = ", ".join(quote(c) for c in (*key, *names))
            grouped = ", ".join(f"f.{c}" for c in keys)
            # Only names from the models' metadata and this module are formatted in.
            sql = (
                f"INSERT INTO {quote(MODELS[table]._meta.db_table)} ({target}) "  # noqa: S608
                f"SELECT n.node_id, %s, f.{column}, {grouped}, {measures} "
                f"FROM {fact} f JOIN {node} n ON n.place_id = f.place_id {where} "
                f"GROUP BY n.node_id, f.{column}, {grouped} "
                f"ORDER BY n.node_id, f.{column}, {grouped}"  # rows of a node together on disk
            )
            cursor.execute(sql, [grain])


def years_from_months(model: type[Model], key: tuple[str, ...], measures: tuple[str, ...]) -> None:
    """Add a table's year rows, each the sum of its month rows (before anything else is added
    to the table by step; also used by migration 0002 on tables that had no year rows)."""
    others = [name for name in key if name not in ("node_id", "grain", "start")]
    sums = (
        model.objects.filter(grain="M")
        .annotate(year=TruncYear("start"))
        .values("node_id", "year", *others)
        .annotate(**{m: Sum(m) for m in measures})
        .order_by("node_id", "year", *others)  # written in key order: a node's rows together on disk
    )
    batch = []
    for row in sums.iterator(chunk_size=5000):
        year = row.pop("year")
        batch.append(model(grain="Y", start=year.date() if isinstance(year, datetime) else year, **row))
        if len(batch) == 5000:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def _deputy_steps(nodes: dict[int, list[int]]) -> None:
    steps = (
        CaseEvent.objects.filter(action__in=[Action.URGE, Action.FOLLOW], actor_role=Actor.DEPUTY)
        .filter(actor__deputy__isnull=False)
        .values_list("case__place_id", "at", "actor__deputy__id", "actor__deputy__station_id", "action")
    )
    rows: facts.Rows = {}
    for place, at, deputy, station, action in steps.iterator(chunk_size=5000):
        _merge(rows, facts.step_rows(nodes[place], at, deputy, station, action))
    add_rows("deputy", rows)
