"""Writes of the hotspots app: signatures, likely duplicates, and staff's decision on them.

Finding a likely duplicate changes no case, so it writes no timeline event; merging is a
case step and goes through `cases.services.case_link_duplicate`, which writes it.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lianxin.cases import services as case_services
from lianxin.cases.models import Case
from lianxin.cases.workflow import TRANSITIONS, Action
from lianxin.core import clock
from lianxin.core.errors import ApplicationError
from lianxin.places.scope import case_actors, user_scope
from lianxin.triage import dedup
from lianxin.triage.text import tokens

from . import selectors
from .models import CandidateStatus, CaseSignature, DuplicateCandidate, SignatureBand

# At most this many likely duplicates are kept for one case, the most similar first.
MAX_CANDIDATES = 5


def duplicate_window() -> timedelta:
    return timedelta(days=getattr(settings, "DUPLICATE_WINDOW_DAYS", 30))


def duplicate_threshold() -> float:
    return getattr(settings, "DUPLICATE_THRESHOLD", dedup.DUPLICATE_THRESHOLD)


# --- after intake -----------------------------------------------------------------------------


@transaction.atomic
def signature_compute(*, case: Case) -> CaseSignature:
    """The case's signature and band keys; computed again only when the scheme's version changed."""
    existing = CaseSignature.objects.filter(case=case).first()
    if existing is not None and existing.version == dedup.SIGNATURE_VERSION:
        return existing
    signature = dedup.signature(case.text)
    area = selectors.area_of(case.place)
    SignatureBand.objects.filter(case=case).delete()
    SignatureBand.objects.bulk_create(
        [SignatureBand(case=case, area=area, key=key, created_at=case.created_at) for key in signature.keys]
    )
    fields = {
        "version": dedup.SIGNATURE_VERSION,
        "minhash": dedup.to_bytes(signature.minhash),
        "terms": " ".join(tokens(case.text)),
        "computed_at": clock.now(),
    }
    stored, _created = CaseSignature.objects.update_or_create(case=case, defaults=fields)
    return stored


@transaction.atomic
def candidates_record(*, case: Case) -> list[DuplicateCandidate]:
    """Likely duplicates of `case` among earlier cases of its area and window (idempotent)."""
    slots = dedup.from_bytes(bytes(CaseSignature.objects.get(case=case).minhash))
    if dedup.is_empty(slots):
        return []
    found = selectors.likely_duplicates(
        case=case,
        keys=dedup.band_keys(slots).tolist(),
        area=selectors.area_of(case.place),
        since=case.created_at - duplicate_window(),
        threshold=duplicate_threshold(),
        limit=MAX_CANDIDATES,
    )
    rows = [DuplicateCandidate(case=case, original_id=m.case_id, similarity=m.similarity) for m in found]
    DuplicateCandidate.objects.bulk_create(rows, ignore_conflicts=True)
    return list(DuplicateCandidate.objects.filter(case=case))


def case_find_duplicates(*, case_id: int) -> list[DuplicateCandidate]:
    """The background task's work: sign the case, then record its likely duplicates. A case
    signed with the current scheme was searched then: its candidates are returned as they are."""
    case = Case.objects.select_related("place").filter(pk=case_id).first()
    if case is None:
        return []
    if CaseSignature.objects.filter(case=case, version=dedup.SIGNATURE_VERSION).exists():
        return list(DuplicateCandidate.objects.filter(case=case))
    signature_compute(case=case)
    return candidates_record(case=case)


def signatures_backfill(*, limit: int = 2000) -> int:
    """Sign cases that have no signature yet, oldest first (so each finds its earlier duplicates)."""
    missing = Case.objects.filter(signature__isnull=True).order_by("created_at", "pk")
    ids = list(missing.values_list("pk", flat=True)[:limit])
    for case_id in ids:
        case_find_duplicates(case_id=case_id)
    return len(ids)


# --- staff's decision ---------------------------------------------------------------------------


def _check_may_decide(user, candidate: DuplicateCandidate) -> None:
    """The roles that may link duplicates (the office roles) decide on likely duplicates."""
    actors = case_actors(user_scope(user), candidate.case)
    if not actors:
        raise ApplicationError(_("This case does not exist or you may not see it."), code="not_found")
    if not actors & TRANSITIONS[Action.LINK_DUPLICATE].actors:
        raise ApplicationError(_("Only the station and the congress office decide on duplicates."), code="not_allowed")


def _check_open(candidate: DuplicateCandidate) -> None:
    if candidate.status != CandidateStatus.OPEN:
        raise ApplicationError(_("Someone has already decided on this likely duplicate."), code="conflict")


@transaction.atomic
def candidate_merge(*, candidate: DuplicateCandidate, actor) -> Case:
    """One click on the case page: merge the case into the likely original's group (并单)."""
    _check_may_decide(actor, candidate)
    _check_open(candidate)
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Merged from the likely duplicates (%(percent)d%% similar).") % {
            "percent": round(candidate.similarity * 100)
        }
    # The link settles this likely duplicate as merged (hooks.after_link), with any other of the
    # case's likely duplicates in the same group.
    case = case_services.case_link_duplicate(case=candidate.case, actor=actor, original=candidate.original, note=note)
    candidate.refresh_from_db(fields=["status", "decided_by", "decided_at"])
    return case


@transaction.atomic
def candidate_dismiss(*, candidate: DuplicateCandidate, actor) -> DuplicateCandidate:
    """Not the same issue: the pair is no longer offered, nor counted in hot issues."""
    _check_may_decide(actor, candidate)
    _check_open(candidate)
    _decide(candidate, actor=actor, status=CandidateStatus.DISMISSED)
    return candidate


def _decide(candidate: DuplicateCandidate, *, actor, status: str) -> None:
    now = clock.now()
    changed = DuplicateCandidate.objects.filter(pk=candidate.pk, status=CandidateStatus.OPEN).update(
        status=status, decided_by=actor, decided_at=now
    )
    if changed != 1:
        raise ApplicationError(_("Someone has already decided on this likely duplicate."), code="conflict")
    candidate.status, candidate.decided_by, candidate.decided_at = status, actor, now
