"""How long a public-opinion report takes to make, on the demo district (target: ≤ 15 s for a
district's quarterly report).

    make demo   # or: manage.py migrate && manage.py demo_load (once)
    .venv/bin/python benchmarks/reports.py [--place CODE] [--kind quarter|month] [--runs 3] [--out DIR]

Uses the database of the settings in force (the demo's var/ by default; LIANXIN_VAR_DIR or
DATABASE_URL select another). Times each stage of the worker's job (figures, composing the
text and charts, PDF, Word) for the last complete period, in Chinese and in English, and
prints JSON. With --out it also writes the files, to look at them.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from lianxin.core import clock  # noqa: E402
from lianxin.places.models import Place, PlaceKind  # noqa: E402
from lianxin.reports.compose import compose  # noqa: E402
from lianxin.reports.pdf import render_pdf  # noqa: E402
from lianxin.reports.periods import last_complete  # noqa: E402
from lianxin.reports.selectors import report_figures  # noqa: E402
from lianxin.reports.word import render_docx  # noqa: E402


def one_run(place: Place, kind: str, language: str, out: Path | None) -> dict:
    period = last_complete(kind, timezone.localtime(clock.now()).date())
    times = {}
    with translation.override(language), CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        figures = report_figures(place, period)
        times["figures"] = time.perf_counter() - start
        mark = time.perf_counter()
        document = compose(figures)
        times["compose_and_charts"] = time.perf_counter() - mark
        mark = time.perf_counter()
        pdf = render_pdf(document)
        times["pdf"] = time.perf_counter() - mark
        mark = time.perf_counter()
        docx = render_docx(document)
        times["docx"] = time.perf_counter() - mark
        times["total"] = time.perf_counter() - start
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        stem = f"{place.code}-{kind}-{period.start:%Y-%m}-{language}"
        (out / f"{stem}.pdf").write_bytes(pdf)
        (out / f"{stem}.docx").write_bytes(docx)
    return {
        "period": f"{period.start} – {period.end}",
        "received": figures.current["totals"]["received"],
        "queries": len(queries.captured_queries),
        "pdf_bytes": len(pdf),
        "docx_bytes": len(docx),
        "seconds": {k: round(v, 3) for k, v in times.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--place", help="place code (default: the first district)")
    parser.add_argument("--kind", default="quarter", choices=["quarter", "month"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.place:
        place = Place.objects.get(code=args.place)
    else:
        place = Place.objects.filter(kind=PlaceKind.DISTRICT).order_by("path").first()
    results = {}
    for language in ("zh-hans", "en"):
        runs = [one_run(place, args.kind, language, args.out) for _ in range(args.runs)]
        totals = [r["seconds"]["total"] for r in runs]
        median = round(statistics.median(totals), 3)
        results[language] = {"runs": runs, "median_total": median, "max_total": max(totals)}
    machine = {"python": platform.python_version(), "cpu": _cpu(), "cpus": os.cpu_count(),
               "database": connection.vendor}  # fmt: skip
    print(json.dumps({"place": place.name, "kind": args.kind, "machine": machine, "results": results},
                     ensure_ascii=False, indent=2))  # fmt: skip


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    main()
