"""Benchmark of the cockpit at city scale: GET /api/v1/cockpit and the cockpit page on rollups,
against the same figures computed from the raw case table (lianxin/cockpit/raw.py).
Results: cockpit.md.

    .venv/bin/python benchmarks/cockpit.py                                   # SQLite, 10k 100k 1M
    scripts/with-postgres.sh .venv/bin/python benchmarks/cockpit.py          # PostgreSQL 15
    .venv/bin/python benchmarks/cockpit.py --sizes 10000 100000              # fewer sizes

For each size a fresh database (a SQLite file in a temp folder, or a new database on the
server of DATABASE_URL) is migrated and filled by `seed_bench --cases N` (a city of 6
districts × 12 towns × 8 communities, 3 years of history); then `rollups_rebuild` and ANALYZE.
Measured, all as server time inside Django (the test client: URL routing, authentication,
queries, serialising; no network):

- warm: the same request 30 times after 5 unmeasured ones, p50 and p95;
- cold: 5 times, the OS page cache is dropped (`echo 3 > /proc/sys/vm/drop_caches`, when
  allowed) and, on PostgreSQL, the server restarted, so neither the database's buffers nor the
  OS cache hold the tables; then a new Python process answers GET /api/v1/me (its modules and
  the connection are loaded, as in a running server) and the cockpit request is timed;
- raw: `raw_figures` for the same place and period, the same numbers from GROUP BYs over the
  case and timeline tables (1 run at 1M, 3 below);
- page: GET /cockpit/ (HTML, all panels but the hot issues, which load in their own request).

Scenarios: the whole city for the default period (the last 12 months), the whole city for
its 3 years, one district and one town for the last 12 months. Each result is one JSON line
on stdout; a Markdown table follows at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WARM_RUNS, WARM_UP, COLD_RUNS = 30, 5, 5
SCENARIOS = ("city_12m", "city_3y", "district_12m", "town_12m")


# --- the parent: one fresh database per size -----------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    one = sub.add_parser("measure", help="(internal) seed one database and measure it warm")
    one.add_argument("--size", type=int, required=True)
    one.add_argument("--state", required=True)
    cold = sub.add_parser("cold", help="(internal) one first request in a new process")
    cold.add_argument("--state", required=True)
    cold.add_argument("--scenario", required=True)
    args = parser.parse_args()
    if args.step == "measure":
        _setup_django()
        print(json.dumps(measure(args.size, Path(args.state)), ensure_ascii=False), flush=True)
    elif args.step == "cold":
        _setup_django()
        print(json.dumps(first_request(Path(args.state), args.scenario)), flush=True)
    else:
        run_sizes(args.sizes)


def run_sizes(sizes: list[int]) -> None:
    base = os.environ.get("DATABASE_URL", "")
    vendor = "postgresql" if base.startswith("postgres") else "sqlite"
    folder = Path(tempfile.mkdtemp(prefix="lianxin-cockpit-bench-"))
    results = []
    try:
        for size in sizes:
            url = _database_for(vendor, base, folder, size)
            env = os.environ | {"DATABASE_URL": url, "LIANXIN_VAR_DIR": str(folder)}
            state = folder / f"state-{size}.json"
            warm = json.loads(_python(["measure", "--size", str(size), "--state", str(state)], env).splitlines()[-1])
            warm["cold"] = {}
            for scenario in SCENARIOS:
                timings = []
                for _ in range(COLD_RUNS):
                    dropped = _drop_caches(vendor, base)
                    out = _python(["cold", "--state", str(state), "--scenario", scenario], env)
                    timings.append(json.loads(out.splitlines()[-1])["ms"])
                warm["cold"][scenario] = {"ms": timings, "max": max(timings), "caches_dropped": dropped}
            warm["vendor"] = vendor
            print(json.dumps(warm, ensure_ascii=False), flush=True)
            results.append(warm)
            _drop_database(vendor, base, folder, size)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(table(results))


def _python(args: list[str], env: dict) -> str:
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=False, cwd=ROOT
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"benchmark step {args[0]} failed")
    return done.stdout


def _database_for(vendor: str, base: str, folder: Path, size: int) -> str:
    if vendor == "sqlite":
        return f"sqlite:///{folder}/cockpit-{size}.sqlite3"
    _psql(base, f"CREATE DATABASE cockpit_{size}")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/cockpit_{size}"))


def _drop_database(vendor: str, base: str, folder: Path, size: int) -> None:
    if vendor == "sqlite":
        (folder / f"cockpit-{size}.sqlite3").unlink(missing_ok=True)
    else:
        _psql(base, f"DROP DATABASE cockpit_{size}")


def _psql(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(sql)


def _drop_caches(vendor: str, base: str) -> bool:
    """Empty the OS page cache (root only) and, on PostgreSQL, restart the server."""
    if vendor == "postgresql":
        host = dict(p.split("=", 1) for p in urlsplit(base).query.split("&") if "=" in p)["host"]
        pg_ctl = shutil.which("pg_ctl") or "/usr/lib/postgresql/15/bin/pg_ctl"
        command = [pg_ctl, "-D", f"{host}/data", "-l", f"{host}/server.log", "-w", "-m", "fast", "restart"]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        # No pipes: the restarted server would inherit them and the call would never return.
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=host)
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


# --- the child: seed, then measure ------------------------------------------------------------


def _setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()


def _scenarios() -> dict[str, dict]:
    from datetime import timedelta

    from django.utils import timezone

    from lianxin.cockpit.selectors import default_period
    from lianxin.core import clock
    from lianxin.places.models import Place, PlaceKind

    today = timezone.localdate(clock.now())
    date_from, date_to = default_period(today)
    three_years = (today.replace(day=1) - timedelta(days=3 * 365)).replace(day=1)
    root = Place.objects.get(parent__isnull=True)
    district = Place.objects.filter(parent=root).order_by("path").first()
    town = Place.objects.filter(parent=district, kind=PlaceKind.TOWN).order_by("path").first()
    period = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    return {
        "city_12m": {"place": root.code} | period,
        "city_3y": {"place": root.code, "from": three_years.isoformat(), "to": date_to.isoformat()},
        "district_12m": {"place": district.code} | period,
        "town_12m": {"place": town.code} | period,
    }


def measure(size: int, state: Path) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from lianxin.api.services import api_token_issue
    from lianxin.rollups.rebuild import rebuild

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_bench", cases=size, no_rollups=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seed_s = time.perf_counter() - started
    rebuilt = rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    admin = get_user_model().objects.create_superuser("bench-admin", password="x")
    _token, secret = api_token_issue(user=admin)
    scenarios = _scenarios()
    state.write_text(json.dumps({"token": secret, "scenarios": scenarios}))
    result = {
        "size": size,
        "seed_s": round(seed_s, 1),
        "rebuild_s": round(rebuilt.seconds, 1),
        "rollup_rows": rebuilt.rollup_rows,
        "database_mb": round(_database_mb(), 0),
        "api": {},
        "raw": {},
        "page": {},
    }
    for name, params in scenarios.items():
        result["api"][name] = _timed(lambda p=params: _api(secret, p), WARM_RUNS, WARM_UP)
        result["raw"][name] = _raw(admin, params, runs=1 if size >= 1_000_000 else 3)
        if name in ("city_12m", "district_12m"):
            result["page"][name] = _timed(lambda p=params: _page(admin, p), 20, 3)
    return result


def first_request(state: Path, scenario: str) -> dict:
    """The cockpit's first request after the caches were dropped, in a server process that has
    already answered something else (GET /api/v1/me: Python modules, URL routes, translations
    and the database connection are loaded, the cockpit's tables are not in any cache)."""
    from django.test import Client

    saved = json.loads(state.read_text())
    me = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {saved['token']}"})
    assert me.status_code == 200
    started = time.perf_counter()
    _api(saved["token"], saved["scenarios"][scenario])
    return {"ms": round((time.perf_counter() - started) * 1000, 1)}


def _api(secret: str, params: dict) -> None:
    from django.test import Client

    response = Client().get("/api/v1/cockpit", params, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200, response.content[:300]


_page_client = None


def _page(admin, params: dict) -> None:
    global _page_client
    from django.test import Client

    from lianxin.places.models import Place

    if _page_client is None:
        _page_client = Client()
        _page_client.force_login(admin)
    place = Place.objects.get(code=params["place"])
    query = {"place": place.pk, "date_from": params["from"], "date_to": params["to"]}
    response = _page_client.get("/cockpit/", query)
    assert response.status_code == 200


def _raw(admin, params: dict, runs: int) -> dict:
    from datetime import date

    from lianxin.cockpit.raw import raw_figures
    from lianxin.places.models import Place

    place = Place.objects.get(code=params["place"])
    span = {
        "place": place,
        "date_from": date.fromisoformat(params["from"]),
        "date_to": date.fromisoformat(params["to"]),
    }
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        raw_figures(admin, **span)
        timings.append((time.perf_counter() - started) * 1000)
    return {"ms": [round(t, 1) for t in timings], "p50": round(statistics.median(timings), 1)}


def _timed(call, runs: int, warm_up: int) -> dict:
    for _ in range(warm_up):
        call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"p50": round(statistics.median(timings), 1), "p95": round(timings[int(0.95 * (len(timings) - 1))], 1)}


def _database_mb() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0] / 1e6
    return Path(connection.settings_dict["NAME"]).stat().st_size / 1e6


# --- the table -----------------------------------------------------------------------------------


def table(results: list[dict]) -> str:
    lines = [
        "| database | cases | scenario | API warm p50 / p95 ms | API cold max ms | raw ms | raw ÷ API p50 "
        "| page p50 / p95 ms |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for name in SCENARIOS:
            api, raw = r["api"][name], r["raw"][name]
            page = r["page"].get(name)
            lines.append(
                f"| {r['vendor']} | {r['size']:,} | {name} | {api['p50']} / {api['p95']} | "
                f"{r['cold'][name]['max']} | {raw['p50']:,} | {raw['p50'] / api['p50']:,.0f}× | "
                + (f"{page['p50']} / {page['p95']} |" if page else "— |")
            )
    lines.append("")
    for r in results:
        lines.append(
            f"- {r['vendor']} {r['size']:,}: seed_bench {r['seed_s']} s, rollups_rebuild {r['rebuild_s']} s, "
            f"{r['rollup_rows']:,} rollup rows, database {r['database_mb']:,.0f} MB"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
