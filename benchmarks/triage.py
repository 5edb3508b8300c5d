"""The category classifier on real messages: cross-validation, the contract command, scaling.

    .venv/bin/python benchmarks/triage.py                      # everything (about 15 minutes on 2 cores)
    .venv/bin/python benchmarks/triage.py --seeds 0 --scale 0  # one CV seed, no scaling run

Data: ../shared/data/gov-messages relative to the repository root (LIANXIN_DATA_DIR overrides).
1. Stratified 5-fold cross-validation of `train` on train.csv, once per seed: accuracy, macro-F1,
   per-class F1, training seconds per fold, one-message-at-a-time prediction p50/p95 (tokenizing
   included, on the held-out fold) and the saved model's bytes.
2. The contract command `manage.py triage_evaluate` on a stratified 80/20 split of train.csv
   written to a temporary folder; its JSON line is reported as printed.
3. Training time for larger corpora, up to 100,000 messages. No labelled corpus that large
   exists, so it is made: the 2,955 labelled messages plus the 7,109 messages of
   unlabeled_with_votes.csv and replies.csv, pseudo-labelled by a model trained on train.csv,
   and then spliced messages (the first half of one message and the second half of another
   with the same label) until the size is reached, so the vocabulary grows as a real corpus would.
Prints one JSON object on stdout; progress goes to stderr.
"""

import argparse
import csv
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.model_selection import StratifiedKFold, train_test_split  # noqa: E402

from lianxin.triage.classifier import TextClassifier, score_predictions, train  # noqa: E402
from lianxin.triage.corpus import read_messages_csv, read_texts_csv  # noqa: E402

FOLDS = 5
SPLIT_SEED = 0


def data_dir() -> Path:
    return Path(os.environ.get("LIANXIN_DATA_DIR") or ROOT.parent / "shared" / "data" / "gov-messages")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- 1. cross-validation ----------------------------------------------------------------------


def cross_validate(texts: np.ndarray, labels: np.ndarray, seed: int) -> dict:
    folds, timings, sizes, predicted = [], [], [], np.empty_like(labels)
    splits = StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(texts, labels)
    for number, (fit_rows, test_rows) in enumerate(splits, 1):
        started = time.perf_counter()
        model = train(list(texts[fit_rows]), list(labels[fit_rows]), seed=seed)
        seconds = time.perf_counter() - started
        sizes.append(saved_bytes(model))
        fold_predicted, fold_timings = predict_one_at_a_time(model, list(texts[test_rows]))
        predicted[test_rows] = fold_predicted
        timings += fold_timings
        metrics = score_predictions(list(labels[test_rows]), fold_predicted, model.labels)
        folds.append({"macro_f1": metrics["macro_f1"], "accuracy": metrics["accuracy"], "train_seconds": seconds})
        log(f"seed {seed} fold {number}: macro-F1 {metrics['macro_f1']:.4f}, trained in {seconds:.1f} s")
    pooled = score_predictions(list(labels), list(predicted))
    return {
        "seed": seed,
        "macro_f1_mean": mean(f["macro_f1"] for f in folds),
        "macro_f1_std": round(statistics.stdev(f["macro_f1"] for f in folds), 4),
        "macro_f1_folds": [round(f["macro_f1"], 4) for f in folds],
        "accuracy_mean": mean(f["accuracy"] for f in folds),
        "per_class_f1_pooled": {label: round(f1, 4) for label, f1 in pooled["per_class_f1"].items()},
        "confusion_pooled": pooled["confusion"],
        "train_seconds_mean": mean(f["train_seconds"] for f in folds),
        "predict_ms_p50": round(float(np.percentile(timings, 50)), 3),
        "predict_ms_p95": round(float(np.percentile(timings, 95)), 3),
        "model_bytes_max": max(sizes),
    }


def predict_one_at_a_time(model: TextClassifier, texts: list[str]) -> tuple[list[str], list[float]]:
    model.predict("预热")
    labels, timings = [], []
    for text in texts:
        started = time.perf_counter()
        labels.append(model.predict(text).label)
        timings.append((time.perf_counter() - started) * 1000)
    return labels, timings


def saved_bytes(model: TextClassifier) -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "triage.model"
        model.save(path)
        return path.stat().st_size


def mean(values) -> float:
    return round(statistics.fmean(values), 4)


# --- 2. the contract command --------------------------------------------------------------------


def contract(source: Path) -> dict:
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    fit_rows, test_rows = train_test_split(
        rows, test_size=0.2, random_state=SPLIT_SEED, stratify=[r["label"] for r in rows]
    )
    with tempfile.TemporaryDirectory() as folder:
        paths = {name: Path(folder) / f"{name}.csv" for name in ("train", "test")}
        for name, part in (("train", fit_rows), ("test", test_rows)):
            with paths[name].open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                writer.writerows(part)
        command = [sys.executable, "manage.py", "triage_evaluate", "--train", str(paths["train"])]
        finished = subprocess.run(
            [*command, "--test", str(paths["test"])], cwd=ROOT, capture_output=True, text=True, check=True
        )
    lines = finished.stdout.strip().splitlines()
    return {"n_train": len(fit_rows), "n_test": len(test_rows), "stdout_lines": len(lines), **json.loads(lines[-1])}


# --- 3. scaling ---------------------------------------------------------------------------------


def scaling(texts: list[str], labels: list[str], sizes: list[int]) -> list[dict]:
    extra = read_texts_csv(data_dir() / "unlabeled_with_votes.csv") + read_texts_csv(data_dir() / "replies.csv")
    log(f"pseudo-labelling {len(extra)} unlabelled messages")
    pseudo = [p.label for p in train(texts, labels).predict_many(extra)]
    real_texts, real_labels = texts + extra, labels + pseudo
    results = []
    for size in sizes:
        corpus_texts, corpus_labels = spliced_corpus(real_texts, real_labels, size)
        log(f"training on {len(corpus_texts)} messages")
        started = time.perf_counter()
        model = train(corpus_texts, corpus_labels)
        seconds = time.perf_counter() - started
        _, timings = predict_one_at_a_time(model, random.Random(1).sample(texts, 300))
        results.append(
            {
                "messages": len(corpus_texts),
                "train_seconds": round(seconds, 1),
                "model_bytes": saved_bytes(model),
                "predict_ms_p50": round(float(np.percentile(timings, 50)), 3),
            }
        )
        log(f"  {results[-1]}")
    return results


def spliced_corpus(texts: list[str], labels: list[str], size: int) -> tuple[list[str], list[str]]:
    """The real messages, then until `size`: halves of two messages of one label joined."""
    rng = random.Random(SPLIT_SEED)
    out_texts, out_labels = list(texts[:size]), list(labels[:size])
    by_label: dict[str, list[str]] = defaultdict(list)
    for text, label in zip(texts, labels, strict=True):
        by_label[label].append(text)
    while len(out_texts) < size:
        label = rng.choice(labels)
        first, second = rng.choice(by_label[label]), rng.choice(by_label[label])
        out_texts.append(first[: len(first) // 2] + second[len(second) // 2 :])
        out_labels.append(label)
    return out_texts, out_labels


# --- the run ------------------------------------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[0, 1], help="CV seeds; none to skip")
    parser.add_argument("--scale", type=int, nargs="*", default=[30_000, 100_000], help="corpus sizes; none to skip")
    parser.add_argument("--no-contract", action="store_true")
    arguments = parser.parse_args()
    source = data_dir() / "train.csv"
    if not source.is_file():
        sys.exit(f"No train.csv in {data_dir()} (set LIANXIN_DATA_DIR).")
    texts, labels = read_messages_csv(source)
    report: dict = {"machine": machine(), "n_messages": len(texts)}
    report["cross_validation"] = [
        cross_validate(np.asarray(texts, dtype=object), np.asarray(labels, dtype=object), seed)
        for seed in arguments.seeds
    ]
    if not arguments.no_contract:
        log("running the contract command on an 80/20 split")
        report["contract"] = contract(source)
    if arguments.scale:
        report["scaling"] = scaling(texts, labels, arguments.scale)
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
