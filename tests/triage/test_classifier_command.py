"""The evaluation contract: `triage_evaluate --train PATH --test PATH` prints one JSON line,
and a bad input gives a one-line error instead of a traceback."""

import csv
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.triage.test_classifier import corpus

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("LIANXIN_DATA_DIR") or ROOT.parent / "shared" / "data" / "gov-messages")
KEYS = {"accuracy", "macro_f1", "per_class_f1", "train_seconds", "predict_ms_p50", "model_bytes"}


def write_csv(path: Path, rows: list[dict], columns=("id", "title", "body", "time", "label")) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def message_rows(texts: list[str], labels: list[str]) -> list[dict]:
    # Some rows keep a title of their own, some have it glued to the body, as in the real data.
    rows = []
    for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
        title, _, body = text.partition("，") if i % 3 == 0 else ("", "", text)
        rows.append({"id": i, "title": title, "body": body, "time": "", "label": label})
    return rows


def evaluate(train: Path, test: Path) -> str:
    out = io.StringIO()
    call_command("triage_evaluate", "--train", str(train), "--test", str(test), stdout=out)
    return out.getvalue()


@pytest.fixture
def train_and_test(tmp_path) -> tuple[Path, Path]:
    texts, labels = corpus(15)
    rows = message_rows(texts, labels)
    return write_csv(tmp_path / "train.csv", rows[::2]), write_csv(tmp_path / "test.csv", rows[1::2])


def test_prints_exactly_one_json_line_with_exactly_the_contract_keys(train_and_test):
    output = evaluate(*train_and_test)
    lines = output.strip("\n").split("\n")
    assert len(lines) == 1
    result = json.loads(lines[0])
    assert set(result) == KEYS
    assert set(result["per_class_f1"]) == {"城乡建设", "环境保护", "交通运输"}
    assert 0.0 <= result["macro_f1"] <= 1.0 and 0.0 <= result["accuracy"] <= 1.0
    assert result["train_seconds"] > 0 and result["predict_ms_p50"] > 0 and result["model_bytes"] > 0


def test_scores_a_separable_tiny_corpus_well(train_and_test):
    assert json.loads(evaluate(*train_and_test))["macro_f1"] >= 0.9


def test_a_missing_file_is_a_clear_error(train_and_test, tmp_path):
    train, _ = train_and_test
    with pytest.raises(CommandError, match="no such file"):
        evaluate(train, tmp_path / "missing.csv")


def test_a_file_without_the_label_column_is_a_clear_error(train_and_test, tmp_path):
    train, _ = train_and_test
    unlabelled = write_csv(tmp_path / "unlabelled.csv", [{"id": 1, "body": "路灯坏了"}], ("id", "title", "body"))
    with pytest.raises(CommandError, match="lacks the column"):
        evaluate(train, unlabelled)


def test_a_file_that_is_not_utf8_csv_is_a_clear_error(train_and_test, tmp_path):
    train, _ = train_and_test
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"id,body,label\n1,\xff\xfe\xfa,x\n")
    with pytest.raises(CommandError, match="not a UTF-8 CSV"):
        evaluate(train, binary)


def test_a_training_file_with_one_label_is_a_clear_error(tmp_path, train_and_test):
    _, test = train_and_test
    one = write_csv(tmp_path / "one.csv", message_rows(["路灯坏了不亮", "窨井盖缺失"], ["城乡建设", "城乡建设"]))
    with pytest.raises(CommandError, match="two different labels"):
        evaluate(one, test)


def test_from_the_command_line_an_error_is_one_line_on_stderr_without_traceback(train_and_test, tmp_path):
    train, _ = train_and_test
    command = [sys.executable, "manage.py", "triage_evaluate", "--train", str(train), "--test", str(tmp_path / "x.csv")]
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=environment, timeout=120)
    assert finished.returncode != 0
    assert finished.stdout == ""
    assert "no such file" in finished.stderr
    assert "Traceback" not in finished.stderr


@pytest.mark.skipif(
    not (DATA_DIR / "train.csv").is_file(),
    reason=f"the gov-messages data set is not at {DATA_DIR} (set LIANXIN_DATA_DIR to run this test)",
)
def test_runs_on_a_sample_of_the_real_messages(tmp_path):
    with (DATA_DIR / "train.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sample = random.Random(0).sample(rows, 400)
    train = write_csv(tmp_path / "train.csv", sample[:300])
    test = write_csv(tmp_path / "test.csv", sample[300:])
    result = json.loads(evaluate(train, test))
    assert set(result) == KEYS
    assert result["macro_f1"] > 0.5  # 300 messages for 7 labels: far from the full model, far above chance
