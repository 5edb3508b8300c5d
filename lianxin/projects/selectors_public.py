"""Reads for residents' pages without login: a proposal found by its follow-up code, and where
it stands in the round, in the resident's terms. Whoever holds the code sees the public part
(never the contact name or phone)."""

from dataclasses import dataclass

from django.http import Http404

from lianxin.core.codes import normalize_code

from .models import Candidate, CandidateStatus, Proposal
from .workflow import Status

# Round states in which proposals are still being received or sorted into candidates.
SORTING_STATES = frozenset({Status.DRAFT, Status.SOLICITING, Status.SHORTLISTING})


def proposal_by_tracking_code(code: str) -> Proposal:
    """The proposal with that code, typed with or without dash, in any case; else 404."""
    normalized = normalize_code(code)
    found = (
        Proposal.objects.filter(tracking_code=normalized).select_related("round__place", "candidate").first()
        if normalized
        else None
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Standing:
    """Where a proposal stands: `key` picks the sentence on the page."""

    key: str  # sorting | not_shortlisted | candidate | balloting | adopted | not_adopted | withdrawn | undecided
    candidate: Candidate | None = None
    merged: bool = False  # the candidate gathers several proposals


def proposal_standing(proposal: Proposal) -> Standing:
    candidate = proposal.candidate
    round_status = Status(proposal.round.status)
    if candidate is None:
        return Standing("sorting" if round_status in SORTING_STATES else "not_shortlisted")
    merged = candidate.proposals.count() > 1
    return Standing(_candidate_key(candidate, round_status), candidate, merged)


def _candidate_key(candidate: Candidate, round_status: Status) -> str:
    if candidate.status == CandidateStatus.CANDIDATE:
        return "balloting" if round_status == Status.BALLOTING else "candidate"
    return candidate.status  # adopted, not_adopted, withdrawn, undecided


def proposals_of_case(case) -> list[Proposal]:
    """The proposals made from a resident's opinion, for that opinion's tracking page: its
    resident follows each by the proposal's own code."""
    return list(Proposal.objects.filter(case=case).select_related("round__place").order_by("pk"))
