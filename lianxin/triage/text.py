"""Normalising and segmenting Chinese text (rjieba: jieba's dictionary, ~20x faster)."""

import re
import threading
import unicodedata
from pathlib import Path

import rjieba

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w", re.UNICODE)
# Particles and punctuation carry no meaning for search.
STOPWORDS = frozenset("的了是在和与及或也都就还有我你他她它们这那吗呢吧啊呀很被把给对")  # one character each


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), collapse whitespace, lower-case Latin letters."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().lower()


def tokens(text: str) -> list[str]:
    return [t for t in rjieba.cut(normalize(text)) if _is_word(t)]


def search_tokens(text: str) -> list[str]:
    """Fine-grained cuts for indexing, so a query for 路灯 finds 路灯坏了 and 小区路灯."""
    seen: dict[str, None] = {}
    for token in rjieba.cut_for_search(normalize(text)):
        if _is_word(token):
            seen.setdefault(token, None)
    return list(seen)


def search_index(text: str) -> str:
    """The stored form: space-delimited with a leading and trailing space for whole-token match."""
    return f" {' '.join(search_tokens(text))} "


def _is_word(token: str) -> bool:
    return bool(token.strip()) and token not in STOPWORDS and bool(_WORD.search(token))


# --- Model text: used by the classifier, not by search (search keeps rjieba's default dictionary). ---

USERDICT_PATH = Path(__file__).with_name("userdict.txt")
# Place names masked by publishers and by our own redaction: A市, A3区, K8县, M6州, C12镇 ...
_MASKED_PLACE = re.compile(r"(?<![A-Za-z0-9])[A-Z]\d{0,3}(?=[市区县州省镇乡村])")
PLACE_MARK = "某"  # A3区 -> 某区: the kind of place stays, the masked name does not
_URL = re.compile(r"(?:https?://|www\.)[\x21-\x7e]+", re.IGNORECASE)
_model_cutter_lock = threading.Lock()
_model_cutter: rjieba.Jieba | None = None


def normalize_for_model(text: str) -> str:
    """`normalize` plus masked places replaced by one placeholder and links dropped."""
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub(" ", text)
    text = _MASKED_PLACE.sub(PLACE_MARK, text)
    return _SPACE.sub(" ", text).strip().lower()


def model_tokens(text: str) -> list[str]:
    """Words for the classifier: user-dictionary terms stay whole; expects normalised text."""
    return [t for t in _cutter().cut(text) if _is_word(t)]


def read_userdict(path: Path = USERDICT_PATH) -> list[tuple[str, int | None, str | None]]:
    """Entries of a jieba-format user dictionary: `word [freq] [tag]`, `#` starts a comment."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        entries.append((parts[0], freq, tag))
    return entries


def _cutter() -> rjieba.Jieba:
    global _model_cutter
    if _model_cutter is None:
        with _model_cutter_lock:
            if _model_cutter is None:
                cutter = rjieba.Jieba()
                for word, freq, tag in read_userdict():
                    cutter.add_word(word, freq, tag)
                _model_cutter = cutter
    return _model_cutter
