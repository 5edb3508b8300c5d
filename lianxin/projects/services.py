"""Every write to a round, from creation to the ballot. Each service checks the state table
(workflow.py) for the user's role (access.round_actors), updates the round conditionally on
its old status, and writes the round's timeline in the same transaction; notifications go
to the outbox. Implementation, survey and look-back are in services_implementation.py."""

import math
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.core import clock
from lianxin.core.codes import new_tracking_code, random_code
from lianxin.core.errors import ApplicationError

from . import notify
from .access import round_actors
from .models import (
    DEFAULT_MIN_RATIO,
    Candidate,
    CandidateStatus,
    Proposal,
    ProposalKind,
    ProposalSource,
    Remark,
    Round,
    RoundEvent,
)
from .workflow import STATUS_LABELS, Action, Actor, Status, can, target

TEXT_MAX = 2000


# --- helpers ------------------------------------------------------------------------------


def actor_for(user, round_: Round, action: Action, *, project: Candidate | None = None) -> Actor:
    """The role in which `user` may take `action` on `round_` now, or an ApplicationError.
    `user=None` is a resident (no account) for PROPOSE and RESPOND_SURVEY, else the system."""
    if user is None:
        actors = {Actor.CONSTITUENT} if action in (Action.PROPOSE, Action.RESPOND_SURVEY) else {Actor.SYSTEM}
    else:
        actors = round_actors(user, round_, project)
    if not actors:
        raise ApplicationError(_("This round does not exist or you may not see it."), code="not_found")
    status = Status(round_.status)
    for actor in sorted(actors):
        if can(action, status, actor):
            return actor
    if any(can(action, s, a) for s in Status for a in actors):
        raise ApplicationError(
            _("This step is not possible now: the round is “%(status)s”.") % {"status": STATUS_LABELS[status]},
            code="transition_not_allowed",
        )
    raise ApplicationError(_("Your role does not allow this step."), code="forbidden")


def record(
    round_: Round,
    *,
    action: Action,
    actor_role: Actor,
    user=None,
    from_status: str = "",
    note: str = "",
    public: bool = False,
    project: Candidate | None = None,
    data: dict | None = None,
) -> RoundEvent:
    return RoundEvent.objects.create(
        round=round_,
        project=project,
        at=clock.now(),
        actor=user,
        actor_role=actor_role,
        action=action,
        from_status=from_status or round_.status,
        to_status=round_.status,
        note=note,
        public=public,
        data=data or {},
    )


def move(round_: Round, *, action: Action, actor_role: Actor, **fields) -> str:
    """Change the status only if nobody changed the round since it was read."""
    old = Status(round_.status)
    new = target(action, old)
    fields.update(status=new, updated_at=clock.now())
    if Round.objects.filter(pk=round_.pk, status=old).update(**fields) != 1:
        raise ApplicationError(_("Someone else changed this round a moment ago. Please reload it."), code="conflict")
    for name, value in fields.items():
        setattr(round_, name, value)
    return old


def step(user, round_: Round, action: Action, *, note: str = "", public: bool = True, **fields) -> RoundEvent:
    """A whole state change: check, move, record."""
    role = actor_for(user, round_, action)
    old = move(round_, action=action, actor_role=role, **fields)
    return record(round_, action=action, actor_role=role, user=user, from_status=old, note=note, public=public)


def clean_text(text: str, *, label: str, minimum: int = 1, maximum: int = TEXT_MAX) -> str:
    text = (text or "").strip()
    if len(text) < minimum:
        raise ApplicationError(
            _("%(field)s: please write at least %(n)d characters.") % {"field": label, "n": minimum}, code="too_short"
        )
    if len(text) > maximum:
        raise ApplicationError(
            _("%(field)s: please write at most %(n)d characters.") % {"field": label, "n": maximum}, code="too_long"
        )
    return text


def required_candidates(seats: int, ratio: Decimal) -> int:
    """差额: at least ceil(N × (1 + ratio)) candidates; N=5 → 6, N=7 → 9 at 20%."""
    return math.ceil(Decimal(seats) * (Decimal(1) + Decimal(ratio)))


def _ratio(value) -> Decimal:
    try:
        ratio = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("The ratio must be a number such as 0.20."), code="ratio_invalid") from None
    if not ratio.is_finite() or ratio > Decimal("9.99"):
        raise ApplicationError(_("The ratio must be a number such as 0.20."), code="ratio_invalid")
    return ratio.quantize(Decimal("0.01"))


# --- the round ----------------------------------------------------------------------------


@transaction.atomic
def round_create(*, place, year: int, title: str, actor, min_ratio: Decimal = DEFAULT_MIN_RATIO) -> Round:
    title = clean_text(title, label=_("Title"), maximum=100)
    draft = Round(place=place, year=year, title=title)
    actors = round_actors(actor, draft)
    role = next((a for a in sorted(actors) if can(Action.CREATE, None, a)), None)
    if role is None:
        raise ApplicationError(_("Only the congress office of this place may create its round."), code="forbidden")
    min_ratio = _ratio(min_ratio)
    if min_ratio < 0:
        raise ApplicationError(_("The ratio cannot be negative."), code="ratio_invalid")
    if Round.objects.filter(place=place, year=year).exists():
        raise ApplicationError(_("This place already has a round for %(year)d.") % {"year": year}, code="duplicate")
    draft.min_ratio = draft.ratio = min_ratio
    draft.public_token = random_code(10)
    draft.save()
    record(draft, action=Action.CREATE, actor_role=role, user=actor, from_status="", public=True)
    return draft


@transaction.atomic
def round_configure(
    *,
    round_: Round,
    actor,
    seats: int | None = None,
    ratio=None,
    window_opens_at: datetime | None = None,
    window_closes_at: datetime | None = None,
    threshold_basis: str | None = None,
) -> Round:
    role = actor_for(actor, round_, Action.CONFIGURE)
    fields: dict = {}
    if seats is not None:
        if seats < 1 or seats > 100:
            raise ApplicationError(
                _("The number of projects to adopt must be between 1 and 100."), code="seats_invalid"
            )
        fields["seats"] = seats
    if ratio is not None:
        ratio = _ratio(ratio)
        if ratio < round_.min_ratio:
            raise ApplicationError(
                _("The ratio of extra candidates cannot be below this round's rule of %(min)s%%.")
                % {"min": _percent(round_.min_ratio)},
                code="ratio_below_rule",
            )
        fields["ratio"] = ratio
    if window_opens_at and window_closes_at and window_closes_at <= window_opens_at:
        raise ApplicationError(_("The window must close after it opens."), code="window_invalid")
    if window_opens_at is not None:
        fields["window_opens_at"] = window_opens_at
    if window_closes_at is not None:
        fields["window_closes_at"] = window_closes_at
    if threshold_basis is not None:
        if threshold_basis not in ("all", "present"):
            raise ApplicationError(_("Unknown majority basis."), code="basis_invalid")
        fields["threshold_basis"] = threshold_basis
    move(round_, action=Action.CONFIGURE, actor_role=role, **fields)
    data = {k: str(v) for k, v in fields.items()}
    record(round_, action=Action.CONFIGURE, actor_role=role, user=actor, data=data)
    return round_


def _percent(ratio: Decimal) -> str:
    return f"{(Decimal(ratio) * 100).normalize():f}"


@transaction.atomic
def round_open_solicitation(*, round_: Round, actor) -> Round:
    step(actor, round_, Action.OPEN_SOLICITATION)
    notify.solicitation_opened(round_)
    return round_


@transaction.atomic
def round_close_solicitation(*, round_: Round, actor) -> Round:
    step(actor, round_, Action.CLOSE_SOLICITATION)
    return round_


@transaction.atomic
def round_send_to_deliberation(*, round_: Round, actor) -> Round:
    if not round_.candidates.filter(status=CandidateStatus.CANDIDATE).exists():
        raise ApplicationError(_("Add candidate projects before the deliberation."), code="no_candidates")
    step(actor, round_, Action.SEND_TO_DELIBERATION)
    notify.deliberation_started(round_)
    return round_


# --- solicitation -------------------------------------------------------------------------


def proposal_kind_now(round_: Round) -> str:
    """Inside the pre-meeting window a proposal is 会前集中, outside it 日常常态化."""
    now = clock.now()
    inside = (
        round_.window_opens_at and round_.window_closes_at and round_.window_opens_at <= now < round_.window_closes_at
    )
    return ProposalKind.PRE_MEETING if inside else ProposalKind.DAILY


@transaction.atomic
def proposal_submit(
    *,
    round_: Round,
    title: str,
    reason: str,
    location: str = "",
    benefit: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    actor=None,
    idempotency_key: str | None = None,
) -> tuple[Proposal, bool]:
    """A resident (actor=None), a deputy or staff proposes a project; a resend returns the first."""
    if idempotency_key:
        existing = Proposal.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing, False
    role = actor_for(actor, round_, Action.PROPOSE)
    deputy = _deputy_of(actor) if role is Actor.DEPUTY else None
    source = {Actor.CONSTITUENT: ProposalSource.RESIDENT, Actor.DEPUTY: ProposalSource.DEPUTY}.get(
        role, ProposalSource.STAFF
    )
    proposal = Proposal(
        round=round_,
        kind=proposal_kind_now(round_),
        source=source,
        title=clean_text(title, label=_("What"), minimum=2, maximum=100),
        reason=clean_text(reason, label=_("Why"), minimum=10),
        location=(location or "").strip()[:200],
        benefit=(benefit or "").strip()[:200],
        contact_name=(contact_name or "").strip()[:50],
        contact_phone=(contact_phone or "").strip()[:20],
        deputy=deputy,
        submitted_by=actor,
        idempotency_key=idempotency_key or None,
        tracking_code=new_tracking_code(),
    )
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        existing = Proposal.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing:
            return existing, False
        raise
    record(
        round_,
        action=Action.PROPOSE,
        actor_role=role,
        user=actor,
        data={"proposal": proposal.pk, "kind": proposal.kind},
    )
    return proposal, True


def _deputy_of(user):
    from lianxin.deputies.models import Deputy

    return Deputy.objects.filter(user=user, active=True).first() if user else None


@transaction.atomic
def proposal_from_case(*, round_: Round, case, actor, title: str = "") -> Proposal:
    """Promote an opinion (a case) to a proposal; the proposal keeps the link to the case."""
    from lianxin.cases.selectors import case_get_for_user

    role = actor_for(actor, round_, Action.PROMOTE_CASE)
    case = case_get_for_user(actor, case.pk) if case else None  # 404 out of scope
    if not case.place.path.startswith(round_.place.path):
        raise ApplicationError(_("This opinion comes from outside the round's place."), code="case_outside")
    if Proposal.objects.filter(round=round_, case=case).exists():
        raise ApplicationError(_("This opinion is already a proposal of this round."), code="case_twice")
    proposal = Proposal.objects.create(
        round=round_,
        kind=proposal_kind_now(round_),
        source=ProposalSource.CASE,
        title=clean_text(title or case.text[:40], label=_("What"), minimum=2, maximum=100),
        reason=case.text,
        location=case.address,
        case=case,
        submitted_by=actor,
        tracking_code=new_tracking_code(),
    )
    record(
        round_,
        action=Action.PROMOTE_CASE,
        actor_role=role,
        user=actor,
        data={"proposal": proposal.pk, "case": case.pk, "tracking_code": case.tracking_code},
    )
    return proposal


# --- shortlist ----------------------------------------------------------------------------


def _money(value, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("%(field)s must be a number.") % {"field": label}, code="money_invalid") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
        raise ApplicationError(_("%(field)s must be a number.") % {"field": label}, code="money_invalid")
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def candidate_create(
    *, round_: Round, actor, title: str, description: str = "", location: str = "", proposals: Sequence[Proposal] = ()
) -> Candidate:
    role = actor_for(actor, round_, Action.EDIT_CANDIDATES)
    candidate = Candidate.objects.create(
        round=round_,
        title=clean_text(title, label=_("Project"), minimum=2, maximum=100),
        description=(description or "").strip()[:TEXT_MAX],
        location=(location or "").strip()[:200],
    )
    _attach(round_, candidate, proposals)
    record(
        round_,
        action=Action.EDIT_CANDIDATES,
        actor_role=role,
        user=actor,
        project=candidate,
        note=_("Candidate added: %(title)s") % {"title": candidate.title},
        data={"candidate": candidate.pk, "proposals": [p.pk for p in proposals]},
    )
    return candidate


def _attach(round_: Round, candidate: Candidate, proposals: Sequence[Proposal]) -> None:
    for proposal in proposals:
        if proposal.round_id != round_.pk:
            raise ApplicationError(_("A proposal belongs to another round."), code="proposal_outside")
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(candidate=candidate)


@transaction.atomic
def proposals_merge(*, candidate: Candidate, actor, proposals: Sequence[Proposal]) -> Candidate:
    """Merge similar proposals into one candidate (合并): each keeps its text and link."""
    round_ = candidate.round
    role = actor_for(actor, round_, Action.EDIT_CANDIDATES)
    if not proposals:
        raise ApplicationError(_("Choose at least one proposal to merge."), code="nothing_to_merge")
    _attach(round_, candidate, proposals)
    record(
        round_,
        action=Action.EDIT_CANDIDATES,
        actor_role=role,
        user=actor,
        project=candidate,
        note=_("%(n)d proposals merged into %(title)s") % {"n": len(proposals), "title": candidate.title},
        data={"candidate": candidate.pk, "merged": [p.pk for p in proposals]},
    )
    return candidate


@transaction.atomic
def candidate_update(
    *,
    candidate: Candidate,
    actor,
    title: str,
    description: str = "",
    location: str = "",
    cost=None,
    department=None,
    feasibility: str = "",
) -> Candidate:
    round_ = candidate.round
    role = actor_for(actor, round_, Action.EDIT_CANDIDATES)
    if candidate.status != CandidateStatus.CANDIDATE:
        raise ApplicationError(_("A withdrawn candidate cannot be edited."), code="candidate_closed")
    candidate.title = clean_text(title, label=_("Project"), minimum=2, maximum=100)
    candidate.description = (description or "").strip()[:TEXT_MAX]
    candidate.location = (location or "").strip()[:200]
    candidate.cost = _money(cost, _("Estimated cost"))
    candidate.department = department
    candidate.feasibility = (feasibility or "").strip()[:TEXT_MAX]
    candidate.updated_at = clock.now()
    candidate.save()
    record(
        round_,
        action=Action.EDIT_CANDIDATES,
        actor_role=role,
        user=actor,
        project=candidate,
        data={
            "candidate": candidate.pk,
            "cost": str(candidate.cost or ""),
            "department": department.pk if department else None,
        },
    )
    return candidate


@transaction.atomic
def candidate_withdraw(*, candidate: Candidate, actor, note: str) -> Candidate:
    round_ = candidate.round
    role = actor_for(actor, round_, Action.EDIT_CANDIDATES)
    note = clean_text(note, label=_("Reason"), minimum=2, maximum=500)
    if (
        Candidate.objects.filter(pk=candidate.pk, status=CandidateStatus.CANDIDATE).update(
            status=CandidateStatus.WITHDRAWN, decision_note=note
        )
        != 1
    ):
        raise ApplicationError(_("This candidate is no longer on the list."), code="conflict")
    candidate.status = CandidateStatus.WITHDRAWN
    record(
        round_,
        action=Action.EDIT_CANDIDATES,
        actor_role=role,
        user=actor,
        project=candidate,
        note=note,
        data={"withdrawn": candidate.pk},
    )
    return candidate


# --- deliberation -------------------------------------------------------------------------


@transaction.atomic
def remark_add(*, round_: Round, actor, text: str, kind: str, candidate: Candidate | None = None) -> Remark:
    action = Action.MEETING_NOTE if kind == Remark.Kind.MEETING_NOTE else Action.COMMENT
    role = actor_for(actor, round_, action)
    if candidate is not None and candidate.round_id != round_.pk:
        raise ApplicationError(_("This candidate belongs to another round."), code="candidate_outside")
    text = clean_text(text, label=_("Text"), minimum=2)
    remark = Remark.objects.create(
        round=round_,
        candidate=candidate,
        kind=kind,
        author=actor,
        text=text,
        deputy=_deputy_of(actor) if role is Actor.DEPUTY else None,
    )
    record(round_, action=action, actor_role=role, user=actor, project=candidate, note=text, data={"remark": remark.pk})
    return remark


def round_link(round_: Round) -> str:
    return reverse("projects:round", args=[round_.pk])
