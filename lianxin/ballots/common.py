"""What the ballot's services and selectors share: the frozen rules, the lock, the step
check, the timeline, and the cleaning of marks."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.core import clock
from lianxin.core.errors import ApplicationError

from .access import roles_for
from .models import Ballot, BallotEvent, BallotOption, BallotStatus
from .tally import ABSTAIN, AGAINST, FOR, TallyRules
from .workflow import Step, can


@dataclass(frozen=True)
class BallotRules:
    """Frozen at opening (stored as columns on Ballot)."""

    seats: int
    min_ratio: Decimal
    threshold_basis: str  # "all" or "present"
    separate_marks: bool
    paper: bool

    def for_tally(self) -> TallyRules:
        return TallyRules(self.seats, self.min_ratio, self.threshold_basis, self.separate_marks)


def rules_of(ballot: Ballot) -> BallotRules:
    return BallotRules(
        seats=ballot.seats,
        min_ratio=ballot.min_ratio,
        threshold_basis=ballot.threshold_basis,
        separate_marks=ballot.separate_marks,
        paper=ballot.paper,
    )


# --- helpers ------------------------------------------------------------------------------


def event(ballot: Ballot, action: str, *, actor=None, note: str = "", data: dict | None = None) -> None:
    BallotEvent.objects.create(ballot=ballot, at=clock.now(), actor=actor, action=action, note=note, data=data or {})


def locked(ballot: Ballot) -> Ballot:
    return Ballot.objects.select_for_update().select_related("place").get(pk=ballot.pk)


def require(step: Step, ballot: Ballot, user) -> None:
    roles = roles_for(user, ballot)
    if not roles:
        raise ApplicationError(_("This ballot does not exist or you may not see it."), code="not_found")
    if not can(step, ballot.status, roles):
        if ballot.status == BallotStatus.CLOSED:
            raise ApplicationError(_("The ballot is closed."), code="closed")
        raise ApplicationError(_("You may not take this step on this ballot now."), code="not_allowed")


def option_refs(ballot: Ballot) -> list[str]:
    return list(BallotOption.objects.filter(ballot=ballot).order_by("position").values_list("ref", flat=True))


def local_time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def clean_marks(ballot: Ballot, refs: Sequence[str], marks: Mapping[str, str], *, limit: bool) -> dict[str, str]:
    """Known options and known marks only; with `limit`, at most N approvals (a phone ballot
    is refused; a paper sheet with too many is entered as it is and counted invalid)."""
    allowed = {FOR, AGAINST, ABSTAIN} if ballot.separate_marks else {FOR}
    known = set(refs)
    cleaned = {}
    for ref, mark in marks.items():
        if ref not in known:
            raise ApplicationError(_("This ballot has no such candidate. Please reload the page."), code="bad_option")
        if mark in ("", None):
            continue
        if mark not in allowed:
            raise ApplicationError(_("This mark is not allowed on this ballot."), code="bad_mark")
        cleaned[ref] = mark
    chosen = sum(1 for mark in cleaned.values() if mark == FOR)
    if limit and chosen > ballot.seats:
        raise ApplicationError(
            _("You approved %(chosen)d candidates; at most %(seats)d may be approved. Please remove %(extra)d.")
            % {"chosen": chosen, "seats": ballot.seats, "extra": chosen - ballot.seats},
            code="too_many",
            extra={"chosen": chosen},
        )
    return cleaned


def present_q() -> Q:
    """Present: recorded by the chair, or voted on the phone (who voted there is present)."""
    return Q(present=True) | Q(voted=True)
