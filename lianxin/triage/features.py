"""Turning message texts into sparse features: character n-grams plus segmented words."""

import itertools
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from lianxin.triage.text import PLACE_MARK, model_tokens, normalize_for_model

WORD_PREFIX = "w:"
HEAD_PREFIX = "h:"
# The opening characters hold the title: in about 60% of the labelled messages the title is glued
# to the body, so "the first 20 characters" finds it whether or not a title column was filled.
# Their own block (weighted 0.7) lifted cross-validated macro-F1 by 0.004-0.012 (benchmarks/triage.md).
HEAD_CHARS = 20
HEAD_WEIGHT = 0.7


def _shows_as_term(term: str, *, is_word: bool) -> bool:
    """What staff read as "the words that decided": whole words of two characters or more (a
    word pair only if both are), never a fragment such as 的路 or 道, (a character n-gram
    across a word boundary or punctuation), never a masked place."""
    parts = term.split(" ") if is_word else [term]
    if PLACE_MARK in term or not all(len(p) >= 2 and all(c.isalnum() for c in p) for p in parts):
        return False
    return is_word or model_tokens(term) == [term]


def head(text: str) -> str:
    return text[:HEAD_CHARS]


def word_analyzer(text: str) -> list[str]:
    """Segmented words and adjacent word pairs of an already normalised text."""
    words = model_tokens(text)
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


class TextFeatures:
    """Character 1-3-grams, word 1-2-grams and the opening's character 1-3-grams, TF-IDF
    weighted with sublinear tf, stacked."""

    def __init__(self, *, char_ngrams: tuple[int, int] = (1, 3), max_features: int = 250_000) -> None:
        common = {"sublinear_tf": True, "dtype": np.float32, "lowercase": False, "min_df": 2}
        self.char = TfidfVectorizer(analyzer="char", ngram_range=char_ngrams, max_features=max_features, **common)
        self.word = TfidfVectorizer(analyzer=word_analyzer, max_features=max_features // 2, **common)
        self.head: TfidfVectorizer | None = TfidfVectorizer(
            analyzer="char", ngram_range=char_ngrams, preprocessor=head, max_features=max_features // 10, **common
        )
        self._names: np.ndarray | None = None
        self._analyzers: list[tuple[Callable, dict, np.ndarray, np.float32]] | None = None

    def fit(self, texts: Sequence[str]) -> "TextFeatures":
        normalised = [normalize_for_model(t) for t in texts]
        min_df = 2 if len(normalised) >= 50 else 1  # tiny corpora would lose most of their vocabulary
        for vectorizer in self._blocks():
            vectorizer.set_params(min_df=min_df).fit(normalised)
        for vectorizer in self._blocks():
            vectorizer.stop_words_ = None  # every pruned term: large, and only for introspection
        self._names = self._analyzers = None
        return self

    def _blocks(self) -> list[TfidfVectorizer]:
        return [v for v in (self.char, self.word, self.head) if v is not None]

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """What the fitted vectorizers would give, stacked, computed row by row: sklearn's own
        transform costs about 1 ms of checks per block and call, too much for one message."""
        indptr, indices, values = [0], [], []
        for text in texts:
            row_indices, row_values = self._row(normalize_for_model(text))
            indices.append(row_indices)
            values.append(row_values)
            indptr.append(indptr[-1] + len(row_indices))
        shape = (len(texts), sum(len(idf) for _, _, idf, _ in self._fitted()))
        if not indices:
            return sp.csr_matrix(shape, dtype=np.float32)
        return sp.csr_matrix((np.concatenate(values), np.concatenate(indices), np.asarray(indptr)), shape=shape)

    def _row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One text's sublinear-tf x idf features, L2-normalised and weighted per block."""
        all_indices, all_values, offset = [], [], 0
        for analyze, vocabulary, idf, weight in self._fitted():
            counts = Counter(analyze(text))
            found = [(vocabulary[term], n) for term, n in counts.items() if term in vocabulary]
            found.sort()
            indices = np.fromiter((i for i, _ in found), dtype=np.int32, count=len(found))
            tf = np.fromiter((n for _, n in found), dtype=np.float32, count=len(found))
            values = (np.log(tf) + np.float32(1)) * idf[indices]
            norm = np.sqrt(np.dot(values, values))
            if norm > 0:
                values *= weight / norm
            all_indices.append(indices + offset)
            all_values.append(values)
            offset += len(idf)
        return np.concatenate(all_indices), np.concatenate(all_values).astype(np.float32, copy=False)

    def _fitted(self) -> list[tuple[Callable, dict, np.ndarray, np.float32]]:
        if self._analyzers is None:
            weights = {id(self.head): np.float32(HEAD_WEIGHT)}
            self._analyzers = [
                (v.build_analyzer(), v.vocabulary_, v.idf_.astype(np.float32), weights.get(id(v), np.float32(1)))
                for v in self._blocks()
            ]
        return self._analyzers

    @property
    def names(self) -> np.ndarray:
        if self._names is None:
            words = [WORD_PREFIX + w for w in self.word.get_feature_names_out()]
            heads = [HEAD_PREFIX + h for h in self.head.get_feature_names_out()] if self.head is not None else []
            self._names = np.concatenate(
                [self.char.get_feature_names_out(), np.array(words, dtype=object), np.array(heads, dtype=object)]
            )
        return self._names

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_names": None, "_analyzers": None}  # rebuilt from the vocabularies when needed

    def __setstate__(self, state: dict) -> None:
        # Files saved before the opening block (or before `_analyzers`) still load.
        self.__dict__.update({"head": None, "_analyzers": None, **state})

    def readable(self, index: int) -> str | None:
        """The term a feature stands for, or None when it says nothing to a reader."""
        name = str(self.names[index])
        term = name.removeprefix(WORD_PREFIX).removeprefix(HEAD_PREFIX)
        return term if _shows_as_term(term, is_word=name.startswith(WORD_PREFIX)) else None
