"""Every write to a case. Each service checks the workflow table, updates the case
conditionally on its old status, and writes its timeline event in the same transaction;
notifications are queued in the outbox and delivered after commit."""

from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianxin.core import clock
from lianxin.core.codes import new_tracking_code
from lianxin.core.errors import ApplicationError
from lianxin.hotspots import hooks as hotspots_hooks
from lianxin.places.models import Category, Department, Place, Station
from lianxin.places.scope import case_actors, user_scope
from lianxin.rollups import services as rollups
from lianxin.routing import hooks as routing_hooks
from lianxin.triage.text import search_index

from . import notify as case_notify
from .deadlines import deadline_for
from .models import Case, CaseEvent, CaseFollow, CaseKind, CasePhoto, Resolution
from .photos import ProcessedPhoto
from .workflow import REOPEN_BELOW_STARS, Action, Actor, Status, can, target

TEXT_MIN, TEXT_MAX = 5, 2000


# --- helpers ------------------------------------------------------------------------------


def _actor_for(user, case: Case, action: Action) -> Actor:
    """The role in which `user` may take `action` on `case` now, or an ApplicationError.
    `user=None` is the system itself (automatic triage and assignment)."""
    actors = {Actor.SYSTEM} if user is None else case_actors(user_scope(user), case)
    if not actors:
        raise ApplicationError(_("This case does not exist or you may not see it."), code="not_found")
    for actor in sorted(actors):
        if can(action, Status(case.status), actor):
            return actor
    raise ApplicationError(
        _("This step is not possible now: the case is “%(status)s”.") % {"status": case.get_status_display()},
        code="transition_not_allowed",
    )


def _record(
    case: Case,
    *,
    action: Action,
    actor_role: Actor,
    user=None,
    from_status: str = "",
    note: str = "",
    public: bool = False,
    department: Department | None = None,
    data: dict | None = None,
) -> CaseEvent:
    """Write a step on the timeline, and move the cockpit's rollups by it (same transaction)."""
    event = CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        actor=user,
        actor_role=actor_role,
        action=action,
        from_status=from_status,
        to_status=case.status,
        note=note,
        public=public,
        department=department,
        data=data or {},
    )
    rollups.case_stepped(case, event)
    return event


def _move(case: Case, *, action: Action, actor_role: Actor, **fields) -> str:
    """Change status (and fields) only if nobody changed the case since it was read."""
    old = Status(case.status)
    if not can(action, old, actor_role):
        raise ApplicationError(_("This step is not possible now."), code="transition_not_allowed")
    new = target(action, old)
    fields.update(status=new, updated_at=clock.now())
    changed = Case.objects.filter(pk=case.pk, status=old).update(**fields)
    if changed != 1:
        raise ApplicationError(_("Someone else changed this case a moment ago. Please reload it."), code="conflict")
    for name, value in fields.items():
        setattr(case, name, value)
    return old


def _take(user, case: Case, action: Action, **fields) -> tuple[Actor, str]:
    actor = _actor_for(user, case, action)
    return actor, _move(case, action=action, actor_role=actor, **fields)


def _answer_fields(case: Case, now: datetime) -> dict:
    return {} if case.first_answered_at else {"first_answered_at": now}


def _clean_text(text: str, *, field: str = "text", minimum: int = 1, maximum: int = TEXT_MAX) -> str:
    text = (text or "").strip()
    if len(text) < minimum:
        raise ApplicationError(_("Please write at least %(n)d characters.") % {"n": minimum}, code=f"{field}_short")
    if len(text) > maximum:
        raise ApplicationError(_("Please write at most %(n)d characters.") % {"n": maximum}, code=f"{field}_long")
    return text


def _save_photos(case: Case, event: CaseEvent, photos: Sequence[ProcessedPhoto], *, public: bool) -> None:
    for photo in photos:
        CasePhoto.objects.create(
            case=case, event=event, image=photo.as_file(), width=photo.width, height=photo.height, public=public
        )


# --- intake -------------------------------------------------------------------------------


def case_submit(
    *,
    channel: str,
    place: Place,
    text: str,
    kind: str = CaseKind.OPINION,
    station: Station | None = None,
    deputy=None,
    category: Category | None = None,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    publish_consent: bool = False,
    photos: Sequence[ProcessedPhoto] = (),
    idempotency_key: str | None = None,
    submitted_by=None,
    client_name: str = "",
    latitude=None,
    longitude=None,
) -> tuple[Case, bool]:
    """Create a case; the same idempotency key always gives back the first case, never two."""
    text = _clean_text(text, minimum=TEXT_MIN)
    if idempotency_key:
        existing = Case.objects.filter(idempotency_key=idempotency_key).first()
        if existing:
            return existing, False
    fields = {
        "kind": kind,
        "channel": channel,
        "place": place,
        "station": station,
        "deputy": deputy,
        "category": category,
        "text": text,
        "address": address.strip()[:200],
        "latitude": latitude,
        "longitude": longitude,
        "contact_name": contact_name.strip()[:50],
        "contact_phone": contact_phone.strip()[:20],
        "contact_email": contact_email.strip(),
        "publish_consent": publish_consent,
        "submitted_by": submitted_by,
        "client_name": client_name,
        "idempotency_key": idempotency_key or None,
        "search_text": search_index(text),
    }
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return _insert_case(fields, photos, submitted_by), True
        except IntegrityError:
            if idempotency_key:
                existing = Case.objects.filter(idempotency_key=idempotency_key).first()
                if existing:
                    return existing, False
            # otherwise a tracking-code collision: draw again
    raise ApplicationError(_("The opinion could not be saved. Please try again."), code="intake_failed")


# The role recorded for an opinion entered on a resident's behalf, most specific first.
_SUBMITTER_ROLES = (Actor.STATION_STAFF, Actor.DEPUTY, Actor.CONGRESS_OFFICE)


def _submitter_role(user, case: Case) -> Actor:
    actors = case_actors(user_scope(user), case)
    for role in _SUBMITTER_ROLES:
        if role in actors:
            return role
    raise ApplicationError(_("You may not enter opinions for this place."), code="not_allowed")


def _insert_case(fields: dict, photos: Sequence[ProcessedPhoto], submitted_by) -> Case:
    now = clock.now()
    case = Case(tracking_code=new_tracking_code(), status=Status.SUBMITTED, created_at=now, updated_at=now, **fields)
    case.due_at = deadline_for(kind=case.kind, category=case.category, start=now)
    case.save()
    actor = Actor.CONSTITUENT if submitted_by is None else _submitter_role(submitted_by, case)
    event = _record(
        case,
        action=Action.SUBMIT,
        actor_role=actor,
        user=submitted_by,
        note="",
        public=True,
        data={"channel": case.channel},
    )
    _save_photos(case, event, photos, public=False)
    case_notify.new_case(case)
    routing_hooks.after_intake(case)
    hotspots_hooks.after_intake(case)
    return case


# --- triage and assignment ----------------------------------------------------------------


@transaction.atomic
def case_triage(*, case: Case, actor, category: Category, urgency: str | None = None, note: str = "") -> Case:
    fields = {"category": category}
    if urgency:
        fields["urgency"] = urgency
    if case.category_id != category.pk and not case.first_answered_at:
        fields["due_at"] = deadline_for(kind=case.kind, category=category, start=case.created_at)
    role, old = _take(actor, case, Action.TRIAGE, **fields)
    _record(
        case,
        action=Action.TRIAGE,
        actor_role=role,
        user=actor,
        from_status=old,
        note=note,
        public=True,
        data={"category": category.code, "urgency": case.urgency},
    )
    _share_category(case)
    routing_hooks.after_triage(case=case, category=category, user=actor)
    return case


@transaction.atomic
def case_link_duplicate(*, case: Case, actor, original: Case, note: str = "") -> Case:
    if original.pk == case.pk or original.duplicate_of_id == case.pk:
        raise ApplicationError(_("A case cannot be a duplicate of itself."), code="duplicate_self")
    if not case_actors(user_scope(actor), original):
        raise ApplicationError(_("This case does not exist or you may not see it."), code="not_found")
    # Lock the original first: a reply committed meanwhile is then seen, and shared below.
    root = Case.objects.select_for_update().get(pk=original.duplicate_of_id or original.pk)
    # A merged case has no reply clock of its own (docs/workflow.md): its deadline is the original's.
    # A group is one issue: the case takes the original's category, if it has one (_share_category).
    category = {"category_id": root.category_id} if root.category_id else {}
    role, old = _take(actor, case, Action.LINK_DUPLICATE, duplicate_of=root, due_at=None, **category)
    # No chains: the cases already linked to this one now point at the same original.
    Case.objects.filter(duplicate_of=case).update(duplicate_of=root)
    _share_category(root)
    hotspots_hooks.after_link(case, root, actor)
    _record(
        case,
        action=Action.LINK_DUPLICATE,
        actor_role=role,
        user=actor,
        from_status=old,
        note=note,
        data={"original": original.tracking_code},
    )
    _share_answer_if_any(root)
    return case


def _check_departments(department: Department, helpers: Sequence[Department]) -> list[Department]:
    if not department.active:
        raise ApplicationError(_("This department no longer takes cases."), code="department_inactive")
    return [h for h in dict.fromkeys(helpers) if h.pk != department.pk]


@transaction.atomic
def case_assign(
    *,
    case: Case,
    actor,
    department: Department,
    helpers: Sequence[Department] = (),
    due_at: datetime | None = None,
    note: str = "",
) -> Case:
    action = Action.REASSIGN if case.status in (Status.ASSIGNED, Status.IN_PROGRESS) else Action.ASSIGN
    helpers = _check_departments(department, helpers)
    if due_at is not None and due_at <= clock.now():
        raise ApplicationError(_("The deadline must be in the future."), code="due_in_past")
    fields = {"lead_department": department}
    if due_at is not None:
        fields["due_at"] = due_at
    role, old = _take(actor, case, action, **fields)
    case.helper_departments.set(helpers)
    _record(
        case,
        action=action,
        actor_role=role,
        user=actor,
        from_status=old,
        note=note,
        public=True,
        department=department,
        data={"helpers": [h.code for h in helpers], "due_at": case.due_at.isoformat() if case.due_at else None},
    )
    case_notify.assigned(case, department, helpers)
    return case


# --- the department's steps ---------------------------------------------------------------


@transaction.atomic
def case_accept(*, case: Case, actor, note: str = "") -> Case:
    role, old = _take(actor, case, Action.ACCEPT)
    _record(
        case,
        action=Action.ACCEPT,
        actor_role=role,
        user=actor,
        from_status=old,
        note=note,
        public=True,
        department=case.lead_department,
    )
    return case


@transaction.atomic
def case_return(*, case: Case, actor, reason: str) -> Case:
    reason = _clean_text(reason, field="reason", minimum=2, maximum=1000)
    department = case.lead_department
    role, old = _take(actor, case, Action.RETURN, lead_department=None)
    case.helper_departments.clear()
    _record(
        case, action=Action.RETURN, actor_role=role, user=actor, from_status=old, note=reason, department=department
    )
    case_notify.returned(case, department, reason)
    return case


@transaction.atomic
def case_add_progress(
    *, case: Case, actor, note: str, photos: Sequence[ProcessedPhoto] = (), public: bool = True
) -> CaseEvent:
    note = _clean_text(note, field="note", minimum=2)
    role, old = _take(actor, case, Action.PROGRESS)
    event = _record(
        case,
        action=Action.PROGRESS,
        actor_role=role,
        user=actor,
        from_status=old,
        note=note,
        public=public,
        department=case.lead_department,
    )
    _save_photos(case, event, photos, public=public)
    return event


@transaction.atomic
def case_reply(*, case: Case, actor, text: str, photos: Sequence[ProcessedPhoto] = ()) -> Case:
    text = _clean_text(text, field="reply", minimum=TEXT_MIN)
    now = clock.now()
    role, old = _take(actor, case, Action.REPLY, reply_text=text, replied_at=now, **_answer_fields(case, now))
    event = _record(
        case,
        action=Action.REPLY,
        actor_role=role,
        user=actor,
        from_status=old,
        note=text,
        public=True,
        department=case.lead_department,
    )
    _save_photos(case, event, photos, public=True)
    case_notify.replied(case)
    _share_reply(case, now=now)
    return case


# --- the resident's rating ----------------------------------------------------------------


@transaction.atomic
def case_rate(*, case: Case, stars: int, comment: str = "") -> Case:
    """Rate the reply: 3–5 stars closes the case; 1–2 reopens it to the same department."""
    if stars not in range(1, 6):
        raise ApplicationError(_("Please choose from 1 to 5 stars."), code="rating_range")
    comment = (comment or "").strip()[:1000]
    now = clock.now()
    rating = {"rating": stars, "rating_comment": comment, "rated_at": now}
    if stars < REOPEN_BELOW_STARS and case.duplicate_of_id:
        return _rejoin_group(case, stars=stars, comment=comment, now=now, rating=rating)
    if stars < REOPEN_BELOW_STARS:
        return _reopen(case, stars=stars, comment=comment, now=now, rating=rating)
    old = _move(case, action=Action.RATE, actor_role=Actor.CONSTITUENT, **rating)
    _record(
        case,
        action=Action.RATE,
        actor_role=Actor.CONSTITUENT,
        from_status=old,
        note=comment,
        public=True,
        data={"stars": stars},
    )
    old = _move(case, action=Action.CLOSE, actor_role=Actor.CONSTITUENT, closed_at=now, resolution=Resolution.ANSWERED)
    _record(case, action=Action.CLOSE, actor_role=Actor.SYSTEM, from_status=old, public=True)
    return case


def _reopen(case: Case, *, stars: int, comment: str, now: datetime, rating: dict) -> Case:
    old, due = _move_back_to_department(case, actor_role=Actor.CONSTITUENT, now=now, **rating)
    _record(
        case,
        action=Action.RATE,
        actor_role=Actor.CONSTITUENT,
        from_status=old,
        note=comment,
        public=True,
        data={"stars": stars},
    )
    _record(
        case,
        action=Action.REOPEN,
        actor_role=Actor.SYSTEM,
        from_status=old,
        public=True,
        department=case.lead_department,
        data={"due_at": due.isoformat()},
    )
    case_notify.reopened(case)
    _group_waits_again(case)
    return case


def _move_back_to_department(
    case: Case, *, actor_role: Actor, now: datetime, action: Action = Action.REOPEN, **fields
) -> tuple[str, datetime]:
    """重办: the replied case goes back to the same department with a fresh deadline."""
    due = deadline_for(kind=case.kind, category=case.category, start=now)
    old = _move(
        case,
        action=action,
        actor_role=actor_role,
        due_at=due,
        reopen_count=case.reopen_count + 1,
        reminded_at=None,
        escalated_at=None,
        **fields,
    )
    return old, due


@transaction.atomic
def case_reopen(*, case: Case, actor, reason: str) -> Case:
    """The office finds the reply inadequate and sends the case back to the department."""
    reason = _clean_text(reason, field="reason", minimum=2, maximum=1000)
    role = _actor_for(actor, case, Action.REOPEN)
    old, due = _move_back_to_department(case, actor_role=role, now=clock.now())
    _record(
        case,
        action=Action.REOPEN,
        actor_role=role,
        user=actor,
        from_status=old,
        note=reason,
        public=True,
        department=case.lead_department,
        data={"due_at": due.isoformat()},
    )
    case_notify.reopened(case, reason=reason)
    _group_waits_again(case)
    return case


# --- merged groups (并单): the original's answer reaches every resident of the group --------
# The rules and the reasons are in docs/workflow.md ("Merged groups"). Members are moved by the
# system with the same conditional update as any step; a member that changed meanwhile (its
# resident rated a moment ago) is skipped, never a reason to fail the original's step.


def _members(original: Case, status: Status) -> list[Case]:
    return list(Case.objects.filter(duplicate_of=original, status=status).select_related("place").order_by("pk"))


def _move_member(case: Case, *, action: Action, actor_role: Actor = Actor.SYSTEM, **fields) -> str | None:
    try:
        return _move(case, action=action, actor_role=actor_role, **fields)
    except ApplicationError:
        return None


def _share_category(root: Case) -> None:
    """A merged group is one issue: its duplicates take the original's category, so that they
    show it and count under it (not under "uncategorised") in the cockpit and reports."""
    if root.category_id is None:
        return
    members = Case.objects.filter(duplicate_of=root).exclude(category_id=root.category_id)
    ids = list(members.values_list("pk", flat=True))
    Case.objects.filter(pk__in=ids).update(category_id=root.category_id)
    for pk in ids:
        rollups.case_refreshed(pk)


def _share_answer_if_any(root: Case) -> None:
    """A duplicate linked to an original that has already answered gets that answer at once."""
    if root.status in (Status.REPLIED, Status.RATED, Status.CLOSED) and root.reply_text:
        _share_reply(root)
    elif root.status == Status.CLOSED and root.closing_reason:
        _share_closing(root)


def _share_reply(original: Case, *, now: datetime | None = None) -> None:
    """`now`: the original's reply time when shared in its transaction, else the moment of linking."""
    now = now or clock.now()
    for member in _members(original, Status.MERGED):
        fields = {"reply_text": original.reply_text, "replied_at": now, **_answer_fields(member, now)}
        old = _move_member(member, action=Action.SHARE_REPLY, **fields)
        if old is None:
            continue
        _record(
            member,
            action=Action.SHARE_REPLY,
            actor_role=Actor.SYSTEM,
            from_status=old,
            note=original.reply_text,
            public=True,
            department=original.lead_department,
            data={"original": original.tracking_code},
        )
        case_notify.replied(member)


def _share_closing(original: Case) -> None:
    now = clock.now()
    closing = {"closed_at": now, "resolution": original.resolution, "closing_reason": original.closing_reason}
    for member in _members(original, Status.MERGED):
        old = _move_member(member, action=Action.SHARE_CLOSE, **closing, **_answer_fields(member, now))
        if old is None:
            continue
        _record(
            member,
            action=Action.SHARE_CLOSE,
            actor_role=Actor.SYSTEM,
            from_status=old,
            note=original.closing_reason,
            public=True,
            data={"original": original.tracking_code, "resolution": original.resolution},
        )
        case_notify.closed_with_reason(member)


def _group_waits_again(original: Case) -> None:
    """The original is back with its department: unrated duplicates wait for the next reply."""
    for member in _members(original, Status.REPLIED):
        old = _move_member(member, action=Action.REJOIN)
        if old is not None:
            _record(
                member,
                action=Action.REJOIN,
                actor_role=Actor.SYSTEM,
                from_status=old,
                public=True,
                data={"original": original.tracking_code},
            )


def _rejoin_group(case: Case, *, stars: int, comment: str, now: datetime, rating: dict) -> Case:
    """1–2 stars on a duplicate: it waits with its group again, and the original goes back to its
    department, even if the original's own resident had already closed it."""
    old = _move(case, action=Action.REJOIN, actor_role=Actor.CONSTITUENT, **rating)
    root = Case.objects.select_for_update().get(pk=case.duplicate_of_id)  # no outer joins: PostgreSQL locks
    data = {"stars": stars}
    _record(
        case, action=Action.RATE, actor_role=Actor.CONSTITUENT, from_status=old, note=comment, public=True, data=data
    )
    data = {"original": root.tracking_code}
    _record(case, action=Action.REJOIN, actor_role=Actor.CONSTITUENT, from_status=old, public=True, data=data)
    if can(Action.GROUP_REOPEN, Status(root.status), Actor.SYSTEM):
        _reopen_for_group(root, duplicate=case, stars=stars, now=now)
    return case


def _reopen_for_group(root: Case, *, duplicate: Case, stars: int, now: datetime) -> None:
    reopened = {"closed_at": None, "resolution": Resolution.NONE}
    old, due = _move_back_to_department(root, actor_role=Actor.SYSTEM, now=now, action=Action.GROUP_REOPEN, **reopened)
    _record(
        root,
        action=Action.GROUP_REOPEN,
        actor_role=Actor.SYSTEM,
        from_status=old,
        public=True,
        department=root.lead_department,
        data={"due_at": due.isoformat(), "duplicate": duplicate.tracking_code, "stars": stars},
    )
    case_notify.reopened(root)
    _group_waits_again(root)


# --- closing ------------------------------------------------------------------------------


@transaction.atomic
def case_close(*, case: Case, actor, note: str = "") -> Case:
    resolution = Resolution.ANSWERED if case.rating else Resolution.UNRATED
    role, old = _take(actor, case, Action.CLOSE, closed_at=clock.now(), resolution=resolution)
    _record(case, action=Action.CLOSE, actor_role=role, user=actor, from_status=old, note=note, public=True)
    return case


@transaction.atomic
def case_close_unrated(*, case: Case) -> Case:
    """The resident did not rate within the window: the system closes the replied case."""
    old = _move(
        case, action=Action.CLOSE, actor_role=Actor.SYSTEM, closed_at=clock.now(), resolution=Resolution.UNRATED
    )
    _record(
        case, action=Action.CLOSE, actor_role=Actor.SYSTEM, from_status=old, public=True, data={"reason": "unrated"}
    )
    return case


def _close_with_reason(case: Case, actor, *, action: Action, resolution: str, reason: str) -> Case:
    reason = _clean_text(reason, field="reason", minimum=2, maximum=1000)
    now = clock.now()
    role, old = _take(
        actor, case, action, closed_at=now, resolution=resolution, closing_reason=reason, **_answer_fields(case, now)
    )
    _record(case, action=action, actor_role=role, user=actor, from_status=old, note=reason, public=True)
    case_notify.closed_with_reason(case)
    _share_closing(case)
    return case


@transaction.atomic
def case_resolve_on_spot(*, case: Case, actor, reason: str) -> Case:
    return _close_with_reason(case, actor, action=Action.RESOLVE_ON_SPOT, resolution=Resolution.ON_SPOT, reason=reason)


@transaction.atomic
def case_reject(*, case: Case, actor, reason: str) -> Case:
    return _close_with_reason(case, actor, action=Action.REJECT, resolution=Resolution.NOT_ADMISSIBLE, reason=reason)


# --- deputies' supervision and notes ------------------------------------------------------


@transaction.atomic
def case_follow(*, case: Case, actor) -> bool:
    role = _actor_for(actor, case, Action.FOLLOW)
    _, created = CaseFollow.objects.get_or_create(case=case, user=actor)
    if created:
        _record(case, action=Action.FOLLOW, actor_role=role, user=actor, from_status=case.status)
    return created


@transaction.atomic
def case_urge(*, case: Case, actor, note: str) -> CaseEvent:
    note = _clean_text(note, field="note", minimum=2, maximum=1000)
    role = _actor_for(actor, case, Action.URGE)
    CaseFollow.objects.get_or_create(case=case, user=actor)
    event = _record(
        case,
        action=Action.URGE,
        actor_role=role,
        user=actor,
        from_status=case.status,
        note=note,
        public=True,
        department=case.lead_department,
    )
    case_notify.urged(case, actor, note)
    return event


@transaction.atomic
def case_add_note(*, case: Case, actor, note: str) -> CaseEvent:
    note = _clean_text(note, field="note", minimum=2)
    role = _actor_for(actor, case, Action.NOTE)
    return _record(case, action=Action.NOTE, actor_role=role, user=actor, from_status=case.status, note=note)


@transaction.atomic
def case_mark_adopted(*, case: Case, actor, note: str = "") -> Case:
    if case.adopted:
        raise ApplicationError(_("This suggestion is already marked as adopted."), code="already_adopted")
    role = _actor_for(actor, case, Action.ADOPT)
    Case.objects.filter(pk=case.pk).update(adopted=True)
    case.adopted = True
    _record(case, action=Action.ADOPT, actor_role=role, user=actor, from_status=case.status, note=note, public=True)
    return case


@transaction.atomic
def case_record_suggestion(
    *, case: Case, note: str, department: Department | None = None, data: dict | None = None
) -> CaseEvent:
    """The machine's suggested category and department: an internal event written by the system."""
    if not can(Action.SUGGEST, Status(case.status), Actor.SYSTEM):
        raise ApplicationError(_("This step is not possible now."), code="transition_not_allowed")
    return _record(
        case,
        action=Action.SUGGEST,
        actor_role=Actor.SYSTEM,
        from_status=case.status,
        note=note,
        department=department,
        data=data,
    )


# --- the deadline sweep (idempotent: run it as often as you like) -------------------------


@transaction.atomic
def case_remind(*, case: Case) -> bool:
    now = clock.now()
    if not Case.objects.filter(pk=case.pk, reminded_at__isnull=True).update(reminded_at=now):
        return False
    _record(
        case,
        action=Action.REMIND,
        actor_role=Actor.SYSTEM,
        from_status=case.status,
        department=case.lead_department,
        data={"due_at": case.due_at.isoformat()},
    )
    case_notify.due_soon(case)
    return True


@transaction.atomic
def case_escalate(*, case: Case) -> bool:
    now = clock.now()
    if not Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(escalated_at=now):
        return False
    _record(
        case,
        action=Action.ESCALATE,
        actor_role=Actor.SYSTEM,
        from_status=case.status,
        department=case.lead_department,
        data={"due_at": case.due_at.isoformat()},
    )
    case_notify.overdue(case)
    return True
