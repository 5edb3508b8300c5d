"""Paper ballots: the chair records who is present; teller 1 enters each sheet (a sequence
number, never a deputy); teller 2 re-enters it; a mismatch blocks the result."""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core import clock
from lianxin.core.errors import ApplicationError

from . import marks as marks_codec
from .common import clean_marks, event, locked, option_refs, present_q, require
from .models import Ballot, Elector, EntryStatus, PaperEntry
from .workflow import Step


@transaction.atomic
def presence_record(*, ballot: Ballot, actor, present_deputy_ids: Sequence[int]) -> int:
    """The chair records who is present (replaces the earlier record). Electors who vote on
    their phones count as present anyway (common.present_q); the flag is kept apart
    from `voted` so that the presence list does not show who has voted."""
    ballot = locked(ballot)
    require(Step.PRESENCE, ballot, actor)
    wanted = set(present_deputy_ids)
    known = set(Elector.objects.filter(ballot=ballot).values_list("deputy_id", flat=True))
    if wanted - known:
        raise ApplicationError(_("Only electors of this ballot can be recorded as present."), code="not_elector")
    Elector.objects.filter(ballot=ballot).exclude(deputy_id__in=wanted).update(present=False)
    Elector.objects.filter(ballot=ballot, deputy_id__in=wanted).update(present=True)
    present = Elector.objects.filter(present_q(), ballot=ballot).count()
    event(ballot, "presence", actor=actor, data={"present": present})
    return present


def _paper_ballot(ballot: Ballot, actor, step: Step) -> Ballot:
    ballot = locked(ballot)
    require(step, ballot, actor)
    if not ballot.paper:
        raise ApplicationError(_("This ballot is cast on phones, not on paper."), code="not_paper")
    return ballot


@transaction.atomic
def paper_entry_add(*, ballot: Ballot, actor, marks: dict[str, str]) -> PaperEntry:
    """Teller 1 enters the next sheet. More sheets than electors present is refused."""
    ballot = _paper_ballot(ballot, actor, Step.PAPER_ENTER)
    refs = option_refs(ballot)
    text = marks_codec.encode(refs, clean_marks(ballot, refs, marks, limit=False))
    present = Elector.objects.filter(present_q(), ballot=ballot).count()
    entered = PaperEntry.objects.filter(ballot=ballot).count()
    if entered >= present:
        raise ApplicationError(
            _("There cannot be more paper ballots (%(n)d) than electors present (%(present)d).")
            % {"n": entered + 1, "present": present},
            code="more_than_present",
        )
    entry = PaperEntry.objects.create(ballot=ballot, sheet_no=entered + 1, marks=text, entered_by=actor)
    event(ballot, "paper_entered", actor=actor, data={"sheet": entry.sheet_no})
    return entry


def _locked_entry(entry: PaperEntry) -> PaperEntry:
    return PaperEntry.objects.select_for_update().get(pk=entry.pk)


@transaction.atomic
def paper_entry_confirm(*, entry: PaperEntry, actor, marks: dict[str, str]) -> bool:
    """Teller 2 re-enters the sheet. Equal: confirmed. Different: flagged as a mismatch,
    which blocks the result until a teller corrects the entry and another confirms it."""
    ballot = _paper_ballot(entry.ballot, actor, Step.PAPER_CONFIRM)
    entry = _locked_entry(entry)
    if entry.status == EntryStatus.CONFIRMED:
        raise ApplicationError(_("This sheet is already confirmed."), code="already_confirmed")
    if entry.entered_by_id == actor.pk:
        raise ApplicationError(_("A second teller must confirm the sheet you entered."), code="same_teller")
    refs = option_refs(ballot)
    text = marks_codec.encode(refs, clean_marks(ballot, refs, marks, limit=False))
    matched = text == entry.marks
    entry.status = EntryStatus.CONFIRMED if matched else EntryStatus.MISMATCH
    entry.second_marks = "" if matched else text
    entry.confirmed_by = actor if matched else None
    entry.updated_at = clock.now()
    entry.save(update_fields=["status", "second_marks", "confirmed_by", "updated_at"])
    event(ballot, "paper_confirmed" if matched else "paper_mismatch", actor=actor, data={"sheet": entry.sheet_no})
    return matched


@transaction.atomic
def paper_entry_correct(*, entry: PaperEntry, actor, marks: dict[str, str]) -> PaperEntry:
    """A teller enters a sheet again after a mismatch (looking at the paper); it then waits
    for a confirmation by another teller."""
    ballot = _paper_ballot(entry.ballot, actor, Step.PAPER_ENTER)
    entry = _locked_entry(entry)
    if entry.status == EntryStatus.CONFIRMED:
        raise ApplicationError(_("This sheet is already confirmed."), code="already_confirmed")
    refs = option_refs(ballot)
    entry.marks = marks_codec.encode(refs, clean_marks(ballot, refs, marks, limit=False))
    entry.status, entry.second_marks, entry.confirmed_by = EntryStatus.PENDING, "", None
    entry.entered_by, entry.updated_at = actor, clock.now()
    entry.save(update_fields=["marks", "status", "second_marks", "confirmed_by", "entered_by", "updated_at"])
    event(ballot, "paper_corrected", actor=actor, data={"sheet": entry.sheet_no})
    return entry
