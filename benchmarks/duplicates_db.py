"""The database side of duplicate detection, at scale: `size` stored cases with their band
keys in one town and one 30-day window (the worst case: every stored case is a candidate
area-wise and time-wise), then new messages checked exactly as the task after intake does.

Called by `benchmarks/duplicates.py db` after Django is set up on a throwaway database (a
SQLite file in a temp folder, or the PostgreSQL server of DATABASE_URL). The schema is the
application's (migrations); the rows are written in bulk (cases with the ORM, band keys with
executemany / COPY; on PostgreSQL the band keys' foreign keys are not re-checked row by row).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.core.management import call_command
from django.db import connection, transaction

from lianxin.cases.models import Case
from lianxin.hotspots import selectors
from lianxin.hotspots.models import SignatureBand
from lianxin.places.services import place_create
from lianxin.triage import dedup

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
WINDOW = timedelta(days=30)
BATCH = 5000


def run(*, texts: list[str], signatures: np.ndarray, checks: dict[str, list[str]]) -> None:
    vendor = connection.vendor
    call_command("migrate", verbosity=0)
    district = place_create(code="bd", name="基准区")
    town = place_create(code="bt", name="基准街道", parent=district)
    community = place_create(code="bc", name="基准社区", parent=town)
    started = time.perf_counter()
    moments = _store_cases(texts, community)
    cases_s = time.perf_counter() - started
    started = time.perf_counter()
    _store_bands(signatures, town, moments)
    bands_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{vendor}: stored {len(texts):,} cases in {cases_s:.0f} s and {SignatureBand.objects.count():,} band keys "
        f"in {bands_s:.0f} s (index on area, key, created_at); database size {_size_mb():,.0f} MB"
    )
    probe = Case(pk=0, created_at=NOW, place=community, text="")
    probe._state.adding = False
    for name, batch in checks.items():
        timings, found = [], []
        for text in batch:
            t0 = time.perf_counter()
            probe.text = text
            signature = dedup.signature(text)
            matches = selectors.likely_duplicates(
                case=probe,
                keys=list(signature.keys),
                area=town,
                since=NOW - WINDOW,
                threshold=dedup.DUPLICATE_THRESHOLD,
                limit=5,
            )
            timings.append((time.perf_counter() - t0) * 1000)
            found.append(len(matches))
        p50, p95 = np.percentile(timings, [50, 95])
        print(
            f"{vendor}: check one new message ({name}; signature, band lookup, exact re-scoring of up to "
            f"{selectors.CANDIDATE_POOL}): p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(timings):.0f} ms; "
            f"likely duplicates per message: mean {np.mean(found):.2f}"
        )


def _store_cases(texts: list[str], community) -> list[datetime]:
    """Cases received over the 30 days before NOW, oldest first, without timeline or tasks."""
    step = WINDOW / (len(texts) + 1)
    moments = [NOW - WINDOW + step * (i + 1) for i in range(len(texts))]
    for start in range(0, len(texts), BATCH):
        rows = [
            Case(
                pk=i + 1,
                tracking_code=f"B{i:09d}",
                channel="web",
                place=community,
                text=texts[i][:2000],
                created_at=moments[i],
                status="closed",
            )
            for i in range(start, min(start + BATCH, len(texts)))
        ]
        with transaction.atomic():
            Case.objects.bulk_create(rows)
    return moments


def _store_bands(signatures: np.ndarray, town, moments: list[datetime]) -> None:
    """Rows first, the lookup index after (as a bulk import would): building a B-tree of 32
    million random keys row by row is many times slower and measures nothing the app does."""
    (lookup,) = [index for index in SignatureBand._meta.indexes if index.name == "hotspots_band_lookup"]
    with connection.schema_editor() as editor:
        editor.remove_index(SignatureBand, lookup)
    _insert_bands(signatures, town, moments)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '1GB'")
        else:
            cursor.execute("PRAGMA cache_size = -1000000")  # 1 GB for sorting the index
    with connection.schema_editor() as editor:
        editor.add_index(SignatureBand, lookup)


def _insert_bands(signatures: np.ndarray, town, moments: list[datetime]) -> None:
    keys = dedup.band_keys(signatures)
    empty = (signatures == np.uint32(0xFFFFFFFF)).all(axis=1)
    table = SignatureBand._meta.db_table
    columns = "(case_id, area_id, key, created_at)"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The rows point at cases written just before; checking 32 million deferred foreign
            # keys at COMMIT took most of the load time and says nothing about the lookup.
            cursor.execute("SET LOCAL session_replication_role = replica")
            with cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                for i in np.flatnonzero(~empty).tolist():
                    for key in keys[i].tolist():
                        copy.write_row((i + 1, town.pk, key, moments[i]))
            return
        moment_text = [m.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S.%f") for m in moments]
        for start in range(0, len(keys), BATCH * 10):
            rows = [
                (i + 1, town.pk, key, moment_text[i])
                for i in range(start, min(start + BATCH * 10, len(keys)))
                if not empty[i]
                for key in keys[i].tolist()
            ]
            cursor.executemany(f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s)", rows)


def _size_mb() -> float:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        return cursor.fetchone()[0] / 2**20
