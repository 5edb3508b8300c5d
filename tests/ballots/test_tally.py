"""The count as truth tables: thresholds, ties, shortfalls, invalid ballots, the 20% rule."""

from decimal import Decimal
from fractions import Fraction

import pytest

from lianxin.ballots.tally import TallyRules, required_candidates, tally, threshold_for

F, A, B = "for", "against", "abstain"


def _rules(seats=2, basis="all", separate=False):
    return TallyRules(seats=seats, min_ratio=Decimal("0.20"), threshold_basis=basis, separate_marks=separate)


def _ballots(spec: dict[str, int], *rest):
    """{"ab": 3} → three ballots approving a and b."""
    out = []
    for letters, count in spec.items():
        out += [dict.fromkeys(letters, F)] * count
    return out + list(rest)


@pytest.mark.parametrize(
    ("seats", "ratio", "needed"),
    [
        (5, "0.20", 6),
        (7, "0.20", 9),  # 8.4 → 9
        (10, "0.20", 12),
        (1, "0.20", 2),
        (5, "0.00", 5),
        (3, "0.33", 4),  # 3.99 → 4
        (3, "0.34", 5),  # 4.02 → 5
        (15, "0.20", 18),
        (6, "0.50", 9),
    ],
)
def test_required_candidates_is_exact_at_the_edges(seats, ratio, needed):
    assert required_candidates(seats, Decimal(ratio)) == needed
    assert required_candidates(seats, Fraction(ratio)) == needed


def test_float_ratios_do_not_round_up_an_exact_product():
    # 10 × 1.2 is 12.000000000000002 in floating point; the rule must say 12.
    assert required_candidates(10, 0.2) == 12


@pytest.mark.parametrize(("basis", "threshold"), [(10, 6), (9, 5), (1, 1), (0, 1), (51, 26)])
def test_threshold_is_more_than_half(basis, threshold):
    assert threshold_for(basis) == threshold


def test_threshold_just_missed_is_not_adopted():
    # 10 electors: 6 needed. a gets 6, b gets 5 (exactly half).
    result = tally(_rules(seats=2), "abc", _ballots({"ab": 5, "a": 1}), electors=10, present=10)
    assert result.adopted == ("a",)
    assert result.shortfall == 1
    by = {o.ref: o for o in result.options}
    assert by["b"].votes_for == 5 and not by["b"].reaches_threshold


def test_ranking_adopts_the_best_n_of_those_passing():
    result = tally(_rules(seats=2), "abcd", _ballots({"ab": 4, "ac": 3, "bc": 2}), electors=9, present=9)
    # a 7, b 6, c 5 → threshold 5: all pass; best two a, b.
    assert result.adopted == ("a", "b") and not result.tied and result.shortfall == 0


def test_tie_at_the_last_place_is_reported_not_broken():
    result = tally(_rules(seats=2), "abcd", _ballots({"ab": 3, "ac": 3}), electors=6, present=6)
    # a 6, b 3, c 3: threshold 4 → only a passes: shortfall 1, no tie.
    assert result.adopted == ("a",) and result.shortfall == 1 and not result.tied
    result = tally(_rules(seats=2), "abcd", _ballots({"ab": 4, "ac": 4}), electors=8, present=8)
    # a 8, b 4, c 4: threshold 5 → only a.
    assert result.adopted == ("a",)
    result = tally(_rules(seats=2), "abcd", _ballots({"ab": 2, "ac": 2, "bc": 2, "a": 1}), electors=7, present=7)
    # a 5, b 4, c 4, threshold 4: b and c tie for the second place.
    assert result.adopted == ("a",)
    assert set(result.tied) == {"b", "c"} and result.tied_seats == 1 and result.shortfall == 0
    assert all(not o.adopted for o in result.options if o.ref in "bc")


def test_tie_for_all_places_adopts_none():
    result = tally(_rules(seats=2), "abc", _ballots({"ab": 2, "bc": 2, "ac": 2}), electors=6, present=6)
    assert result.adopted == () and set(result.tied) == {"a", "b", "c"} and result.tied_seats == 2


def test_tie_that_fits_within_the_places_adopts_all_tied():
    result = tally(_rules(seats=3), "abcd", _ballots({"abc": 4}), electors=5, present=5)
    assert set(result.adopted) == {"a", "b", "c"} and not result.tied


def test_shortfall_when_nothing_passes():
    result = tally(_rules(seats=3), "abcd", _ballots({"a": 2, "b": 2}), electors=10, present=10)
    assert result.adopted == () and result.shortfall == 3


def test_invalid_ballots_are_cast_but_not_counted():
    result = tally(_rules(seats=2), "abc", _ballots({"abc": 2, "ab": 3}), electors=5, present=5)
    assert (result.cast, result.valid, result.invalid) == (5, 3, 2)
    assert {o.ref: o.votes_for for o in result.options} == {"a": 3, "b": 3, "c": 0}
    assert result.adopted == ("a", "b")


def test_blank_ballot_is_valid():
    result = tally(_rules(seats=2), "abc", [{}], electors=3, present=3)
    assert (result.cast, result.valid, result.invalid) == (1, 1, 0)


def test_basis_all_versus_present():
    ballots = _ballots({"a": 4})
    all_basis = tally(_rules(seats=1, basis="all"), "ab", ballots, electors=10, present=6)
    present_basis = tally(_rules(seats=1, basis="present"), "ab", ballots, electors=10, present=6)
    assert (all_basis.basis, all_basis.threshold, all_basis.adopted) == (10, 6, ())
    assert (present_basis.basis, present_basis.threshold, present_basis.adopted) == (6, 4, ("a",))


def test_separate_marks_count_against_and_abstain_and_unmarked_as_abstain():
    ballots = [{"a": F, "b": A}, {"a": A, "b": B}, {"a": F}]
    result = tally(_rules(seats=1, separate=True), "ab", ballots, electors=3, present=3)
    by = {o.ref: (o.votes_for, o.against, o.abstain) for o in result.options}
    assert by == {"a": (2, 1, 0), "b": (0, 1, 2)}
    assert result.adopted == ("a",)


def test_without_separate_marks_against_and_abstain_are_not_counted():
    result = tally(_rules(seats=1), "ab", [{"a": F}], electors=1, present=1)
    assert {(o.against, o.abstain) for o in result.options} == {(0, 0)}


def test_options_keep_their_order_and_adopted_are_by_votes():
    result = tally(_rules(seats=2), "abc", _ballots({"c": 3, "bc": 2}), electors=5, present=5)
    assert [o.ref for o in result.options] == ["a", "b", "c"]
    assert result.adopted == ("c",)  # b has 2 of 5: not more than half
