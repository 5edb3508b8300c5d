"""Every write to a ballot. Read docs/ballot-secrecy.md first: casting must never write
anything that links a deputy to a choice (no event, no log line, no timestamp).

Public API (used by lianxin.projects): BallotRules, ballot_open, ballot_cast, ballot_close,
ballot_results (returns Results). Paper ballots: presence_record, paper_entry_add,
paper_entry_confirm, paper_entry_correct (in services_paper, re-exported here).
"""

import logging
import secrets
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, Case, CharField, F, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.core import clock
from lianxin.core.codes import random_code
from lianxin.core.errors import ApplicationError
from lianxin.deputies.models import Deputy, DeputyKind
from lianxin.notifications.services import notify
from lianxin.places.scope import user_scope

from . import marks as marks_codec
from .access import may_manage_place
from .common import BallotRules, clean_marks, event, local_time, locked, option_refs, require, rules_of
from .models import Ballot, BallotOption, BallotSlot, BallotStatus, Elector
from .selectors import ResultRow, Results, ballot_results
from .services_paper import paper_entry_add, paper_entry_confirm, paper_entry_correct, presence_record
from .tally import BASIS_ALL, BASIS_PRESENT, required_candidates
from .workflow import Step

__all__ = [
    "BallotRules",
    "ResultRow",
    "Results",
    "ballot_cast",
    "ballot_close",
    "ballot_open",
    "ballot_results",
    "paper_entry_add",
    "paper_entry_confirm",
    "paper_entry_correct",
    "presence_record",
    "rules_of",
]

RECEIPT_LENGTH = 10
MAX_OPTIONS = 200  # the width of the marks column
_random = secrets.SystemRandom()
logger = logging.getLogger(__name__)

# --- helpers ------------------------------------------------------------------------------


_sql_logger = logging.getLogger("django.db.backends")
_quiet_lock = threading.Lock()
_quiet_depth = 0


@contextmanager
def _quiet_sql() -> Iterator[None]:
    """Silence Django's SQL debug log while a ballot is cast: with DEBUG on it would write the
    elector's UPDATE and the slot's marks one after the other into the log."""
    global _quiet_depth
    with _quiet_lock:
        _quiet_depth += 1
        _sql_logger.disabled = True
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if not _quiet_depth:
                _sql_logger.disabled = False
        connection.queries_log.clear()


# --- opening ------------------------------------------------------------------------------


def _check_rules(rules: BallotRules) -> Decimal:
    if not isinstance(rules.seats, int) or rules.seats < 1:
        raise ApplicationError(_("A ballot must adopt at least one candidate."), code="bad_seats")
    try:
        ratio = Decimal(str(rules.min_ratio))
    except InvalidOperation:
        ratio = Decimal(-1)
    if not (Decimal(0) <= ratio < Decimal(10)):
        raise ApplicationError(_("The surplus ratio must be between 0 and 9.99."), code="bad_ratio")
    if rules.threshold_basis not in (BASIS_ALL, BASIS_PRESENT):
        raise ApplicationError(_("The threshold must be of all electors or of those present."), code="bad_basis")
    return ratio


def _check_options(options: Sequence[tuple[str, str]], seats: int, ratio: Decimal) -> list[tuple[str, str]]:
    cleaned = [((ref or "").strip(), (label or "").strip()) for ref, label in options]
    if any(not ref or not label or len(ref) > 100 or len(label) > 200 for ref, label in cleaned):
        raise ApplicationError(_("Every candidate needs a reference and a name."), code="bad_option")
    if len({ref for ref, _label in cleaned}) != len(cleaned):
        raise ApplicationError(_("A candidate appears twice on the list."), code="duplicate_option")
    needed = required_candidates(seats, ratio)
    if len(cleaned) < needed:
        raise ApplicationError(
            _(
                "Too few candidates: adopting %(seats)d with at least %(percent)s%% more candidates needs "
                "%(needed)d candidates, and the list has %(count)d."
            )
            % {"seats": seats, "percent": f"{ratio * 100:.0f}", "needed": needed, "count": len(cleaned)},
            code="too_few_options",
            extra={"needed": needed, "count": len(cleaned)},
        )
    if len(cleaned) > MAX_OPTIONS:
        raise ApplicationError(
            _("A ballot may have at most %(n)d candidates.") % {"n": MAX_OPTIONS}, code="too_many_options"
        )
    return cleaned


def _check_electors(electors: Sequence[Deputy]) -> list[Deputy]:
    unique = list({d.pk: d for d in electors}.values())
    if not unique:
        raise ApplicationError(_("A ballot needs at least one elector."), code="no_electors")
    for deputy in unique:
        if deputy.kind != DeputyKind.DEPUTY or not deputy.active:
            raise ApplicationError(
                _("%(name)s is not a serving deputy and cannot vote.") % {"name": deputy.name}, code="not_a_deputy"
            )
    return unique


def _new_slots(ballot: Ballot, count: int, width: int) -> None:
    """One empty slot per elector, in random order, in the opening's transaction."""
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(random_code(RECEIPT_LENGTH))
    slots = [BallotSlot(ballot=ballot, receipt_code=code, marks=marks_codec.empty(width)) for code in codes]
    _random.shuffle(slots)
    BallotSlot.objects.bulk_create(slots)


@transaction.atomic
def ballot_open(
    *,
    title: str,
    place,
    electors: Sequence[Deputy],
    options: Sequence[tuple[str, str]],
    rules: BallotRules,
    opens_at: datetime,
    closes_at: datetime,
    actor,
    ref: str = "",
) -> Ballot:
    """Open a ballot: check the list against the surplus rule now, copy the rules, make the
    electors and (electronic ballots) one empty slot each, and tell every elector."""
    if place is None or not hasattr(place, "path"):
        raise ApplicationError(_("A ballot needs the place of its congress."), code="no_place")
    if actor is None or not may_manage_place(actor, place):
        raise ApplicationError(_("You may not open a ballot for %(place)s.") % {"place": place}, code="not_allowed")
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ApplicationError(_("Please give the ballot a title (at most 200 characters)."), code="bad_title")
    ratio = _check_rules(rules)
    options = _check_options(options, rules.seats, ratio)
    deputies = _check_electors(electors)
    if not isinstance(opens_at, datetime) or not isinstance(closes_at, datetime):
        raise ApplicationError(_("Please give the opening and closing date and time."), code="bad_window")
    if timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        raise ApplicationError(_("The opening and closing times need a time zone."), code="bad_window")
    if closes_at <= opens_at:
        raise ApplicationError(_("The ballot must close after it opens."), code="bad_window")
    if closes_at <= clock.now():
        raise ApplicationError(_("The voting window has already ended."), code="bad_window")
    ballot = Ballot.objects.create(
        title=title,
        ref=(ref or "")[:100],
        place=place,
        opens_at=opens_at,
        closes_at=closes_at,
        seats=rules.seats,
        min_ratio=ratio,
        threshold_basis=rules.threshold_basis,
        separate_marks=rules.separate_marks,
        paper=rules.paper,
        opened_by=actor,
    )
    BallotOption.objects.bulk_create(
        BallotOption(ballot=ballot, position=i, ref=r, label=label) for i, (r, label) in enumerate(options, start=1)
    )
    Elector.objects.bulk_create(Elector(ballot=ballot, deputy=d) for d in deputies)
    if not rules.paper:
        _new_slots(ballot, len(deputies), len(options))
    event(ballot, "opened", actor=actor, data=_opening_data(ballot, len(deputies), len(options)))
    _notify_opened(ballot, deputies)
    return ballot


def _opening_data(ballot: Ballot, electors: int, options: int) -> dict:
    return {
        "seats": ballot.seats,
        "min_ratio": str(ballot.min_ratio),
        "threshold_basis": ballot.threshold_basis,
        "separate_marks": ballot.separate_marks,
        "paper": ballot.paper,
        "electors": electors,
        "options": options,
    }


def _notify_opened(ballot: Ballot, deputies: list[Deputy]) -> None:
    users = [d.user for d in deputies if d.user_id]
    if not users:
        return
    if ballot.paper:
        body = _("The ballot “%(title)s” will be held on paper at the meeting.") % {"title": ballot.title}
    else:
        body = _("Please vote on your phone between %(start)s and %(end)s.") % {
            "start": local_time(ballot.opens_at),
            "end": local_time(ballot.closes_at),
        }
    notify(
        recipients=users,
        kind="ballot_opened",
        subject=_("Ballot: %(title)s") % {"title": ballot.title},
        body=body,
        link=reverse("ballots:vote", args=[ballot.pk]),
    )


# --- casting ------------------------------------------------------------------------------


def _check_window(ballot: Ballot) -> None:
    if ballot.paper:
        raise ApplicationError(_("This ballot is held on paper at the meeting."), code="paper_ballot")
    if ballot.status != BallotStatus.OPEN:
        raise ApplicationError(_("The ballot is closed."), code="closed")
    now = clock.now()
    if now < ballot.opens_at:
        raise ApplicationError(
            _("Voting opens at %(start)s.") % {"start": local_time(ballot.opens_at)}, code="not_yet_open"
        )
    if now >= ballot.closes_at:
        raise ApplicationError(
            _("Voting ended at %(end)s.") % {"end": local_time(ballot.closes_at)}, code="window_ended"
        )


def ballot_cast(*, ballot: Ballot, deputy_user, marks: dict[str, str]) -> str:
    """Cast the deputy's ballot and return its receipt code. In one transaction: mark the
    elector as voted (only if not yet: exactly one row must change), pick a random empty
    slot, and rewrite every slot of the ballot so that all carry this transaction's xmin."""
    deputy_id = user_scope(deputy_user).deputy_id if deputy_user is not None else None
    with _quiet_sql(), transaction.atomic():
        ballot = locked(ballot)
        if not deputy_id or not Elector.objects.filter(ballot=ballot, deputy_id=deputy_id).exists():
            raise ApplicationError(_("You are not an elector of this ballot."), code="not_elector")
        _check_window(ballot)
        refs = option_refs(ballot)
        text = marks_codec.encode(refs, clean_marks(ballot, refs, marks, limit=True))
        changed = Elector.objects.filter(ballot=ballot, deputy_id=deputy_id, voted=False).update(voted=True)
        if changed != 1:
            raise ApplicationError(_("You have already voted in this ballot."), code="already_voted")
        empty = list(BallotSlot.objects.filter(ballot=ballot, filled=False).values_list("pk", flat=True))
        if not empty:  # cannot happen: one slot per elector, one cast per elector
            raise ApplicationError(
                _("The ballot box is inconsistent; please tell the congress office."), code="no_slot"
            )
        chosen = _random.choice(empty)
        _rewrite_all_slots(ballot, chosen, text)
        return BallotSlot.objects.filter(pk=chosen).values_list("receipt_code", flat=True).get()


def _rewrite_all_slots(ballot: Ballot, chosen, text: str) -> None:
    """One UPDATE over every slot of the ballot; the unchanged ones get their own values.
    PostgreSQL writes a new version of each row in the same scan order, all with the same
    xmin, and all rows keep their width: neither xmin nor ctid tells which slot changed."""
    BallotSlot.objects.filter(ballot=ballot).update(
        marks=Case(When(pk=chosen, then=Value(text)), default=F("marks"), output_field=CharField()),
        filled=Case(When(pk=chosen, then=Value(True)), default=F("filled"), output_field=BooleanField()),
    )


# --- closing ------------------------------------------------------------------------------


def ballot_close(*, ballot: Ballot, actor) -> None:
    """Close the ballot: before the window ends only when every elector has voted (phones)
    or at any time (paper). The slots are then rewritten in a fresh random order, and on
    PostgreSQL the slot table is vacuumed after the commit so old row versions go."""
    with transaction.atomic():
        ballot = locked(ballot)
        require(Step.CLOSE, ballot, actor)
        voted = Elector.objects.filter(ballot=ballot, voted=True).count()
        electors = Elector.objects.filter(ballot=ballot).count()
        if not ballot.paper and clock.now() < ballot.closes_at and voted < electors:
            raise ApplicationError(
                _("Voting is open until %(end)s; %(left)d electors have not voted yet.")
                % {"end": local_time(ballot.closes_at), "left": electors - voted},
                code="window_open",
            )
        now = clock.now()
        Ballot.objects.filter(pk=ballot.pk, status=BallotStatus.OPEN).update(
            status=BallotStatus.CLOSED, closed_at=now, closed_by=actor, updated_at=now
        )
        if not ballot.paper:
            _reshuffle_slots(ballot)
        event(ballot, "closed", actor=actor, data={"electors": electors, "voted": voted})
        _notify_closed(ballot)
        transaction.on_commit(_scrub_old_versions)


def _reshuffle_slots(ballot: Ballot) -> None:
    """Write the slots once more, in a new random order (new row positions, one xmin)."""
    rows = list(BallotSlot.objects.filter(ballot=ballot).values("pk", "receipt_code", "filled", "marks"))
    _random.shuffle(rows)
    BallotSlot.objects.filter(ballot=ballot).delete()
    BallotSlot.objects.bulk_create(
        BallotSlot(pk=r["pk"], ballot=ballot, receipt_code=r["receipt_code"], filled=r["filled"], marks=r["marks"])
        for r in rows
    )


def _scrub_old_versions() -> None:
    """After the close's commit. A failure is logged (without data) and never undoes the
    close: `manage.py ballots_scrub` runs the same again."""
    try:
        scrub_old_versions()
    except DatabaseError as error:
        logger.warning("Ballot slot table not scrubbed after closing (run ballots_scrub): %s", type(error).__name__)


def scrub_old_versions() -> bool:
    """Outside any transaction: PostgreSQL's VACUUM FULL writes the slot table anew, without
    the dead row versions of every cast; SQLite moves its WAL into the database and empties
    it. Returns False when called inside a transaction (it cannot run there)."""
    if connection.in_atomic_block:
        return False
    table = connection.ops.quote_name(BallotSlot._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET lock_timeout = '10s'")  # never hang a request behind a long lock
            try:
                cursor.execute(f"VACUUM FULL {table}")
            finally:
                cursor.execute("RESET lock_timeout")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return True


def _notify_closed(ballot: Ballot) -> None:
    users = [
        e.deputy.user for e in Elector.objects.filter(ballot=ballot).select_related("deputy__user") if e.deputy.user_id
    ]
    if users:
        notify(
            recipients=users,
            kind="ballot_closed",
            subject=_("Ballot closed: %(title)s") % {"title": ballot.title},
            body=_("The ballot is closed. The result and the list of receipt codes are on its page."),
            link=reverse("ballots:results", args=[ballot.pk]),
        )
