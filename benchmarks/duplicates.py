"""Benchmark of near-duplicate detection (lianxin/triage/dedup.py). Results: duplicates.md.

    .venv/bin/python benchmarks/duplicates.py quality      # precision and recall (~1 min)
    .venv/bin/python benchmarks/duplicates.py speed        # 1,000,000 stored texts (~3 min, ~3 GB)
    .venv/bin/python benchmarks/duplicates.py db           # the app's lookup, 1,000,000 cases in SQLite
    scripts/with-postgres.sh .venv/bin/python benchmarks/duplicates.py db   # ... in PostgreSQL
    .venv/bin/python benchmarks/duplicates.py all

The messages are read at run time from ../shared/data/gov-messages (LIANXIN_DATA_DIR
overrides); nothing of them is copied into the repository except, in
duplicates_labels.csv, pairs of message ids with a hand-given label. Ids are prefixed with
their file: u = unlabeled_with_votes.csv, t = train.csv, r = replies.csv. A text is title +
body (`triage.corpus.message_text`).

How the labelled set is built (all random draws are seeded):

1. Natural pairs, hand-labelled (duplicates_labels.csv). The exact 3-gram Jaccard similarity
   of every pair of the 9,881 distinct messages (a message present in two files counts once)
   was computed; 175 pairs were drawn from seven strata of that similarity (0.10–0.15, 0.15–0.2,
   0.2–0.3, 0.3–0.45, 0.45–0.6, 0.6–0.9, ≥ 0.9) and 30 more from pairs that a different method
   finds, word TF-IDF cosine > 0.5 with 3-gram Jaccard < 0.1 (paraphrases). Each pair was read
   and labelled "same issue" when one reply would answer both: the same concrete problem at
   the same place (one housing estate, one road, one company). The same complaint template
   used by one author for different places or projects is *not* the same issue.
2. Synthetic reposts: 300 messages per edit kind, each paired with an edited copy: punctuation
   and spacing changed, numbers changed, filler sentences inserted, a sentence deleted,
   sentences reordered, 5 % of characters replaced (typos), truncated to 60 %, and two mixes
   (medium: punctuation + insertion + deletion; heavy: reordering + deletion + insertion +
   typos + numbers). All are positives.
3. Negatives: the hand-labelled natural pairs that are not the same issue; same-topic pairs
   (for 400 messages of train.csv, the most similar message of the same category by word
   TF-IDF cosine within 0.2–0.45, a level where a hand check of 20 found none to be the same
   issue); and 3,000 random pairs.

Detection is exactly what the application does: a DuplicateIndex holds every text of the
set; a pair counts as found when querying one text returns the other at or above the
threshold.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import random
import re
import resource
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lianxin.triage import dedup  # noqa: E402
from lianxin.triage.corpus import message_text  # noqa: E402

DATA_DIR = Path(os.environ.get("LIANXIN_DATA_DIR", ROOT.parent / "shared" / "data" / "gov-messages"))
FILES = {"u": "unlabeled_with_votes.csv", "t": "train.csv", "r": "replies.csv"}
LABELS = Path(__file__).with_name("duplicates_labels.csv")
SEED = 20261125
SWEEP = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)


@dataclass(frozen=True)
class Message:
    id: str
    text: str
    body: str
    time: str
    label: str


def load_messages() -> dict[str, Message]:
    if not DATA_DIR.is_dir():
        sys.exit(f"Data folder not found: {DATA_DIR} (set LIANXIN_DATA_DIR)")
    messages = {}
    for prefix, name in FILES.items():
        with (DATA_DIR / name).open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                text = message_text(row.get("title", ""), row.get("body", ""))
                if text:
                    mid = f"{prefix}{row['id']}"
                    messages[mid] = Message(mid, text, row.get("body", ""), row.get("time", ""), row.get("label", ""))
    return messages


def distinct(messages: dict[str, Message]) -> list[Message]:
    """One message per (canonical body, day): the files share some messages under other ids."""
    seen: dict[tuple[str, str], Message] = {}
    for message in messages.values():
        seen.setdefault((dedup.canonical(message.body), message.time[:10]), message)
    return list(seen.values())


# --- synthetic edits ----------------------------------------------------------------------

FILLERS = ("请尽快处理。", "谢谢领导！", "希望有关部门重视。", "我们都很着急。", "麻烦尽快回复。", "已经反映多次了。")
_PUNCT = "，。！？、；：,.!? "
_SPLIT = re.compile(r"(?<=[。！？!?；;\n])")


def _sentences(text: str) -> list[str]:
    return [s for s in _SPLIT.split(text) if s.strip()]


def edit_punct(text: str, rng: random.Random, _pool: str) -> str:
    out = []
    for ch in text:
        if ch in _PUNCT or not ch.isalnum():
            out.append(rng.choice(("", " ", rng.choice(_PUNCT))))
        else:
            out.append(ch + (" " if rng.random() < 0.03 else ""))
    return "".join(out)


def edit_numbers(text: str, rng: random.Random, _pool: str) -> str:
    return re.sub(r"\d+", lambda m: str(rng.randint(1, 2000)), text)


def edit_insert(text: str, rng: random.Random, _pool: str, count: int = 2) -> str:
    parts = _sentences(text)
    for _ in range(count):
        parts.insert(rng.randint(0, len(parts)), rng.choice(FILLERS))
    return "".join(parts)


def edit_delete(text: str, rng: random.Random, _pool: str) -> str:
    parts = _sentences(text)
    if len(parts) >= 3:
        del parts[rng.randrange(len(parts))]
        return "".join(parts)
    span = max(1, len(text) * 15 // 100)
    start = rng.randrange(max(1, len(text) - span))
    return text[:start] + text[start + span :]


def edit_reorder(text: str, rng: random.Random, _pool: str) -> str:
    parts = _sentences(text)
    rng.shuffle(parts)
    return "".join(parts)


def edit_typo(text: str, rng: random.Random, pool: str, rate: float = 0.05) -> str:
    return "".join(rng.choice(pool) if ch.isalnum() and rng.random() < rate else ch for ch in text)


def edit_truncate(text: str, rng: random.Random, _pool: str) -> str:
    return text[: max(20, len(text) * 6 // 10)]


def edit_medium(text: str, rng: random.Random, pool: str) -> str:
    return edit_delete(edit_insert(edit_punct(text, rng, pool), rng, pool), rng, pool)


def edit_heavy(text: str, rng: random.Random, pool: str) -> str:
    text = edit_delete(edit_reorder(text, rng, pool), rng, pool)
    return edit_numbers(edit_typo(edit_insert(text, rng, pool, 3), rng, pool), rng, pool)


EDITS = {
    "punctuation": edit_punct,
    "numbers": edit_numbers,
    "insertion": edit_insert,
    "deletion": edit_delete,
    "reordering": edit_reorder,
    "typos 5%": edit_typo,
    "truncated 60%": edit_truncate,
    "medium mix": edit_medium,
    "heavy mix": edit_heavy,
}


def char_pool(messages: list[Message]) -> str:
    return "".join(sorted({ch for m in messages[:2000] for ch in m.body if "\u4e00" <= ch <= "\u9fff"}))


# --- the labelled set ---------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    same: bool
    group: str


def natural_pairs(messages: dict[str, Message]) -> list[Pair]:
    with LABELS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Pair(messages[r["id_a"]].text, messages[r["id_b"]].text, r["same_issue"] == "1", f"natural {r['sampled_from']}")
        for r in rows
    ]


def synthetic_pairs(corpus: list[Message], rng: random.Random, per_kind: int = 300) -> list[Pair]:
    pool = char_pool(corpus)
    bases = [m for m in corpus if len(dedup.canonical(m.text)) >= 30]
    pairs = []
    for kind, edit in EDITS.items():
        for base in rng.sample(bases, per_kind):
            pairs.append(Pair(base.text, edit(base.text, rng, pool), True, f"synthetic {kind}"))
    return pairs


def same_topic_pairs(corpus: list[Message], rng: random.Random, count: int = 400) -> list[Pair]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from lianxin.triage.text import tokens

    labelled = [m for m in corpus if m.label]
    vectors = TfidfVectorizer(tokenizer=tokens, lowercase=False, token_pattern=None, min_df=2, sublinear_tf=True)
    matrix = vectors.fit_transform([m.text for m in labelled])
    labels = np.array([m.label for m in labelled])
    pairs = []
    for i in rng.sample(range(len(labelled)), count):
        cosine = (matrix @ matrix[i].T).toarray().ravel()
        cosine[(labels != labels[i]) | (cosine < 0.2) | (cosine > 0.45)] = -1
        cosine[i] = -1
        j = int(cosine.argmax())
        if cosine[j] > 0:
            pairs.append(Pair(labelled[i].text, labelled[j].text, False, "negative same topic"))
    return pairs


def random_pairs(corpus: list[Message], rng: random.Random, count: int = 3000) -> list[Pair]:
    pairs = []
    for _ in range(count):
        a, b = rng.sample(corpus, 2)
        pairs.append(Pair(a.text, b.text, False, "negative random"))
    return pairs


# --- evaluation ---------------------------------------------------------------------------


def detect(pairs: list[Pair], threshold: float) -> list[float]:
    """For each pair, the similarity at which querying `a` returns `b` (0.0: not returned)."""
    texts = sorted({p.a for p in pairs} | {p.b for p in pairs})
    ids = {t: i for i, t in enumerate(texts)}
    index = dedup.DuplicateIndex(threshold=threshold)
    index.add_many(list(range(len(texts))), dedup.minhash_many(texts))
    cache: dict[str, dict[int, float]] = {}
    found = []
    for pair in pairs:
        if pair.a not in cache:
            cache[pair.a] = {m.id: m.similarity for m in index.query(pair.a, limit=len(texts))}
        found.append(cache[pair.a].get(ids[pair.b], 0.0))
    return found


def detect_exact(pairs: list[Pair]) -> list[float]:
    """The database path: a candidate shares a band key; its similarity is the exact Jaccard."""
    found = []
    for pair in pairs:
        a, b = dedup.signature(pair.a), dedup.signature(pair.b)
        shared = any(x == y for x, y in zip(a.keys, b.keys, strict=False))
        found.append(dedup.jaccard(pair.a, pair.b) if shared else 0.0)
    return found


def _prf(pairs: list[Pair], found: list[float], threshold: float) -> tuple[int, int, int]:
    tp = sum(1 for p, f in zip(pairs, found, strict=True) if p.same and f >= threshold and f > 0)
    fp = sum(1 for p, f in zip(pairs, found, strict=True) if not p.same and f >= threshold and f > 0)
    return tp, fp, sum(1 for p in pairs if p.same)


def report_quality() -> None:
    rng = random.Random(SEED)
    messages = load_messages()
    corpus = distinct(messages)
    print(f"messages: {len(messages)} rows, {len(corpus)} distinct")
    natural = natural_pairs(messages)
    pairs = natural + synthetic_pairs(corpus, rng) + same_topic_pairs(corpus, rng) + random_pairs(corpus, rng)
    started = time.perf_counter()
    found = detect(pairs, min(SWEEP))
    print(f"{len(pairs)} pairs, detection run in {time.perf_counter() - started:.1f} s")
    exact = detect_exact(pairs)
    tau = dedup.DUPLICATE_THRESHOLD
    print(f"\nPer group at the threshold {tau} (in-memory index, estimated similarity):")
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        groups[p.group].append(i)
    print("| group | pairs | same issue | reported | reported, same issue | reported, not same |")
    print("|---|---|---|---|---|---|")
    for group, members in groups.items():
        sub = [pairs[i] for i in members]
        tp, fp, pos = _prf(sub, [found[i] for i in members], tau)
        print(f"| {group} | {len(sub)} | {pos} | {tp + fp} | {tp} | {fp} |")
    print("\nThreshold sweep: precision / recall (the whole set depends on its mix, see the text):")
    print("| threshold | all (index) | natural (index) | synthetic recall | same-topic FP | all (DB) | natural (DB) |")
    print("|---|---|---|---|---|---|---|")
    for t in SWEEP:
        print(_sweep_row(pairs, found, exact, t))
    print()
    report_strata(corpus, natural, exact[: len(natural)], "database path, exact Jaccard")
    report_strata(corpus, natural, found[: len(natural)], "in-memory index, estimated")


def _sweep_row(pairs: list[Pair], found: list[float], exact: list[float], t: float) -> str:
    def pr(prefix: str, values: list[float]) -> tuple[float, float, int]:
        idx = [i for i, p in enumerate(pairs) if p.group.startswith(prefix)]
        tp, fp, pos = _prf([pairs[i] for i in idx], [values[i] for i in idx], t)
        return tp / max(1, tp + fp), tp / max(1, pos), fp

    def cell(prefix: str, values: list[float]) -> str:
        precision, recall, _fp = pr(prefix, values)
        return f"{precision:.3f} / {recall:.3f}"

    same_topic = sum(1 for p in pairs if p.group == "negative same topic")
    return (
        f"| {t:.2f} | {cell('', found)} | {cell('natural', found)} | {pr('synthetic', found)[1]:.3f} | "
        f"{pr('negative same topic', found)[2]}/{same_topic} | {cell('', exact)} | {cell('natural', exact)} |"
    )


def report_strata(corpus: list[Message], natural: list[Pair], found: list[float], path: str) -> None:
    """Weight the hand-labelled strata by how many pairs of the whole data set fall in each."""
    population = strata_population(corpus)
    tau = dedup.DUPLICATE_THRESHOLD
    by: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(natural):
        by[p.group].append(i)
    print(f"Natural pairs by stratum, {path}, threshold {tau}:")
    print("| sampled from | pairs in the data | labelled | same issue | reported | reported and same |")
    print("|---|---|---|---|---|---|")
    w_tp = w_rep = w_pos = 0.0
    for group, idx in by.items():
        same = sum(natural[i].same for i in idx)
        reported = sum(1 for i in idx if found[i] >= tau and found[i] > 0)
        hits = sum(1 for i in idx if natural[i].same and found[i] >= tau and found[i] > 0)
        n = population.get(group.removeprefix("natural "))
        print(f"| {group.removeprefix('natural ')} | {n if n is not None else '—'} | {len(idx)} | {same} | "
              f"{reported} | {hits} |")  # fmt: skip
        if n:
            w_tp += n * hits / len(idx)
            w_rep += n * reported / len(idx)
            w_pos += n * same / len(idx)
    print(
        f"Weighted by the data set: of the {w_pos:.0f} same-issue pairs with 3-gram Jaccard ≥ 0.1, "
        f"{w_tp / max(1, w_pos):.1%} are reported; of the {w_rep:.0f} pairs reported, "
        f"{w_tp / max(1, w_rep):.1%} are the same issue.\n"
    )


STRATA = ((0.1, 0.15), (0.15, 0.2), (0.2, 0.3), (0.3, 0.45), (0.45, 0.6), (0.6, 0.9), (0.9, 1.01))


def strata_population(corpus: list[Message]) -> dict[str, int]:
    from scipy import sparse

    codes = [dedup.shingles(m.text) for m in corpus]
    vocabulary = np.unique(np.concatenate(codes))
    rows = np.concatenate([np.full(len(c), i) for i, c in enumerate(codes)])
    cols = np.concatenate([np.searchsorted(vocabulary, c) for c in codes])
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(codes), len(vocabulary)))
    sizes = np.array([len(c) for c in codes])
    common = (matrix @ matrix.T).tocoo()
    upper = common.row < common.col
    r, c, v = common.row[upper], common.col[upper], common.data[upper]
    jaccard = v / (sizes[r] + sizes[c] - v)
    names = {}
    for lo, hi in STRATA:
        name = f"j3 {lo}-{hi}" if hi <= 1 else f"j3 {lo}-1.01"
        names[name] = int(((jaccard >= lo) & (jaccard < hi)).sum())
    return names


# --- speed: 1,000,000 stored texts --------------------------------------------------------


def synthetic_corpus(corpus: list[Message], size: int, rng: random.Random) -> list[str]:
    """New texts made of 2–5 sentences of different real messages, each with 15 % of its
    characters replaced: realistic wording and length, few near-duplicates among them."""
    pool = char_pool(corpus)
    sentences = [s for m in corpus for s in _sentences(m.text) if len(s) >= 8]
    out = []
    for _ in range(size):
        parts = [edit_typo(rng.choice(sentences), rng, pool, 0.15) for _ in range(rng.randint(2, 5))]
        out.append("".join(parts))
    return out


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report_speed(size: int = 1_000_000, queries: int = 1000) -> None:
    rng = random.Random(SEED)
    corpus = distinct(load_messages())
    started = time.perf_counter()
    texts = synthetic_corpus(corpus, size - len(corpus), rng) + [m.text for m in corpus]
    print(f"corpus: {len(texts)} texts (mean {np.mean([len(t) for t in texts[:10000]]):.0f} characters), "
          f"made in {time.perf_counter() - started:.0f} s")  # fmt: skip
    before = rss_mb()
    started = time.perf_counter()
    workers = os.cpu_count() or 1
    with multiprocessing.Pool(workers) as processes:
        chunks = [texts[i : i + 20000] for i in range(0, len(texts), 20000)]
        signatures = np.concatenate(processes.map(dedup.minhash_many, chunks))
    signed = time.perf_counter() - started
    index = dedup.DuplicateIndex()
    started = time.perf_counter()
    index.add_many(list(range(len(texts))), signatures)
    indexed = time.perf_counter() - started
    del signatures
    after = rss_mb()
    per_text = signed * workers / len(texts) * 1e6
    print(f"build: signatures {signed:.0f} s on {workers} processes ({per_text:.0f} µs per text per core), "
          f"index {indexed:.1f} s; index arrays {index.nbytes / 2**20:.0f} MiB, "
          f"process RSS grew {after - before:.0f} MiB")  # fmt: skip
    pool = char_pool(corpus)
    reposts = [edit_medium(rng.choice(corpus).text, rng, pool) for _ in range(queries)]
    fresh = synthetic_corpus(corpus, queries, rng)
    for name, batch in (("reposts of stored messages", reposts), ("new unrelated messages", fresh)):
        timings, found = [], []
        for text in batch:
            t0 = time.perf_counter()
            matches = index.query(text)
            timings.append((time.perf_counter() - t0) * 1000)
            found.append(len(matches))
        p50, p95 = np.percentile(timings, [50, 95])
        print(f"query ({name}, text → matches, signature included): p50 {p50:.2f} ms, p95 {p95:.2f} ms, "
              f"max {max(timings):.1f} ms; matches per query: mean {np.mean(found):.1f}")  # fmt: skip
    started = time.perf_counter()
    for i in range(1000):
        index.add(f"new{i}", fresh[i % len(fresh)])
    print(f"add one at a time: {(time.perf_counter() - started):.2f} ms per text (1,000 adds, compaction included)")


# --- the database lookup ------------------------------------------------------------------


def report_db(size: int = 1_000_000, queries: int = 300) -> None:
    """The application's lookup on a database holding `size` cases: a throwaway SQLite file,
    or the PostgreSQL server of DATABASE_URL (scripts/with-postgres.sh starts one)."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="lianxin-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["LIANXIN_VAR_DIR"] = folder
    import django

    django.setup()
    from benchmarks.duplicates_db import run

    corpus = distinct(load_messages())
    texts, signatures = corpus_signatures(corpus, size, random.Random(SEED))
    rng, pool = random.Random(SEED + 1), char_pool(corpus)
    checks = {
        "a repost of a stored message": [edit_medium(rng.choice(corpus).text, rng, pool) for _ in range(queries)],
        "a new unrelated message": synthetic_corpus(corpus, queries, rng),
    }
    try:
        run(texts=texts, signatures=signatures, checks=checks)
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)  # the SQLite file is several GB


def corpus_signatures(corpus: list[Message], size: int, rng: random.Random) -> tuple[list[str], np.ndarray]:
    """The stored texts and their signatures, cached in the temp folder between runs (both are
    determined by the seed; the cache never goes into the repository)."""
    import pickle
    import tempfile

    cache = Path(tempfile.gettempdir()) / f"lianxin-dedup-bench-v{dedup.SIGNATURE_VERSION}-{SEED}-{size}.pickle"
    if cache.exists():
        with cache.open("rb") as handle:
            texts, signatures = pickle.load(handle)
        return texts, signatures
    texts = synthetic_corpus(corpus, size - len(corpus), rng) + [m.text for m in corpus]
    with multiprocessing.Pool(os.cpu_count() or 1) as processes:
        chunks = [texts[i : i + 20000] for i in range(0, len(texts), 20000)]
        signatures = np.concatenate(processes.map(dedup.minhash_many, chunks))
    with cache.open("wb") as handle:
        pickle.dump((texts, signatures), handle, protocol=pickle.HIGHEST_PROTOCOL)
    return texts, signatures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("quality", "speed", "db", "all"))
    parser.add_argument("--size", type=int, default=1_000_000, help="stored texts (default 1,000,000)")
    args = parser.parse_args()
    print(
        f"signature: {dedup.NUM_PERM} slots, {dedup.BANDS} bands × {dedup.ROWS}, {dedup.SHINGLE_SIZE}-grams, "
        f"threshold {dedup.DUPLICATE_THRESHOLD}; numpy {np.__version__}, Python {sys.version.split()[0]}"
    )
    if args.what in ("quality", "all"):
        report_quality()
    if args.what in ("speed", "all"):
        report_speed(args.size)
    if args.what in ("db", "all"):
        report_db(args.size)


if __name__ == "__main__":
    main()
