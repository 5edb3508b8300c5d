"""Reading message corpora from CSV files (columns `id,title,body,time,label`)."""

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path


def message_text(title: str, body: str) -> str:
    """Title + body, without repeating a title that the body already starts with."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title or body.startswith(title):
        return body
    return f"{title} {body}" if body else title


LABELLED_COLUMNS = ("body", "label")  # title, id and time may be missing or empty


class CorpusError(ValueError):
    """A corpus file that cannot be read as the CSV it should be."""


def read_messages_csv(path: str | Path) -> tuple[list[str], list[str]]:
    """Texts and labels of a labelled file; rows without a label or text are skipped."""
    texts, labels = [], []
    for row in _rows(path, LABELLED_COLUMNS):
        text, label = message_text(row.get("title", ""), row.get("body", "")), (row.get("label") or "").strip()
        if text and label:
            texts.append(text)
            labels.append(label)
    return texts, labels


def read_texts_csv(path: str | Path, columns: Sequence[str] = ("title", "body")) -> list[str]:
    """Texts of an unlabelled file: the given columns joined (title + body by default)."""
    texts = []
    for row in _rows(path, columns[-1:]):
        values = [row.get(column) or "" for column in columns]
        text = message_text(values[0], " ".join(values[1:])) if len(values) > 1 else values[0].strip()
        if text:
            texts.append(text)
    return texts


def _rows(path: str | Path, required: Sequence[str]) -> Iterator[dict[str, str]]:
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in required if column not in (reader.fieldnames or ())]
            if missing:
                raise CorpusError(f"{path} lacks the column(s) {', '.join(missing)}")
            yield from reader
    except (UnicodeDecodeError, csv.Error) as error:
        raise CorpusError(f"{path} is not a UTF-8 CSV file: {error}") from None
