"""Near-duplicate detection for short Chinese texts: MinHash over character shingles, with
LSH banding. Plain Python and numpy; no Django.

The scheme, and why:

- **Canonical text**: `text.normalize` (NFKC, whitespace, case), then everything that is
  not a letter, digit or CJK character is dropped and every run of digits becomes one "0".
  Reposts that only change punctuation, spacing, full/half width or a number look alike.
- **Shingles**: overlapping character 3-grams of the canonical text (a text shorter than
  three characters is one shingle). A 3-gram of code points (each < 2^21) packs exactly into
  63 bits, so shingles never collide before hashing.
- **MinHash**: NUM_PERM = 64 multiply-add-shift hash functions over the mixed shingle codes;
  the fraction of equal slots between two signatures estimates the Jaccard similarity of the
  two shingle sets (standard error ≤ 0.0625 at 64 slots). Coefficients come from BLAKE2b of
  fixed strings, so signatures are identical on every machine and numpy version, and can be
  stored. SIGNATURE_VERSION changes whenever any of this changes.
- **LSH**: the 64 slots are cut into BANDS = 32 bands of ROWS = 2; each band is hashed with its
  number into one 63-bit non-negative key. Two texts become candidates when they share at
  least one key: probability 1 − (1 − J²)³² (J = 0.2: 73 %, J = 0.3: 95 %, J = 0.4: 99.6 %,
  J = 0.05: 8 %). Candidates are kept only if their similarity reaches DUPLICATE_THRESHOLD
  (estimated from the slots here; the database side recomputes it exactly from the texts).
  A database finds candidates with an equality lookup `key IN (32 keys)` on one indexed
  integer column.

3-grams rather than 2-grams: on the labelled set 2-grams find a few more paraphrases at equal
precision, but common 2-grams fill LSH buckets four times faster (more candidates to check).
`DuplicateIndex` keeps signatures in memory; see benchmarks/duplicates.md for its speed at
1,000,000 texts and for precision and recall.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .text import normalize

SIGNATURE_VERSION = 1
SHINGLE_SIZE = 3
NUM_PERM = 64
BANDS = 32
ROWS = NUM_PERM // BANDS
# Jaccard similarity of 3-gram sets from which a pair is a likely duplicate. Chosen on the labelled
# set in benchmarks/duplicates.md (about 9 in 10 pairs above it are the same issue); staff confirm
# every merge, so recall matters more than precision here.
DUPLICATE_THRESHOLD = 0.2
# A band key shared by more stored texts than this is a "stop key": a common phrase (的问题, 您好我)
# happened to give both of its slots; it says nothing about duplicates and would only slow queries.
MAX_BUCKET = 2000

_U64 = np.uint64
_MASK32 = _U64(0xFFFFFFFF)
_EMPTY_SLOT = np.uint32(0xFFFFFFFF)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")


def _stable_u64(label: str, count: int) -> np.ndarray:
    """`count` 64-bit constants derived from `label` with BLAKE2b: the same everywhere, forever."""
    out = np.empty(count, dtype=_U64)
    for i in range(count):
        digest = hashlib.blake2b(f"lianxin-dedup-v{SIGNATURE_VERSION}:{label}:{i}".encode(), digest_size=8).digest()
        out[i] = int.from_bytes(digest, "little")
    return out


_PERM_A = _stable_u64("a", NUM_PERM) | _U64(1)  # odd multipliers
_PERM_B = _stable_u64("b", NUM_PERM)
_BAND_SEEDS = _stable_u64("band", BANDS)


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the whole word (wrapping uint64)."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


# --- shingles -----------------------------------------------------------------------------


def canonical(text: str) -> str:
    """What the signature sees: normalised, without punctuation or spaces, digit runs as "0"."""
    return _DIGITS.sub("0", _NOT_WORD.sub("", normalize(text or "")))


def shingles(text: str, size: int = SHINGLE_SIZE) -> np.ndarray:
    """The distinct character `size`-grams of the canonical text, as mixed 64-bit codes."""
    return _shingle_codes(canonical(text), size)


def _shingle_codes(canon: str, size: int) -> np.ndarray:
    if not canon:
        return np.empty(0, dtype=_U64)
    points = np.frombuffer(canon.encode("utf-32-le"), dtype=np.uint32).astype(_U64)
    if len(points) < size:
        points = np.concatenate([points, np.zeros(size - len(points), dtype=_U64)])
    count = len(points) - size + 1
    codes = np.zeros(count, dtype=_U64)
    for offset in range(size):  # code points are < 2**21: three of them fill 63 bits exactly
        codes |= points[offset : offset + count] << _U64(21 * offset)
    with np.errstate(over="ignore"):
        return np.unique(_mix64(codes))


def jaccard(a: str, b: str, size: int = SHINGLE_SIZE) -> float:
    """The exact Jaccard similarity of the two texts' shingle sets (0 when either is empty)."""
    sa, sb = shingles(a, size), shingles(b, size)
    if not len(sa) or not len(sb):
        return 0.0
    common = len(np.intersect1d(sa, sb, assume_unique=True))
    return common / (len(sa) + len(sb) - common)


# --- MinHash signatures and band keys -----------------------------------------------------


def _permute(codes: np.ndarray) -> np.ndarray:
    """(len(codes), NUM_PERM) hash values h_i(x) = (a_i·x + b_i) >> 32, computed in place."""
    out = np.multiply(codes[:, None], _PERM_A[None, :])
    np.add(out, _PERM_B[None, :], out=out)
    return np.right_shift(out, _U64(32), out=out)


def _minhash_codes(codes: np.ndarray) -> np.ndarray:
    if not len(codes):
        return np.full(NUM_PERM, _EMPTY_SLOT, dtype=np.uint32)
    return _permute(codes).min(axis=0).astype(np.uint32)


def minhash(text: str) -> np.ndarray:
    """The NUM_PERM-slot MinHash signature (uint32) of a text."""
    return _minhash_codes(shingles(text))


def minhash_many(texts: Iterable[str]) -> np.ndarray:
    """Signatures of many texts, one row each (a text at a time is faster than batches here:
    the (shingles × NUM_PERM) block of one text stays in the CPU cache)."""
    rows = [_minhash_codes(shingles(text)) for text in texts]
    return np.stack(rows) if rows else np.empty((0, NUM_PERM), dtype=np.uint32)


def is_empty(signature: np.ndarray) -> bool:
    """A text without a single shingle: it is nobody's duplicate."""
    return bool((signature == _EMPTY_SLOT).all())


def band_keys(signature: np.ndarray) -> np.ndarray:
    """BANDS keys (int64, non-negative, band number mixed in) of one signature or of a matrix of them."""
    sig = np.atleast_2d(signature).astype(_U64).reshape(-1, BANDS, ROWS)
    with np.errstate(over="ignore"):
        h = np.broadcast_to(_BAND_SEEDS, sig.shape[:2]).copy()
        for row in range(ROWS):
            h = _mix64(h ^ sig[:, :, row])
    keys = (h >> _U64(1)).astype(np.int64)
    return keys[0] if np.ndim(signature) == 1 else keys


def estimate(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the fraction of equal slots (0 if either text is empty)."""
    if is_empty(a) or is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


def to_bytes(signature: np.ndarray) -> bytes:
    """Compact storage: NUM_PERM × 4 bytes, little-endian."""
    return signature.astype("<u4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    if len(data) != NUM_PERM * 4:
        raise ValueError("not a signature of this version")
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


@dataclass(frozen=True)
class Signature:
    """A text's MinHash slots and its LSH band keys."""

    minhash: np.ndarray
    keys: tuple[int, ...]

    @property
    def empty(self) -> bool:
        return not self.keys


def signature(text: str) -> Signature:
    sig = minhash(text)
    keys = () if is_empty(sig) else tuple(int(k) for k in band_keys(sig))
    return Signature(sig, keys)


# --- the in-memory index ------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    id: Hashable
    similarity: float


class DuplicateIndex:
    """Signatures in memory with LSH band postings: add, remove, query.

    Postings live in one sorted array of (key, row) pairs, searched with `np.searchsorted`;
    texts added one at a time wait in a small dict until `compact()` (called automatically
    when it grows past an eighth of the sorted part) merges them in. Removing marks the row
    dead; it stops matching at once and its slots are dropped at the next compaction.
    """

    def __init__(
        self, *, threshold: float = DUPLICATE_THRESHOLD, max_bucket: int = MAX_BUCKET, capacity: int = 1024
    ) -> None:
        self.threshold = threshold
        self.max_bucket = max_bucket
        self._sig = np.empty((capacity, NUM_PERM), dtype=np.uint32)
        self._alive = np.zeros(capacity, dtype=bool)
        self._ids: list[Hashable] = []
        self._row_of: dict[Hashable, int] = {}
        self._keys = np.empty(0, dtype=np.int64)  # sorted
        self._rows = np.empty(0, dtype=np.int32)
        self._pending: dict[int, list[int]] = {}
        self._pending_count = 0

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, item: Hashable) -> bool:
        return item in self._row_of

    @property
    def nbytes(self) -> int:
        """Bytes held by the numpy arrays (signatures and postings), not counting the ids."""
        return self._sig.nbytes + self._alive.nbytes + self._keys.nbytes + self._rows.nbytes

    # -- writing

    def add(self, item: Hashable, text_or_signature: str | np.ndarray) -> None:
        sig = self._as_signature(text_or_signature)
        row = self._new_rows(item_ids=[item], signatures=sig[None, :])[0]
        if is_empty(sig):
            return
        for key in band_keys(sig).tolist():
            self._pending.setdefault(key, []).append(row)
        self._pending_count += BANDS
        if self._pending_count > max(4096, len(self._keys) // 8):
            self.compact()

    def add_many(self, items: Sequence[Hashable], signatures: np.ndarray) -> None:
        """Bulk add: `signatures` is a (len(items), NUM_PERM) matrix from `minhash_many`."""
        if len(items) != len(signatures):
            raise ValueError("one signature per item")
        rows = np.asarray(self._new_rows(item_ids=list(items), signatures=signatures), dtype=np.int32)
        filled = ~(signatures == _EMPTY_SLOT).all(axis=1)
        keys = band_keys(signatures[filled]).ravel()
        self._merge(keys, np.repeat(rows[filled], BANDS))

    def remove(self, item: Hashable) -> bool:
        row = self._row_of.pop(item, None)
        if row is None:
            return False
        self._alive[row] = False
        return True

    def compact(self) -> None:
        """Merge pending postings into the sorted arrays and drop postings of removed rows."""
        keys = np.fromiter((k for k, rows in self._pending.items() for _ in rows), dtype=np.int64)
        rows = np.fromiter((r for rs in self._pending.values() for r in rs), dtype=np.int32)
        self._pending, self._pending_count = {}, 0
        keep = self._alive[self._rows]
        self._keys, self._rows = self._keys[keep], self._rows[keep]
        self._merge(keys, rows)

    # -- reading

    def query(
        self, text_or_signature: str | np.ndarray, *, threshold: float | None = None, limit: int = 20
    ) -> list[Match]:
        """Stored items whose estimated similarity reaches the threshold, most similar first."""
        sig = self._as_signature(text_or_signature)
        if is_empty(sig):
            return []
        rows = self._candidate_rows(band_keys(sig))
        if not len(rows):
            return []
        similarity = np.count_nonzero(self._sig[rows] == sig[None, :], axis=1) / NUM_PERM
        keep = similarity >= (self.threshold if threshold is None else threshold)
        rows, similarity = rows[keep], similarity[keep]
        order = np.argsort(-similarity, kind="stable")[:limit]
        return [Match(self._ids[r], float(similarity[i])) for i, r in zip(order, rows[order], strict=True)]

    # -- internals

    def _as_signature(self, value: str | np.ndarray) -> np.ndarray:
        if isinstance(value, str):
            return minhash(value)
        sig = np.asarray(value, dtype=np.uint32)
        if sig.shape != (NUM_PERM,):
            raise ValueError(f"a signature has {NUM_PERM} slots")
        return sig

    def _new_rows(self, *, item_ids: list[Hashable], signatures: np.ndarray) -> list[int]:
        start = len(self._ids)
        needed = start + len(item_ids)
        if needed > len(self._sig):
            capacity = max(needed, 2 * len(self._sig))
            self._sig = np.resize(self._sig, (capacity, NUM_PERM))
            alive = np.zeros(capacity, dtype=bool)
            alive[:start] = self._alive[:start]
            self._alive = alive
        for item in item_ids:
            self.remove(item)  # adding an id again replaces its text
        self._sig[start:needed] = signatures
        self._alive[start:needed] = True
        self._ids.extend(item_ids)
        rows = list(range(start, needed))
        self._row_of.update(zip(item_ids, rows, strict=True))
        return rows

    def _merge(self, keys: np.ndarray, rows: np.ndarray) -> None:
        if not len(keys):
            return
        all_keys = np.concatenate([self._keys, keys])
        all_rows = np.concatenate([self._rows, rows.astype(np.int32)])
        order = np.argsort(all_keys, kind="stable")
        self._keys, self._rows = all_keys[order], all_rows[order]

    def _candidate_rows(self, keys: np.ndarray) -> np.ndarray:
        left = np.searchsorted(self._keys, keys, side="left")
        right = np.searchsorted(self._keys, keys, side="right")
        parts = []
        for key, lo, hi in zip(keys.tolist(), left.tolist(), right.tolist(), strict=True):
            pending = self._pending.get(key, ())
            if 0 < hi - lo + len(pending) <= self.max_bucket:
                parts.append(self._rows[lo:hi])
                if pending:
                    parts.append(np.asarray(pending, dtype=np.int32))
        if not parts:
            return np.empty(0, dtype=np.int32)
        rows = np.unique(np.concatenate(parts))
        return rows[self._alive[rows]]
