"""Reads of the hotspots app: the database side of duplicate detection, the likely duplicates a
user may act on, and the hot issues of the places a user may look at (scoped like the cockpit)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, QuerySet
from django.http import Http404

from lianxin.cases.models import Case, CaseEvent
from lianxin.cases.selectors import case_actions_for_user, case_list_for_user
from lianxin.cases.workflow import Action
from lianxin.cockpit.selectors import cockpit_roots, cockpit_scope, day_start
from lianxin.core.codes import format_tracking_code
from lianxin.places.models import Place, PlaceKind
from lianxin.triage import dedup, hot
from lianxin.triage.text import tokens

from .models import CandidateStatus, DuplicateCandidate, SignatureBand

# Band matches checked exactly for one new case (the most shared keys first).
CANDIDATE_POOL = 50
PREVIEW = 80
MEMBERS_SHOWN = 8
HOT_ISSUES_SHOWN = 30


# --- where a case's duplicates are looked for ---------------------------------------------------


def area_of(place: Place) -> Place:
    """The town containing `place` (a town itself, a community, a grid); above town level, the
    place itself. Duplicates are looked for inside one area."""
    if place.kind in (PlaceKind.TOWN, PlaceKind.DISTRICT):
        return place
    parts = place.path.strip("/").split("/")
    ancestors = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts) - 1)]
    return Place.objects.filter(path__in=ancestors, kind=PlaceKind.TOWN).first() or place


@dataclass(frozen=True)
class Likely:
    case_id: int
    similarity: float


def likely_duplicates(
    *, case: Case, keys: list[int], area: Place, since: datetime, threshold: float, limit: int
) -> list[Likely]:
    """Earlier cases of `area` received since `since` that share a band key with `case` and whose
    exact 3-gram similarity with it reaches `threshold`, most similar first."""
    shared = (
        SignatureBand.objects.filter(area=area, key__in=keys, created_at__gte=since, created_at__lte=case.created_at)
        .exclude(case_id=case.pk)
        .values("case_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "-case_id")[:CANDIDATE_POOL]
    )
    ids = [row["case_id"] for row in shared]
    texts = Case.objects.filter(pk__in=ids).exclude(duplicate_of=case)
    if case.duplicate_of_id:  # already merged (a case signed late): its group is no news
        texts = texts.exclude(pk=case.duplicate_of_id).exclude(duplicate_of=case.duplicate_of_id)
    texts = texts.values_list("pk", "text")
    scored = [Likely(pk, round(dedup.jaccard(case.text, text), 4)) for pk, text in texts]
    scored = [m for m in scored if m.similarity >= threshold]
    return sorted(scored, key=lambda m: (-m.similarity, -m.case_id))[:limit]


# --- the case page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateRow:
    candidate: DuplicateCandidate
    matched: Case  # the earlier case found similar
    group_original: Case | None  # its original, when the matched case is itself a merged duplicate
    percent: int
    preview: str


def candidates_for_case(user, case: Case) -> list[CandidateRow]:
    """Open likely duplicates of `case` whose earlier case the user may see, offered only while
    the user may still link this case (an office role, before assignment)."""
    if Action.LINK_DUPLICATE not in case_actions_for_user(user, case):
        return []
    visible = case_list_for_user(user)
    found = DuplicateCandidate.objects.filter(case=case, status=CandidateStatus.OPEN, original__in=visible)
    rows = []
    for candidate in found.select_related("original__duplicate_of"):
        matched = candidate.original
        text = matched.text
        rows.append(
            CandidateRow(
                candidate=candidate,
                matched=matched,
                group_original=matched.duplicate_of,
                percent=round(candidate.similarity * 100),
                preview=text if len(text) <= PREVIEW else text[:PREVIEW] + "…",
            )
        )
    return rows


def best_candidates(user, case_ids: list[int]) -> dict[int, tuple[DuplicateCandidate, int]]:
    """For a page of the triage queue: each case's most similar open likely duplicate whose
    earlier case the user may see, and how many such likely duplicates it has. One query."""
    if not case_ids:
        return {}
    found = DuplicateCandidate.objects.filter(
        case_id__in=case_ids, status=CandidateStatus.OPEN, original__in=case_list_for_user(user).values("pk")
    ).select_related("original__duplicate_of")
    best: dict[int, tuple[DuplicateCandidate, int]] = {}
    for candidate in found.order_by("case_id", "-similarity", "pk"):
        first, count = best.get(candidate.case_id, (candidate, 0))
        best[candidate.case_id] = (first, count + 1)
    return best


def candidate_get_for_user(user, pk: int) -> DuplicateCandidate:
    """A likely duplicate whose two cases the user may both see; otherwise 404."""
    visible = case_list_for_user(user)
    candidate = (
        DuplicateCandidate.objects.filter(pk=pk, case__in=visible, original__in=visible)
        .select_related("case__place", "original__place")
        .first()
    )
    if candidate is None:
        raise Http404
    return candidate


# --- hot issues -----------------------------------------------------------------------------------


def hot_roots(user) -> list[Place]:
    """The places whose hot issues a user may look at: the cockpit's (none for departments)."""
    return cockpit_roots(user)


@dataclass(frozen=True)
class HotMember:
    case_id: int
    code: str
    created_at: datetime
    in_period: bool


@dataclass(frozen=True)
class HotIssue:
    name: list[str]
    residents: int
    opinions: int
    urges: int
    latest: datetime
    score: float
    jump: hot.Jump
    original: HotMember
    preview: str
    merged: int  # members merged into the original (the rest are likely duplicates not yet merged)
    members: list[HotMember]
    more: int  # members not listed


@dataclass(frozen=True)
class HotPage:
    place: Place | None
    date_from: date
    date_to: date
    issues: list[HotIssue]
    rising: list[tuple[str, hot.Jump]]
    week_from: datetime
    week_to: datetime


_FIELDS = ("pk", "tracking_code", "created_at", "duplicate_of_id", "contact_phone", "text", "signature__terms")


def hot_issues(user, *, place: Place | None, date_from: date, date_to: date, now: datetime) -> HotPage:
    """Groups of opinions received in the period (with their originals, even if older), ranked;
    and the words whose weekly count jumps in the period's last week. A fixed number of queries."""
    _roots, scoped = cockpit_scope(user, place)
    end = day_start(date_to + timedelta(days=1))
    period = scoped.filter(created_at__gte=day_start(date_from), created_at__lt=end)
    rows = {row["pk"]: row for row in period.values(*_FIELDS)}
    corpus = [_terms(row) for row in rows.values()]  # the period's opinions: the IDF of the names
    edges = _edges(rows, period)
    missing = {n for edge in edges for n in edge} - rows.keys()
    if missing:  # originals received before the period (or merged from another of the user's places)
        rows.update({row["pk"]: row for row in scoped.filter(pk__in=missing).values(*_FIELDS)})
    groups = hot.connected_groups((a, b) for a, b in edges if a in rows and b in rows)
    urged = _urges({n for g in groups for n in g})
    members = [[_member(rows[n], urged.get(n, 0)) for n in g] for g in groups]
    ranked = hot.rank(members, now=now)[:HOT_ISSUES_SHOWN]
    df = hot.document_frequencies(corpus)
    issues = [_issue(g, rows, df, len(corpus), date_from, end) for g in ranked]
    week = (end - timedelta(days=7), end)
    return HotPage(place, date_from, date_to, issues, _rising(scoped, end), *week)


def _edges(rows: dict, period: QuerySet[Case]) -> list[tuple[int, int]]:
    """Merges, and each opinion's most similar likely duplicate if similar enough (hot.best_links)."""
    merged = [(pk, row["duplicate_of_id"]) for pk, row in rows.items() if row["duplicate_of_id"]]
    likely = DuplicateCandidate.objects.filter(case__in=period.values("pk")).exclude(status=CandidateStatus.DISMISSED)
    return merged + hot.best_links(likely.values_list("case_id", "original_id", "similarity"))


def _urges(case_ids: set[int]) -> dict[int, int]:
    if not case_ids:
        return {}
    rows = CaseEvent.objects.filter(case_id__in=sorted(case_ids), action=Action.URGE).values("case_id")
    return {row["case_id"]: row["n"] for row in rows.annotate(n=Count("id"))}


def _terms(row: dict) -> tuple[str, ...]:
    stored = row.get("signature__terms")
    return tuple(stored.split()) if stored is not None else tuple(tokens(row["text"]))


def _member(row: dict, urges: int) -> hot.Member:
    return hot.Member(row["pk"], row["created_at"], row["contact_phone"] or "", urges, 0, _terms(row))


def _issue(group: hot.RankedGroup, rows: dict, df: Counter, n_docs: int, date_from: date, end: datetime) -> HotIssue:
    group_rows = [rows[m.case_id] for m in group.members]
    # The original the members were merged into, if the group holds it: narrowed to a place,
    # an original recorded outside it (higher up, or next door) is not part of the group.
    ids = {m.case_id for m in group.members}
    targets = Counter(r["duplicate_of_id"] for r in group_rows if r["duplicate_of_id"] in ids)
    original_id = targets.most_common(1)[0][0] if targets else group.members[0].case_id
    shown = [_hot_member(rows[m.case_id], date_from, end) for m in group.members]
    text = rows[original_id]["text"]
    return HotIssue(
        name=hot.key_terms([m.terms for m in group.members], df, n_docs),
        residents=group.residents,
        opinions=len(group.members),
        urges=group.urges,
        latest=group.latest,
        score=group.score,
        jump=hot.jump(hot.weekly_counts((m.created_at for m in group.members), end=end)),
        original=_hot_member(rows[original_id], date_from, end),
        preview=text if len(text) <= PREVIEW else text[:PREVIEW] + "…",
        merged=sum(1 for r in group_rows if r["duplicate_of_id"] == original_id),
        members=shown[:MEMBERS_SHOWN],
        more=max(0, len(shown) - MEMBERS_SHOWN),
    )


def _hot_member(row: dict, date_from: date, end: datetime) -> HotMember:
    in_period = day_start(date_from) <= row["created_at"] < end
    return HotMember(row["pk"], format_tracking_code(row["tracking_code"]), row["created_at"], in_period)


def _rising(scoped: QuerySet[Case], end: datetime) -> list[tuple[str, hot.Jump]]:
    start = end - timedelta(weeks=hot.BASELINE_WEEKS + 1)
    rows = scoped.filter(created_at__gte=start, created_at__lt=end).values("created_at", "text", "signature__terms")
    return hot.rising_terms(((row["created_at"], _terms(row)) for row in rows), end=end)
