"""lianxin.triage.hot: grouping, ranking, naming and jump detection, on data made here."""

import math
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from lianxin.triage import hot

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def member(case_id: int, *, days_ago: float = 0, resident: str = "", urges: int = 0, votes: int = 0, terms=()):
    return hot.Member(case_id, NOW - timedelta(days=days_ago), resident, urges, votes, tuple(terms))


# --- groups -------------------------------------------------------------------------------


def test_connected_groups_join_chains_and_leave_singletons_out():
    groups = hot.connected_groups([(2, 1), (3, 2), (5, 4), (6, 6)])
    assert groups == [{1, 2, 3}, {4, 5}]


def test_best_links_keep_each_cases_most_similar_earlier_case_above_the_bar():
    triples = [(3, 1, 0.35), (3, 2, 0.6), (4, 1, 0.25), (5, 2, 0.5), (5, 1, 0.5)]
    assert hot.best_links(triples, min_similarity=0.3) == [(3, 2), (5, 1)]  # ties: the earliest


def test_residents_are_distinct_phones_and_each_anonymous_opinion():
    members = [member(1, resident="138"), member(2, resident="138"), member(3), member(4)]
    assert hot.count_residents(members) == 3


# --- ranking ------------------------------------------------------------------------------


def test_score_counts_residents_urgings_and_votes_halved_every_half_life():
    group = [member(1, days_ago=7, resident="a", urges=1, votes=5), member(2, days_ago=7, resident="b")]
    (ranked,) = hot.rank([group], now=NOW)
    weight = 2 + hot.URGE_WEIGHT * 1 + hot.VOTE_WEIGHT * 5
    assert ranked.score == pytest.approx(weight * 0.5 ** (7 / hot.HALF_LIFE_DAYS))
    assert (ranked.residents, ranked.urges, ranked.votes, ranked.latest) == (2, 1, 5, NOW - timedelta(days=7))


def test_more_residents_rank_first_and_recency_breaks_even_groups():
    small = [member(1, resident="a"), member(2, resident="b")]
    big = [member(3, resident="c"), member(4, resident="d"), member(5, resident="e")]
    old_big = [member(6, days_ago=30, resident=str(i)) for i in range(4)]
    ranked = hot.rank([small, old_big, big], now=NOW)
    assert [g.members[0].case_id for g in ranked] == [3, 1, 6]


def test_urging_by_deputies_lifts_a_group():
    quiet = [member(1, resident="a"), member(2, resident="b"), member(3, resident="c")]
    urged = [member(4, resident="d", urges=1), member(5, resident="e")]
    assert [g.members[0].case_id for g in hot.rank([quiet, urged], now=NOW)] == [4, 1]


def test_a_future_opinion_is_not_boosted():
    assert hot.decay(timedelta(days=-3)) == 1.0


# --- names ----------------------------------------------------------------------------------


def test_key_terms_favour_words_of_the_group_rare_elsewhere():
    group = [("路灯", "不亮", "晚上"), ("路灯", "坏", "晚上"), ("路灯", "不亮")]
    corpus = [*group, ("晚上", "噪音"), ("晚上", "装修"), ("垃圾", "清运")]
    df = hot.document_frequencies(corpus)
    assert hot.key_terms(group, df, len(corpus), k=2) == ["路灯", "不亮"]


def test_numbers_counts_masked_places_and_asking_words_never_name_an_issue():
    for term in ("2024", "A3区", "三个", "两趟", "希望", "尽快", "有关部门", "灯"):
        assert not hot.usable_term(term), term
    assert hot.usable_term("路灯") and hot.usable_term("电梯")


def test_an_empty_group_has_no_name():
    assert hot.key_terms([], Counter(), 0) == []


# --- jumps ----------------------------------------------------------------------------------


def test_weekly_counts_put_each_moment_in_its_week_and_ignore_the_future():
    times = [NOW - timedelta(days=1), NOW - timedelta(days=8), NOW - timedelta(days=100), NOW + timedelta(days=1)]
    counts = hot.weekly_counts(times, end=NOW, weeks=3)
    assert counts == [0, 1, 1]


def test_poisson_tail_matches_the_closed_form():
    assert hot.poisson_tail(0, 2.0) == 1.0
    assert hot.poisson_tail(1, 2.0) == pytest.approx(1 - math.exp(-2))


def test_a_count_far_above_its_baseline_is_a_jump_and_a_usual_one_is_not():
    assert hot.jump([1, 0, 1, 0, 1, 0, 1, 0, 6]).flagged
    usual = hot.jump([4, 5, 3, 4, 6, 5, 4, 5, 6])
    assert not usual.flagged and usual.baseline == pytest.approx(4.5)


def test_too_few_opinions_are_never_a_jump_even_from_nothing():
    assert not hot.jump([0] * 8 + [2]).flagged
    assert hot.jump([0] * 8 + [hot.MIN_JUMP_COUNT]).flagged


def test_rising_terms_lists_the_words_that_jump_this_week():
    docs = [(NOW - timedelta(days=1, hours=i), ("电梯", "故障")) for i in range(5)]
    # 故障 is in 5 opinions this week too, but in 2 a week before: usual for it.
    docs += [(NOW - timedelta(days=7 * w + d), ("路灯", "故障")) for w in range(1, 9) for d in (2, 3)]
    docs += [(NOW - timedelta(days=2), ("路灯",))]
    rising = hot.rising_terms(docs, end=NOW)
    assert [term for term, _jump in rising] == ["电梯"]
    assert rising[0][1].latest == 5
