"""`rollups_rebuild`: throw the rollups away and compute them again from the cases and their
timelines, in one transaction (readers see the old figures until it commits). Facts are made
in chunks by the same function as the step-by-step update; the sums are INSERT … SELECT …
GROUP BY in the database."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction

from lianxin.cases.models import Case, CaseEvent
from lianxin.cases.workflow import Action, Actor
from lianxin.places.models import Place, PlaceKind

from . import facts
from .models import CaseFact, DeputyRollup, Grain, Rollup, RollupNode
from .services import add_deputy_rollups, add_rollups

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
    for model in (Rollup, DeputyRollup, CaseFact, RollupNode):
        model.objects.all().delete()
    nodes = node_map()
    RollupNode.objects.bulk_create(
        [RollupNode(place_id=place, node_id=node) for place, chain in nodes.items() for node in chain],
        batch_size=5000,
    )
    extra: dict[tuple, list[int]] = {}
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
    add_rollups(extra)
    _deputy_steps(nodes)
    return Rebuilt(cases, Rollup.objects.count(), DeputyRollup.objects.count(), time.monotonic() - began)


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


def _returns_only(fact: CaseFact) -> dict[tuple, list[int]]:
    """The fact's returns and escalations alone (its base row is summed in SQL)."""
    values = {f.attname: getattr(fact, f.attname) for f in CaseFact._meta.concrete_fields}
    kept = len(facts.MEASURES) - 2  # returned, escalated: the last two measures
    return {key: [0] * kept + vector[kept:] for key, vector in facts.rollup_rows(values).items() if any(vector[kept:])}


def _merge(into: dict[tuple, list[int]], rows: dict[tuple, list[int]]) -> None:
    for key, vector in rows.items():
        current = into.setdefault(key, [0] * len(vector))
        for i, value in enumerate(vector):
            current[i] += value


def _insert_sums(grain: str, column: str) -> None:
    quote = connection.ops.quote_name
    rollup, fact, node = (quote(m._meta.db_table) for m in (Rollup, CaseFact, RollupNode))
    measures = ", ".join(quote(m) for m in facts.MEASURES)
    # Only names from the models' metadata are formatted in; the grain is a parameter.
    sql = f"""
        INSERT INTO {rollup} (node_id, grain, {quote("start")}, category, department, channel, {measures})
        SELECT n.node_id, %s, f.{column}, f.category, f.department, f.channel, COUNT(*), SUM(f.answered),
               SUM(f.answered_48h), SUM(f.closed), SUM(f.rated), SUM(f.rating), SUM(f.satisfied), SUM(f.adopted), 0, 0
        FROM {fact} f JOIN {node} n ON n.place_id = f.place_id
        GROUP BY n.node_id, f.{column}, f.category, f.department, f.channel
    """  # noqa: S608
    deputy = quote(DeputyRollup._meta.db_table)
    deputy_sql = f"""
        INSERT INTO {deputy} (node_id, grain, {quote("start")}, deputy, station, brought_in, urged, followed)
        SELECT n.node_id, %s, f.{column}, f.deputy, f.station, COUNT(*), 0, 0
        FROM {fact} f JOIN {node} n ON n.place_id = f.place_id
        WHERE f.deputy <> 0
        GROUP BY n.node_id, f.{column}, f.deputy, f.station
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [grain])
        cursor.execute(deputy_sql, [grain])


def _deputy_steps(nodes: dict[int, list[int]]) -> None:
    steps = (
        CaseEvent.objects.filter(action__in=[Action.URGE, Action.FOLLOW], actor_role=Actor.DEPUTY)
        .filter(actor__deputy__isnull=False)
        .values_list("case__place_id", "at", "actor__deputy__id", "actor__deputy__station_id", "action")
    )
    rows: dict[tuple, list[int]] = {}
    for place, at, deputy, station, action in steps.iterator(chunk_size=5000):
        _merge(rows, facts.step_rows(nodes[place], at, deputy, station, action))
    add_deputy_rollups(rows)
