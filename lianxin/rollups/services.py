"""Keeping the rollups true: every step a case takes (cases.services._record) calls
`case_stepped` in the same transaction, so a figure never counts a step that was rolled back
and never misses one that was committed. docs/rollups.md says why and what it costs."""

from django.db import connection
from django.db.models import Model

from lianxin.cases.models import Case, CaseEvent
from lianxin.cases.workflow import Action, Actor
from lianxin.deputies.models import Deputy
from lianxin.places.models import Place, PlaceKind

from . import facts
from .models import CaseFact, CategoryRollup, ChannelRollup, DepartmentRollup, DeputyRollup

_FACT_FIELDS = [f.attname for f in CaseFact._meta.concrete_fields if f.attname != "case_id"]
MODELS = {"category": CategoryRollup, "department": DepartmentRollup, "channel": ChannelRollup, "deputy": DeputyRollup}


def nodes_for_path(path: str) -> list[int]:
    """The non-grid places from the top of the tree down to the place at `path`."""
    parts = [p for p in path.split("/") if p]
    prefixes = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    nodes = Place.objects.filter(path__in=prefixes).exclude(kind=PlaceKind.GRID)
    return list(nodes.order_by("depth").values_list("pk", flat=True))


def add(model: type[Model], key: tuple[str, ...], measures: tuple[str, ...], rows: facts.Rows) -> None:
    """Add `rows` (key values → measure values) to a rollup table: insert the rows that do not
    exist, add to those that do (one statement per row, same SQL on SQLite and PostgreSQL)."""
    if not rows:
        return
    meta, ops, quote = model._meta, connection.ops, connection.ops.quote_name
    table = quote(meta.db_table)
    key_columns = [quote(meta.get_field(name).column) for name in key]
    measure_columns = [quote(meta.get_field(name).column) for name in measures]
    columns = key_columns + measure_columns
    # Only names from the model's metadata are formatted in; every value is a parameter.
    values = ", ".join(["%s"] * len(columns))
    increments = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in measure_columns)
    conflict = ", ".join(key_columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values}) ON CONFLICT ({conflict}) DO UPDATE SET "  # noqa: S608
    sql += increments
    start = key.index("start")
    params = []
    for values, vector in rows.items():
        values = list(values)
        values[start] = ops.adapt_datefield_value(values[start])
        params.append((*values, *vector))
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def add_rows(table: str, rows: facts.Rows) -> None:
    """Add rows to one of facts.TABLES."""
    key, measures = facts.TABLES[table]
    add(MODELS[table], key, measures, rows)


def case_stepped(case: Case, event: CaseEvent) -> None:
    """Move the rollups by the case's changed fact, and count a deputy's urging or following."""
    nodes = case_refreshed(case.pk)
    if event.action in (Action.URGE, Action.FOLLOW) and event.actor_role == Actor.DEPUTY and event.actor_id:
        deputy = Deputy.objects.filter(user_id=event.actor_id).values("pk", "station_id").first()
        if deputy:
            add_rows("deputy", facts.step_rows(nodes, event.at, deputy["pk"], deputy["station_id"], event.action))


def case_refreshed(case_id: int) -> list[int]:
    """Recompute the case's fact from its row and timeline, and move the rollups by the
    difference to the fact last applied; returns the case's places. The case row is locked
    first, so two changes to the same case apply their differences one after the other. Called
    for every step, and for a column changed without a step of the case's own (a merged
    duplicate taking its group's category)."""
    row = (
        Case.objects.select_for_update(of=("self",)).filter(pk=case_id).values(*facts.CASE_FIELDS, "place__path").get()
    )
    old = CaseFact.objects.filter(pk=case_id).values(*_FACT_FIELDS).first()
    nodes = facts.parse_ids(old["nodes"]) if old and old["place_id"] == row["place_id"] else None
    if nodes is None:
        nodes = nodes_for_path(row["place__path"])
    steps = (
        CaseEvent.objects.filter(case_id=case_id, action__in=facts.TIMELINE_ACTIONS)
        .order_by("at", "id")
        .values_list("action", "at", "department_id")
    )
    new = facts.fact_fields(row, facts.read_timeline(steps), nodes)
    if old != new:
        before, after = (facts.rollup_rows(old) if old else {}), facts.rollup_rows(new)
        for table in facts.TABLES:
            add_rows(table, facts.difference(after.get(table, {}), before.get(table, {})))
        CaseFact.objects.update_or_create(case_id=case_id, defaults=new)
    return nodes
