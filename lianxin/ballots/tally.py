"""Counting a secret ballot: pure Python, no Django, so it can be checked as truth tables.

Approval voting for `seats` (N) places: each ballot approves at most N options (more makes
the ballot invalid: cast, but not counted). With separate marks a ballot also says
"against" or "abstain" per option; an option left unmarked counts as an abstention.
An option is adopted when its votes for are more than half of the basis (all electors,
or those present) and it ranks within N. Ties across the N-th place and shortfalls
(fewer than N options reach the threshold) are reported, never resolved here.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import ceil

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
MARKS = (FOR, AGAINST, ABSTAIN)
BASIS_ALL, BASIS_PRESENT = "all", "present"


def required_candidates(seats: int, ratio: Decimal | Fraction | int | str) -> int:
    """The fewest options a list of `seats` places may go to ballot with: ceil(N × (1 + ratio)),
    in exact arithmetic (5 → 6, 7 → 9, 10 → 12 at 20%)."""
    return ceil(Fraction(seats) * (1 + Fraction(str(ratio))))


@dataclass(frozen=True)
class TallyRules:
    seats: int
    min_ratio: Decimal
    threshold_basis: str  # BASIS_ALL or BASIS_PRESENT
    separate_marks: bool


@dataclass(frozen=True)
class OptionCount:
    ref: str
    votes_for: int
    against: int
    abstain: int
    reaches_threshold: bool
    adopted: bool
    tied: bool  # tied across the N-th place: not adopted, left to the congress


@dataclass(frozen=True)
class TallyResult:
    electors: int
    present: int
    cast: int
    valid: int
    invalid: int
    basis: int  # the number the threshold is half of
    threshold: int  # the fewest votes for that adopt (more than half of the basis)
    options: tuple[OptionCount, ...]  # in the order given
    adopted: tuple[str, ...]  # by votes for, descending
    tied: tuple[str, ...]
    tied_seats: int  # places the tied options compete for
    shortfall: int  # places left empty because too few options reached the threshold

    @property
    def has_tie(self) -> bool:
        return bool(self.tied)


def threshold_for(basis: int) -> int:
    """More than half: 10 → 6, 9 → 5, 0 → 1."""
    return basis // 2 + 1


def is_valid(rules: TallyRules, marks: Mapping[str, str]) -> bool:
    return sum(1 for mark in marks.values() if mark == FOR) <= rules.seats


def tally(
    rules: TallyRules, options: Sequence[str], ballots: Iterable[Mapping[str, str]], *, electors: int, present: int
) -> TallyResult:
    counts = {ref: [0, 0, 0] for ref in options}
    cast = invalid = 0
    for marks in ballots:
        cast += 1
        if not is_valid(rules, marks):
            invalid += 1
            continue
        for ref in options:
            mark = marks.get(ref, "")
            if mark == FOR:
                counts[ref][0] += 1
            elif rules.separate_marks:
                counts[ref][1 if mark == AGAINST else 2] += 1
    basis = electors if rules.threshold_basis == BASIS_ALL else present
    threshold = threshold_for(basis)
    return _decide(rules, options, counts, electors, present, cast, invalid, basis, threshold)


def _decide(rules, options, counts, electors, present, cast, invalid, basis, threshold) -> TallyResult:
    passing = sorted((ref for ref in options if counts[ref][0] >= threshold), key=lambda r: -counts[r][0])
    adopted, tied, tied_seats = _within_seats(passing, counts, rules.seats)
    shortfall = max(0, rules.seats - len(passing))
    rows = tuple(
        OptionCount(
            ref=ref,
            votes_for=counts[ref][0],
            against=counts[ref][1],
            abstain=counts[ref][2],
            reaches_threshold=counts[ref][0] >= threshold,
            adopted=ref in adopted,
            tied=ref in tied,
        )
        for ref in options
    )
    return TallyResult(
        electors=electors,
        present=present,
        cast=cast,
        valid=cast - invalid,
        invalid=invalid,
        basis=basis,
        threshold=threshold,
        options=rows,
        adopted=tuple(adopted),
        tied=tuple(tied),
        tied_seats=tied_seats,
        shortfall=shortfall,
    )


def _within_seats(passing: list[str], counts: dict, seats: int) -> tuple[list[str], list[str], int]:
    """Adopt the best `seats` of the passing options; a tie across the last place adopts none
    of the tied ones and reports them with the number of places they compete for."""
    if len(passing) <= seats:
        return passing, [], 0
    last = counts[passing[seats - 1]][0]
    above = [ref for ref in passing if counts[ref][0] > last]
    at_last = [ref for ref in passing if counts[ref][0] == last]
    if len(above) + len(at_last) <= seats:  # cannot happen when len(passing) > seats, kept for clarity
        return above + at_last, [], 0
    return above, at_last, seats - len(above)
