"""Hot issues (热点问题): grouping, ranking, naming and jump detection. Plain Python; no Django.

- **Groups** are the connected parts of a graph whose edges are merges (a duplicate and its
  original) and, for each opinion, its most similar likely duplicate not dismissed, if their
  similarity reaches GROUP_MIN_SIMILARITY; a case alone is not a hot issue. Only the best link
  and a higher bar than the duplicate check's: opinions sharing boilerplate ("XX社区N幢…恳请相关
  部门帮忙解决") would otherwise chain unrelated problems into one group.
- **Score** = (residents + URGE_WEIGHT × deputies' urgings + VOTE_WEIGHT × votes)
  × 0.5^(days since the group's latest opinion / HALF_LIFE_DAYS). Residents are distinct
  phone numbers, plus one for each opinion without a phone (anonymous opinions cannot be told
  apart). The platform has no "me too" votes yet: `votes` stays 0 until it does.
- **Name**: the TF-IDF top terms of the group's texts against the corpus of the page (terms
  found in more of the group's opinions, and rarer elsewhere, come first).
- **Jump**: a count in the latest week is compared with the mean of the previous weeks as a
  Poisson rate; it is flagged when at least MIN_JUMP_COUNT and P(X ≥ count) < JUMP_ALPHA.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

GROUP_MIN_SIMILARITY = 0.3
HALF_LIFE_DAYS = 7.0
URGE_WEIGHT = 2.0
VOTE_WEIGHT = 0.2
NAME_TERMS = 3
BASELINE_WEEKS = 8
MIN_JUMP_COUNT = 3
JUMP_ALPHA = 0.01
# A week with no opinion at all still has some chance of one: never divide by a zero rate.
MIN_RATE = 0.25


@dataclass(frozen=True)
class Member:
    """One opinion of a group, as the ranking needs it."""

    case_id: int
    created_at: datetime
    resident: str = ""  # a stable key for the resident (a phone number), "" when unknown
    urges: int = 0
    votes: int = 0
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Jump:
    latest: int
    baseline: float  # mean count per earlier week
    p_value: float
    flagged: bool


@dataclass
class RankedGroup:
    members: list[Member]
    residents: int
    urges: int
    votes: int
    latest: datetime
    score: float
    name: list[str] = field(default_factory=list)
    jump: Jump | None = None


# --- groups ---------------------------------------------------------------------------------


def connected_groups(edges: Iterable[tuple[int, int]]) -> list[set[int]]:
    """The connected parts (two or more nodes) of an undirected graph, largest first."""
    parent: dict[int, int] = {}

    def find(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, set[int]] = {}
    for node in parent:
        groups.setdefault(find(node), set()).add(node)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), min(g)))


def best_links(
    candidates: Iterable[tuple[int, int, float]], *, min_similarity: float = GROUP_MIN_SIMILARITY
) -> list[tuple[int, int]]:
    """From (case, earlier case, similarity) triples, each case's most similar earlier case
    (ties: the earliest id) if the similarity reaches `min_similarity`."""
    best: dict[int, tuple[float, int]] = {}
    for case, other, similarity in candidates:
        if similarity >= min_similarity and (
            case not in best or (-similarity, other) < (-best[case][0], best[case][1])
        ):
            best[case] = (similarity, other)
    return sorted((case, other) for case, (_similarity, other) in best.items())


def count_residents(members: Sequence[Member]) -> int:
    known = {m.resident for m in members if m.resident}
    return len(known) + sum(1 for m in members if not m.resident)


def decay(age: timedelta, half_life_days: float = HALF_LIFE_DAYS) -> float:
    days = max(age.total_seconds(), 0.0) / 86400
    return 0.5 ** (days / half_life_days)


def rank(groups: Iterable[Sequence[Member]], *, now: datetime) -> list[RankedGroup]:
    """Groups scored and sorted, best first (ties: more residents, then the most recent)."""
    ranked = []
    for members in groups:
        residents = count_residents(members)
        urges, votes = sum(m.urges for m in members), sum(m.votes for m in members)
        latest = max(m.created_at for m in members)
        weight = residents + URGE_WEIGHT * urges + VOTE_WEIGHT * votes
        ranked.append(
            RankedGroup(
                members=sorted(members, key=lambda m: (m.created_at, m.case_id)),
                residents=residents,
                urges=urges,
                votes=votes,
                latest=latest,
                score=weight * decay(now - latest),
            )
        )
    return sorted(ranked, key=lambda g: (-g.score, -g.residents, -g.latest.timestamp()))


# --- names ----------------------------------------------------------------------------------


# The words of asking, not of the matter asked about: every kind of opinion uses them.
_GENERIC = """
希望 尽快 恳请 请求 麻烦 帮忙 解决 处理 相关 部门 相关部门 有关部门 有关 反映 问题 谢谢 一下 能否 能不能
重视 答复 情况 现在 已经 非常 严重 影响 我们 大家 居民 群众 领导 代表 政府 这个 那个 没有 还是 就是
一直 经常 好几 多次 怎么 为什么 什么 可以 是否 应该 这样 目前 时候 派人 看看 盼早日
"""
GENERIC_TERMS = frozenset(_GENERIC.split())
# A numeral with or without its measure word (三个, 两趟, 十几): how much, not what.
_COUNTING = re.compile(r"^[一二三四五六七八九十两几半百千万多]+[个天月年次趟家户名位条盏间周]?$")


def usable_term(term: str) -> bool:
    """A term worth showing: two characters or more, not a number, a count, a masked place
    (A3区) or a word of asking (GENERIC_TERMS)."""
    if len(term) < 2 or term in GENERIC_TERMS or any(c.isascii() and c.isalnum() for c in term):
        return False
    return not _COUNTING.match(term)


def document_frequencies(documents: Iterable[Iterable[str]]) -> Counter[str]:
    df: Counter[str] = Counter()
    for terms in documents:
        df.update({t for t in terms if usable_term(t)})
    return df


def key_terms(
    group: Sequence[Sequence[str]], df: Mapping[str, int], n_documents: int, k: int = NAME_TERMS
) -> list[str]:
    """The k terms with the highest TF-IDF: share of the group's texts containing the term ×
    smoothed inverse document frequency in the corpus."""
    if not group:
        return []
    in_group = document_frequencies(group)
    scores = {
        term: (count / len(group)) * (math.log((1 + n_documents) / (1 + df.get(term, 0))) + 1)
        for term, count in in_group.items()
    }
    return [t for t, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]]


# --- jumps ----------------------------------------------------------------------------------


def weekly_counts(times: Iterable[datetime], *, end: datetime, weeks: int = BASELINE_WEEKS + 1) -> list[int]:
    """Counts per week, oldest first; the last week is (end − 7 days, end]."""
    counts = [0] * weeks
    for moment in times:
        back = (end - moment).total_seconds()
        if back < 0:
            continue
        index = weeks - 1 - int(back // (7 * 86400))
        if index >= 0:
            counts[index] += 1
    return counts


def poisson_tail(k: int, rate: float) -> float:
    """P(X ≥ k) for X ~ Poisson(rate)."""
    if k <= 0:
        return 1.0
    term = math.exp(-rate)
    below = term
    for i in range(1, k):
        term *= rate / i
        below += term
    return max(0.0, 1.0 - below)


def jump(counts: Sequence[int], *, min_count: int = MIN_JUMP_COUNT, alpha: float = JUMP_ALPHA) -> Jump:
    """Is the last count a jump above the earlier ones?"""
    latest, earlier = counts[-1], counts[:-1]
    baseline = sum(earlier) / len(earlier) if earlier else 0.0
    p_value = poisson_tail(latest, max(baseline, MIN_RATE))
    return Jump(latest, baseline, p_value, latest >= min_count and p_value < alpha)


def rising_terms(
    documents: Iterable[tuple[datetime, Iterable[str]]], *, end: datetime, limit: int = 10
) -> list[tuple[str, Jump]]:
    """Terms whose weekly number of opinions jumps in the latest week, strongest first."""
    times: dict[str, list[datetime]] = {}
    for moment, terms in documents:
        for term in {t for t in terms if usable_term(t)}:
            times.setdefault(term, []).append(moment)
    flagged = []
    for term, moments in times.items():
        result = jump(weekly_counts(moments, end=end))
        if result.flagged:
            flagged.append((term, result))
    flagged.sort(key=lambda item: (item[1].p_value, -item[1].latest, item[0]))
    return flagged[:limit]
