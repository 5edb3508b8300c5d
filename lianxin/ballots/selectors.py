"""Reads: the results (only once closed and consistent), and the ballots a user may see."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from lianxin.core.errors import ApplicationError

from . import marks as marks_codec
from .common import BallotRules, rules_of
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
    present = Elector.objects.filter(ballot=ballot, present=True).count()
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
        present=electors.filter(present=True).count(),
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
