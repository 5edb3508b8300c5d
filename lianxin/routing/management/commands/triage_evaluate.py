"""The evaluation contract: train on one CSV, score another, print exactly one JSON line."""

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lianxin.triage.classifier import TextClassifier, score_predictions, train
from lianxin.triage.corpus import CorpusError, read_messages_csv, read_texts_csv


class Command(BaseCommand):
    help = (
        "Train the category classifier on --train, score it on --test (CSV files with columns "
        "id,title,body,time,label) and print one JSON line with the metrics and timings."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--train", required=True, type=Path, help="labelled CSV to train on")
        parser.add_argument("--test", required=True, type=Path, help="labelled CSV to score")
        parser.add_argument(
            "--unlabeled", action="append", default=[], type=Path, help="CSV of unlabelled messages (repeatable)"
        )
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, train: Path, test: Path, unlabeled: list[Path], seed: int, **options) -> None:
        train_texts, train_labels = _read_labelled(train)
        test_texts, test_labels = _read_labelled(test)
        extra = [text for path in unlabeled for text in _read_unlabelled(path)]
        _log(f"training on {len(train_texts)} messages ({len(extra)} unlabelled), scoring {len(test_texts)}")
        started = time.perf_counter()
        model = _train(train_texts, train_labels, extra, seed)
        train_seconds = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "triage.model"
            model.save(path)
            model_bytes = path.stat().st_size
            predicted, p50 = _predict_one_at_a_time(TextClassifier.load(path), test_texts)
        metrics = score_predictions(test_labels, predicted, model.labels)
        result = {
            "accuracy": round(metrics["accuracy"], 6),
            "macro_f1": round(metrics["macro_f1"], 6),
            "per_class_f1": {label: round(f1, 6) for label, f1 in metrics["per_class_f1"].items()},
            "train_seconds": round(train_seconds, 3),
            "predict_ms_p50": round(p50, 4),
            "model_bytes": model_bytes,
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")))


def _predict_one_at_a_time(model: TextClassifier, texts: list[str]) -> tuple[list[str], float]:
    """Labels of `texts` and the median milliseconds of one prediction, tokenizing included."""
    model.predict("warm-up: 分词词典加载")  # the segmenter loads its dictionary on first use
    labels, timings = [], []
    for text in texts:
        started = time.perf_counter()
        labels.append(model.predict(text).label)
        timings.append((time.perf_counter() - started) * 1000)
    return labels, statistics.median(timings) if timings else 0.0


def _train(texts: list[str], labels: list[str], unlabeled: list[str], seed: int):
    try:
        return train(texts, labels, unlabeled=unlabeled, seed=seed)
    except ValueError as error:
        raise CommandError(str(error))


def _read_labelled(path: Path) -> tuple[list[str], list[str]]:
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    try:
        texts, labels = read_messages_csv(path)
    except CorpusError as error:
        raise CommandError(str(error))
    if not texts:
        raise CommandError(f"{path} has no labelled rows (columns id,title,body,time,label)")
    return texts, labels


def _read_unlabelled(path: Path) -> list[str]:
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    try:
        return read_texts_csv(path)
    except CorpusError as error:
        raise CommandError(str(error))


def _log(message: str) -> None:
    print(message, file=sys.stderr)
