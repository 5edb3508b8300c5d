"""A ballot's marks as a fixed-width string: one character per option, in option order.

Every slot of a ballot holds a string of the same length whether it is empty or filled,
so rewriting the slots after a cast never changes any row's size, and the physical layout
of the slot table (PostgreSQL ctid, pages) does not depend on which slot was filled.
"""

from collections.abc import Mapping, Sequence

from .tally import ABSTAIN, AGAINST, FOR

_CHAR = {FOR: "F", AGAINST: "A", ABSTAIN: "B", "": "-"}
_MARK = {char: mark for mark, char in _CHAR.items()}
EMPTY = "."  # an unused slot: "." × number of options


def empty(option_count: int) -> str:
    return EMPTY * option_count


def encode(refs: Sequence[str], marks: Mapping[str, str]) -> str:
    return "".join(_CHAR[marks.get(ref, "")] for ref in refs)


def decode(refs: Sequence[str], text: str) -> dict[str, str]:
    return {ref: _MARK[char] for ref, char in zip(refs, text, strict=True) if _MARK[char]}
