"""The round's side of the ballot (票决): open it through lianxin.ballots with the candidates,
the electors and the frozen rules; close it, read the results and mark candidates adopted or
not. A tie or a shortfall is never resolved here: the round waits for staff's decision."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core import clock
from lianxin.core.errors import ApplicationError

from . import notify
from .models import Candidate, CandidateStatus, Round
from .services import actor_for, move, record, required_candidates
from .workflow import Action


def _ballots():
    """The ballots app's services, or a refusal while it is not installed."""
    try:
        from lianxin.ballots import services as ballots
    except ImportError:
        ballots = None
    if ballots is None or not hasattr(ballots, "ballot_open"):
        raise ApplicationError(_("The ballot module is not ready yet (票决模块尚未就绪)."), code="ballots_missing")
    return ballots


def electors(round_: Round):
    """The deputies of the round's congress: active deputies (not voter representatives) whose
    station lies in the round's place, at the level of that congress (a district round: district
    deputies; a town round: town deputies). Documented in docs/projects.md."""
    return electors_for_place(round_.place)


def electors_for_place(place):
    """The electors of the congress of `place` (a district or a town), as `electors` says."""
    from lianxin.deputies.models import Deputy, DeputyKind, DeputyLevel
    from lianxin.places.models import PlaceKind

    level = DeputyLevel.DISTRICT if place.kind == PlaceKind.DISTRICT else DeputyLevel.TOWN
    return Deputy.objects.filter(
        active=True, kind=DeputyKind.DEPUTY, level=level, station__place__path__startswith=place.path
    ).order_by("pk")


def check_ratio(round_: Round, candidates: int) -> None:
    """The 差额 rule, checked when the ballot opens: ratio never below the round's rule."""
    if not round_.seats:
        raise ApplicationError(_("Set the number of projects to adopt first."), code="seats_missing")
    ratio = max(Decimal(round_.ratio), Decimal(round_.min_ratio))
    needed = required_candidates(round_.seats, ratio)
    if candidates < needed:
        raise ApplicationError(
            _("%(n)d projects are to be adopted, so at least %(needed)d candidates are needed; there are %(have)d.")
            % {"n": round_.seats, "needed": needed, "have": candidates},
            code="too_few_candidates",
        )


@transaction.atomic
def round_open_ballot(
    *,
    round_: Round,
    actor,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    paper: bool = False,
) -> Round:
    """Open the ballot on phones, or on paper (`paper`: sheets entered and confirmed by two
    tellers on the ballots app's pages). The choice is kept on the round and frozen."""
    role = actor_for(actor, round_, Action.OPEN_BALLOT)
    candidates = list(round_.candidates.filter(status=CandidateStatus.CANDIDATE).order_by("pk"))
    check_ratio(round_, len(candidates))
    voters = list(electors(round_))
    if not voters:
        raise ApplicationError(
            _("No deputy of this congress can vote: check the deputies' level and station."), code="no_electors"
        )
    ballots = _ballots()
    opens_at = opens_at or clock.now()
    closes_at = closes_at or opens_at + timedelta(hours=2)
    rules = ballots.BallotRules(
        seats=round_.seats,
        min_ratio=max(Decimal(round_.ratio), Decimal(round_.min_ratio)),
        threshold_basis=round_.threshold_basis,
        separate_marks=False,
        paper=paper,
    )
    ballot = ballots.ballot_open(
        title=round_.title,
        place=round_.place,
        electors=voters,
        options=[(c.option_ref, c.title) for c in candidates],
        rules=rules,
        opens_at=opens_at,
        closes_at=closes_at,
        actor=actor,
        ref=f"round:{round_.pk}",
    )
    frozen = {
        "seats": round_.seats,
        "ratio": str(round_.ratio),
        "min_ratio": str(round_.min_ratio),
        "threshold_basis": round_.threshold_basis,
        "paper": paper,
        "electors": [d.pk for d in voters],
        "candidates": [c.pk for c in candidates],
        "opens_at": opens_at.isoformat(),
        "closes_at": closes_at.isoformat(),
    }
    old = move(
        round_, action=Action.OPEN_BALLOT, actor_role=role, ballot_id=ballot.pk, ballot_rules=frozen, paper_ballot=paper
    )
    record(round_, action=Action.OPEN_BALLOT, actor_role=role, user=actor, from_status=old, public=True, data=frozen)
    notify.ballot_opened(round_)
    return round_


def _ballot_object(round_: Round):
    from lianxin.ballots.models import Ballot

    return Ballot.objects.get(pk=round_.ballot_id)


def read_results(results) -> dict:
    """The ballots app's Results as plain data kept on the round: votes per candidate, the
    adopted, the tied (across the N-th place: left to the congress) and the shortfall."""
    count = results.tally
    return {
        "adopted": [row.ref for row in results.adopted],
        "counts": {row.ref: row.votes_for for row in results.rows},
        "against": {row.ref: row.against for row in results.rows},
        "ties": [[row.ref for row in results.tied]] if results.tied else [],
        "tied_seats": count.tied_seats,
        "shortfall": count.shortfall,
        "electors": count.electors,
        "present": count.present,
        "cast": count.cast,
        "valid": count.valid,
        "invalid": count.invalid,
        "threshold": count.threshold,
    }


@transaction.atomic
def round_close_ballot(*, round_: Round, actor) -> Round:
    role = actor_for(actor, round_, Action.CLOSE_BALLOT)
    ballots = _ballots()
    ballot = _ballot_object(round_)
    if ballot.paper and not ballot.paper_entries.exists():
        raise ApplicationError(
            _("No paper ballot has been entered yet: the tellers enter and confirm the sheets first."),
            code="no_sheets",
        )
    if ballot.status == "open":  # the office may have closed the ballot box on the ballot's own page
        ballots.ballot_close(ballot=ballot, actor=actor)
    data = read_results(ballots.ballot_results(ballot))
    tied = {ref for group in data["ties"] for ref in group}
    for candidate in round_.candidates.filter(status=CandidateStatus.CANDIDATE):
        ref = candidate.option_ref
        status = (
            CandidateStatus.UNDECIDED
            if ref in tied
            else CandidateStatus.ADOPTED
            if ref in data["adopted"]
            else CandidateStatus.NOT_ADOPTED
        )
        Candidate.objects.filter(pk=candidate.pk).update(status=status, votes=data["counts"].get(ref))
    needs = bool(tied) or data["shortfall"] > 0
    old = move(round_, action=Action.CLOSE_BALLOT, actor_role=role, results=data, needs_decision=needs)
    record(round_, action=Action.CLOSE_BALLOT, actor_role=role, user=actor, from_status=old, public=True, data=data)
    if needs:
        notify.needs_decision(round_)
    return round_


@transaction.atomic
def round_decide(
    *, round_: Round, actor, note: str, adopt: list[Candidate] = (), reject: list[Candidate] = ()
) -> Round:
    """Staff's recorded decision on a tie or shortfall: which tied candidates are adopted (e.g.
    after a run-off held at the meeting) and why; a shortfall may be accepted with a note."""
    from .services import clean_text

    role = actor_for(actor, round_, Action.DECIDE)
    note = clean_text(note, label=_("Decision"), minimum=4)
    for candidate in list(adopt) + list(reject):
        if candidate.round_id != round_.pk or candidate.status not in (
            CandidateStatus.UNDECIDED,
            CandidateStatus.NOT_ADOPTED,
            CandidateStatus.ADOPTED,
        ):
            raise ApplicationError(_("This candidate was not on the ballot."), code="candidate_outside")
    Candidate.objects.filter(pk__in=[c.pk for c in adopt]).update(status=CandidateStatus.ADOPTED, decision_note=note)
    Candidate.objects.filter(pk__in=[c.pk for c in reject]).update(
        status=CandidateStatus.NOT_ADOPTED, decision_note=note
    )
    undecided = round_.candidates.filter(status=CandidateStatus.UNDECIDED).exists()
    old = move(round_, action=Action.DECIDE, actor_role=role, needs_decision=undecided)
    record(
        round_,
        action=Action.DECIDE,
        actor_role=role,
        user=actor,
        from_status=old,
        note=note,
        public=True,
        data={"adopted": [c.pk for c in adopt], "rejected": [c.pk for c in reject]},
    )
    return round_
