"""Normalising and segmenting Chinese text (rjieba: jieba's dictionary, ~20x faster)."""

import re
import unicodedata

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
