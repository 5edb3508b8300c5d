"""The reply check on real replies: calibrate its thresholds, and measure how often it fires.

    .venv/bin/python benchmarks/reply_check.py --calibrate   # writes lianxin/triage/replycheck_calibration.json
    .venv/bin/python benchmarks/reply_check.py               # firing rates and timing (JSON on stdout)

Data: ../shared/data/gov-messages relative to the repository root (LIANXIN_DATA_DIR overrides):
replies.csv (questions with the department's official reply) for the thresholds and the rates;
the questions of train.csv and unlabeled_with_votes.csv join those of replies.csv as the
background vocabulary of the key-term weights. Only derived numbers are written; the words of
the background are kept as hashes.
"""

import argparse
import csv
import dataclasses
import itertools
import json
import math
import os
import random
import statistics
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import rjieba  # noqa: E402

from lianxin.triage import replycheck as rc  # noqa: E402
from lianxin.triage.text import normalize  # noqa: E402

SHORT_PERCENTILE = 10  # too_short: the bottom share of real replies, relative to the expectation
COVERAGE_PERCENTILE = 10  # off_topic: the bottom share of real replies by weighted key-term coverage
# Question-length bands (as quantiles of the real questions) whose medians are the length knots.
BAND_QUANTILES = (0, 0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 1)
MIN_DF = 5
HASH_BITS = 22  # words in fewer background questions keep the default (highest) weight
BAND_EDGES = (60, 120, 250, 500)  # for the report: question characters
SEED = 20240503
BACKGROUND_FILES = ("replies.csv", "train.csv", "unlabeled_with_votes.csv")


def data_dir() -> Path:
    return Path(os.environ.get("LIANXIN_DATA_DIR") or ROOT.parent / "shared" / "data" / "gov-messages")


def read_rows(name: str) -> list[dict]:
    path = data_dir() / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def question_of(row: dict) -> str:
    return f"{row.get('title') or ''} {row.get('body') or ''}".strip()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# --- calibration --------------------------------------------------------------------------------


def background_idf(questions: list[str], bits: int) -> tuple[dict[int, float], float]:
    """Smoothed IDF of the candidate key terms over the background questions, by hash. Words
    rarer than MIN_DF share the default (highest) IDF, so they are not kept."""
    df: Counter[str] = Counter()
    for q in questions:
        df.update({w for w, tag in rjieba.tag(normalize(q)) if rc.is_term(w, tag)})
    n = len(questions)
    default = _level(math.log((n + 1) / MIN_DF) + 1)
    idf: dict[int, float] = {}
    for word, count in df.items():
        value = _level(math.log((n + 1) / (count + 1)) + 1)
        if count >= MIN_DF and value < default:
            key = rc.word_hash(word, bits)
            idf[key] = min(idf.get(key, default), value)  # on a hash collision the commoner word wins
    return idf, default


def _level(idf: float) -> float:
    """IDF in steps of 0.25: finer steps change no ranking that matters and cost bytes."""
    return round(idf * 4) / 4


def length_knots(pairs: list[tuple[int, int]]) -> list[tuple[float, float]]:
    """Median question length and median reply substance of question-length bands, narrower
    at the short end (where the platform's own questions are)."""
    ordered = sorted(pairs)
    knots = []
    for lo, hi in itertools.pairwise(BAND_QUANTILES):
        band = ordered[round(lo * len(ordered)) : round(hi * len(ordered))]
        knots.append((statistics.median(q for q, _ in band), statistics.median(s for _, s in band)))
    return knots


def calibrate(rows: list[dict], background: list[str]) -> rc.Calibration:
    idf, idf_default = background_idf(background, HASH_BITS)
    draft = rc.Calibration(
        length_knots=((1, 1),), short_ratio=0, coverage_min=0, idf=idf, idf_default=idf_default, hash_bits=HASH_BITS
    )
    measures = [rc.measure(question_of(r), r["reply"], draft) for r in rows]
    knots = length_knots([(m.question_chars, m.substance) for m in measures])
    draft = dataclasses.replace(draft, length_knots=tuple(knots))
    ratios = [m.substance / draft.expected_length(m.question_chars) for m in measures]
    coverages = [m.coverage for m in measures if m.coverage is not None]
    meta = {
        "replies": len(rows),
        "background_questions": len(background),
        "short_percentile": SHORT_PERCENTILE,
        "coverage_percentile": COVERAGE_PERCENTILE,
        "min_df": MIN_DF,
    }
    return dataclasses.replace(
        draft,
        short_ratio=round(percentile(ratios, SHORT_PERCENTILE), 3),
        coverage_min=_coverage_threshold(coverages),
        meta=meta,
    )


def _coverage_threshold(coverages: list[float]) -> float:
    """The percentile, but above zero: replies that mention none of the terms always fire."""
    return round(max(percentile(coverages, COVERAGE_PERCENTILE), 0.01), 3)


# --- the report ------------------------------------------------------------------------------------


def band_of(chars: int) -> str:
    edges = (0, *BAND_EDGES)
    for lo, hi in zip(edges, (*BAND_EDGES, None), strict=True):
        if hi is None or chars < hi:
            return f"{lo}-{hi - 1}" if hi else f"{lo}+"
    raise AssertionError


def rates(pairs: list[tuple[str, str]], cal: rc.Calibration) -> dict:
    """How often each warning, and any, fires: overall and by question-length band."""
    codes = (rc.TOO_SHORT, rc.OFF_TOPIC, rc.NOTHING_CONCRETE, "any")
    fired: dict[str, Counter] = {"all": Counter()}
    sizes: Counter = Counter()
    for question, reply in pairs:
        found = {w.code for w in rc.check_reply(question, reply, calibration=cal)}
        for key in ("all", band_of(rc.count_chars(normalize(question)))):
            fired.setdefault(key, Counter()).update(found | ({"any"} if found else set()))
            sizes[key] += 1
    order = ["all", *(band_of(e - 1) for e in BAND_EDGES), band_of(BAND_EDGES[-1])]
    return {k: {c: round(fired[k][c] / sizes[k], 3) for c in codes} | {"n": sizes[k]} for k in order if k in sizes}


def timing(pairs: list[tuple[str, str]], cal: rc.Calibration) -> dict:
    times = []
    for question, reply in pairs:
        start = time.perf_counter()
        rc.check_reply(question, reply, calibration=cal)
        times.append((time.perf_counter() - start) * 1000)
    longest = max(pairs, key=lambda p: len(p[0]) + len(p[1]))
    start = time.perf_counter()
    rc.check_reply(longest[0][:2000], longest[1][:2000], calibration=cal)  # the form allows 2,000 characters
    return {
        "check_ms_p50": round(percentile(times, 50), 3),
        "check_ms_p95": round(percentile(times, 95), 3),
        "check_ms_max": round(max(times), 3),
        "check_ms_2000_chars": round((time.perf_counter() - start) * 1000, 3),
    }


def shuffled(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each question with another question's reply: what a reply pasted into the wrong case looks like."""
    order = list(range(len(pairs)))
    random.Random(SEED).shuffle(order)
    return [(pairs[i][0], pairs[j][1]) for i, j in enumerate(order) if i != j]


def demo_pairs() -> list[tuple[str, str]]:
    """The demo district's opinions with the replies the demo writes for them (first, reopened, merged)."""
    from lianxin.demo import phrases
    from lianxin.demo.problems import catalogue

    rng = random.Random(SEED)
    when = datetime(2024, 5, 3, tzinfo=UTC)
    pairs = []
    for problem in catalogue():
        for variant, text in enumerate(problem.texts):
            question = text.format(loc="幸福里小区3栋", n="半个月", ask=rng.choice(phrases.ASKS), k=3)
            hello = phrases.salutation("王芳", female=True)
            first = phrases.reply_text(
                rng, problem, variant, hello=hello, place="幸福里小区", unit="我局", channel="deputy_qr", when=when
            )
            again = phrases.reopen_reply_text(rng, problem, variant, hello=hello, unit="我局")
            merged = phrases.duplicate_reply_text(rng, problem, variant, hello=hello)
            pairs += [(question, first), (question, again), (question, merged)]
    return pairs


def category_effect(rows: list[dict], cal: rc.Calibration) -> dict:
    """Does the category tell the expected reply length better than the question's length?
    replies.csv has no labels, so a character TF-IDF + linear SVM trained on train.csv labels it;
    the answer is the share of variance of log(substance) explained by each grouping."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    train = read_rows("train.csv")
    if not train:
        return {}
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    model = LinearSVC().fit(vectorizer.fit_transform([question_of(r) for r in train]), [r["label"] for r in train])
    questions = [question_of(r) for r in rows]
    labels = model.predict(vectorizer.transform(questions))
    measures = [rc.measure(q, r["reply"], cal) for q, r in zip(questions, rows, strict=True)]
    values = [math.log1p(m.substance) for m in measures]
    bands = [band_of(m.question_chars) for m in measures]
    return {
        "r2_question_length_band": round(_explained(values, bands), 4),
        "r2_category": round(_explained(values, list(labels)), 4),
        "r2_band_and_category": round(_explained(values, [f"{b}|{c}" for b, c in zip(bands, labels, strict=True)]), 4),
    }


def _explained(values: list[float], groups: list[str]) -> float:
    mean = statistics.fmean(values)
    total = sum((v - mean) ** 2 for v in values)
    by_group: dict[str, list[float]] = {}
    for v, g in zip(values, groups, strict=True):
        by_group.setdefault(g, []).append(v)
    within = sum(sum((v - statistics.fmean(vs)) ** 2 for v in vs) for vs in by_group.values())
    return 1 - within / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true", help="write the calibration JSON first")
    parser.add_argument("--by-category", action="store_true", help="also measure what the category adds (slower)")
    args = parser.parse_args()
    rows = [r for r in read_rows("replies.csv") if (r.get("reply") or "").strip()]
    if not rows:
        sys.exit(f"No replies.csv in {data_dir()} (set LIANXIN_DATA_DIR).")
    if args.calibrate:
        background = [question_of(r) for name in BACKGROUND_FILES for r in read_rows(name)]
        cal = calibrate(rows, background)
        text = json.dumps(cal.to_dict(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        rc.CALIBRATION_PATH.write_text(text + "\n", encoding="utf-8")
    cal = rc.load_calibration(rc.CALIBRATION_PATH)
    rc.check_reply("预热", "预热")  # the segmenter and the kept calibration are loaded before timing
    real = [(question_of(r), r["reply"]) for r in rows]
    summary = {k: v for k, v in cal.to_dict().items() if k != "idf_levels"} | {"idf_words": len(cal.idf)}
    result = {"calibration": summary, "real_replies": rates(real, cal)} | timing(real, cal)
    result["replies_to_another_question"] = rates(shuffled(real), cal)["all"]
    result["demo_replies"] = rates(demo_pairs(), cal)["all"]
    if args.by_category:
        result["length_explained_by"] = category_effect(rows, cal)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
