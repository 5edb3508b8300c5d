"""Reads: the results (only once closed and consistent), and the ballots a user may see."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from lianxin.core.errors import ApplicationError

from . import marks as marks_codec
from .common import BallotRules, present_q, rules_of
from .models import Ballot, BallotOption, BallotSlot, BallotStatus, Elector, EntryStatus, PaperEntry
from .tally import TallyResult, tally


@dataclass(frozen=True)
class ResultRow:
    ref: str
    label: str
    votes_for: int
    against: int
    abstain: int
    reaches_threshold: bool
    adopted: bool
    tied: bool


@dataclass(frozen=True)
class Results:
    ballot: Ballot
    rules: BallotRules
    tally: TallyResult
    rows: tuple[ResultRow, ...]  # in ballot order
    adopted: tuple[ResultRow, ...]  # by votes for, descending
    tied: tuple[ResultRow, ...]
    voted: int  # electors marked as voted (phones) or sheets entered (paper)
    receipts: tuple[str, ...]  # receipt codes of the filled slots, sorted (phones only)


def _check_counts(ballot: Ballot) -> None:
    if ballot.status != BallotStatus.CLOSED:
        raise ApplicationError(_("Results are shown only after the ballot closes."), code="ballot_open")
    if ballot.paper:
        _check_paper(ballot)
        return
    voted = Elector.objects.filter(ballot=ballot, voted=True).count()
    filled = BallotSlot.objects.filter(ballot=ballot, filled=True).count()
    if voted != filled:
        raise ApplicationError(
            _("The count does not match: %(ballots)d ballots, %(voted)d electors marked as voted. No result is shown.")
            % {"ballots": filled, "voted": voted},
            code="count_mismatch",
        )


def _check_paper(ballot: Ballot) -> None:
    entries = PaperEntry.objects.filter(ballot=ballot)
    mismatched = entries.filter(status=EntryStatus.MISMATCH).count()
    pending = entries.filter(status=EntryStatus.PENDING).count()
    if mismatched or pending:
        raise ApplicationError(
            _(
                "%(mismatched)d sheets differ between the tellers and %(pending)d await confirmation. "
                "No result is shown."
            )
            % {"mismatched": mismatched, "pending": pending},
            code="entries_unconfirmed",
        )
    present = Elector.objects.filter(present_q(), ballot=ballot).count()
    if entries.count() > present:
        raise ApplicationError(
            _("There are more paper ballots (%(n)d) than electors present (%(present)d). No result is shown.")
            % {"n": entries.count(), "present": present},
            code="count_mismatch",
        )


def _cast_marks(ballot: Ballot, refs: list[str]) -> list[dict[str, str]]:
    if ballot.paper:
        texts = PaperEntry.objects.filter(ballot=ballot).values_list("marks", flat=True)
    else:
        texts = BallotSlot.objects.filter(ballot=ballot, filled=True).values_list("marks", flat=True)
    return [marks_codec.decode(refs, text) for text in texts]


def ballot_results(ballot: Ballot) -> Results:
    """The count, only once the ballot is closed and the ballots match the turnout."""
    ballot = Ballot.objects.select_related("place").get(pk=ballot.pk)
    _check_counts(ballot)
    options = list(BallotOption.objects.filter(ballot=ballot).order_by("position"))
    refs = [o.ref for o in options]
    electors = Elector.objects.filter(ballot=ballot)
    rules = rules_of(ballot)
    result = tally(
        rules.for_tally(),
        refs,
        _cast_marks(ballot, refs),
        electors=electors.count(),
        present=electors.filter(present_q()).count(),
    )
    labels = {o.ref: o.label for o in options}
    rows = tuple(ResultRow(label=labels[c.ref], **c.__dict__) for c in result.options)
    by_ref = {r.ref: r for r in rows}
    receipts = (
        ()
        if ballot.paper
        else tuple(sorted(BallotSlot.objects.filter(ballot=ballot, filled=True).values_list("receipt_code", flat=True)))
    )
    return Results(
        ballot=ballot,
        rules=rules,
        tally=result,
        rows=rows,
        adopted=tuple(by_ref[r] for r in result.adopted),
        tied=tuple(by_ref[r] for r in result.tied),
        voted=result.cast,
        receipts=receipts,
    )


# --- pages --------------------------------------------------------------------------------


def ballot_list_for_user(user):
    """Ballots of the places the user's office or leadership covers, and those he or she
    is an elector of."""
    from django.db.models import Q

    from lianxin.places.scope import user_scope

    scope = user_scope(user)
    ballots = Ballot.objects.select_related("place")
    if scope.is_admin:
        return ballots
    q = Q(pk__in=[])
    for path in scope.office_paths + scope.leader_paths:
        q |= Q(place__path__startswith=path)
    if scope.deputy_id:
        q |= Q(pk__in=Elector.objects.filter(deputy_id=scope.deputy_id).values("ballot_id"))
    return ballots.filter(q)


def ballots_awaiting(deputy_id: int) -> int:
    """How many open ballots this deputy may still cast (the menu's badge)."""
    return Elector.objects.filter(deputy_id=deputy_id, voted=False, ballot__status=BallotStatus.OPEN).count()


def ballot_get_for_user(user, pk: int) -> Ballot | None:
    """The ballot if the user may see it; None for missing and forbidden alike."""
    from .access import may_see

    ballot = Ballot.objects.select_related("place").filter(pk=pk).first()
    return ballot if ballot is not None and may_see(user, ballot) else None


@dataclass(frozen=True)
class Turnout:
    electors: int
    present: int
    voted: int


def turnout(ballot: Ballot) -> Turnout:
    """Counts only: how many may vote, are present, have voted. Never a choice."""
    electors = Elector.objects.filter(ballot=ballot)
    return Turnout(electors.count(), electors.filter(present_q()).count(), electors.filter(voted=True).count())


def options_of(ballot: Ballot) -> list[BallotOption]:
    return list(BallotOption.objects.filter(ballot=ballot).order_by("position"))


def marks_review(ballot: Ballot, marks: dict[str, str]) -> list[tuple[BallotOption, str]]:
    """The options with the marks a deputy is about to cast, after the same checks the cast
    makes (ApplicationError with the message otherwise)."""
    from .common import clean_marks

    options = options_of(ballot)
    cleaned = clean_marks(ballot, [o.ref for o in options], marks, limit=True)
    return [(o, cleaned.get(o.ref, "")) for o in options]


def paper_entries(ballot: Ballot) -> list[PaperEntry]:
    return list(PaperEntry.objects.filter(ballot=ballot).select_related("entered_by", "confirmed_by"))


def decode_text(ballot: Ballot, text: str) -> dict[str, str]:
    """A paper entry's marks (never used on slots outside the count)."""
    refs = [o.ref for o in options_of(ballot)]
    return marks_codec.decode(refs, text)
