"""Every read of cases. Each takes the user and returns only what that user may see;
a case out of scope and a missing case look the same (Http404)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lianxin.core import clock
from lianxin.core.codes import normalize_code
from lianxin.places.scope import case_actors, case_scope_q, user_scope
from lianxin.triage.text import normalize, tokens

from .models import Case, CaseEvent, CaseFollow, CasePhoto
from .workflow import AWAITING_REPLY, Actor, Status, actions_from

_LIST_RELATED = ("place", "category", "lead_department", "station", "deputy")


def case_list_for_user(user) -> QuerySet[Case]:
    scope = user_scope(user)
    if not scope.is_staff_like:
        return Case.objects.none()
    return Case.objects.filter(case_scope_q(scope)).select_related(*_LIST_RELATED)


def case_get_for_user(user, pk: int) -> Case:
    case = case_list_for_user(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def case_get_by_tracking_code(code: str) -> Case:
    """The resident's view: whoever holds the tracking code sees the public part."""
    case = Case.objects.filter(tracking_code=normalize_code(code)).select_related(*_LIST_RELATED).first()
    if case is None:
        raise Http404
    return case


def case_actions_for_user(user, case: Case) -> list[str]:
    actors = case_actors(user_scope(user), case)
    return [a.value for a in actions_from(Status(case.status), actors)]


def case_actors_for_user(user, case: Case) -> set[Actor]:
    return case_actors(user_scope(user), case)


def timeline(case: Case, *, public_only: bool) -> QuerySet[CaseEvent]:
    events = case.events.select_related("actor", "department").prefetch_related("photos")
    return events.filter(public=True) if public_only else events


# --- queues and filters -------------------------------------------------------------------


class Queue:
    TRIAGE = "triage"
    MINE = "mine"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    RETURNED = "returned"
    OPEN = "open"
    ALL = "all"


QUEUES = (Queue.TRIAGE, Queue.MINE, Queue.DUE_SOON, Queue.OVERDUE, Queue.RETURNED, Queue.OPEN, Queue.ALL)
DUE_SOON_HOURS = 24


def queue_filter(queue: str, *, user, now: datetime) -> Q:
    scope = user_scope(user)
    match queue:
        case Queue.TRIAGE:
            return Q(status__in=[Status.SUBMITTED, Status.TRIAGED])
        case Queue.MINE:
            # A subquery, not a join on follows: a join repeats a case once per follower and
            # inflates the tab counts.
            followed = CaseFollow.objects.filter(user_id=scope.user_id).values("case_id")
            return Q(lead_department_id__in=scope.department_ids, status__in=AWAITING_REPLY | {Status.REPLIED}) | Q(
                pk__in=followed
            )
        case Queue.DUE_SOON:
            return Q(status__in=AWAITING_REPLY, due_at__gt=now, due_at__lte=now + timedelta(hours=DUE_SOON_HOURS))
        case Queue.OVERDUE:
            return Q(status__in=AWAITING_REPLY, due_at__lte=now)
        case Queue.RETURNED:
            return Q(status=Status.RETURNED)
        case Queue.OPEN:
            return Q(status__in=AWAITING_REPLY)
    return Q()


@dataclass(frozen=True)
class CaseFilters:
    queue: str = Queue.ALL
    place_id: int | None = None
    category_id: int | None = None
    status: str = ""
    department_id: int | None = None
    channel: str = ""
    date_from: date | None = None
    date_to: date | None = None
    query: str = ""


def case_search_q(query: str) -> Q:
    """Chinese search: every segmented word must appear, as an indexed token or inside the
    text or address; or the whole phrase appears; or the query is a tracking code.

    A word may also match as plain text because jieba cuts a query without context
    differently from the same characters inside a sentence (门口路灯 vs 门口的路灯).
    """
    query = normalize(query)
    if not query:
        return Q()
    words = tokens(query)
    phrase = Q(text__icontains=query) | Q(address__icontains=query)
    code = normalize_code(query)
    if code:
        phrase |= Q(tracking_code=code)
    if not words:
        return phrase
    every_word = Q()
    for word in words:
        every_word &= Q(search_text__contains=f" {word} ") | Q(text__icontains=word) | Q(address__icontains=word)
    return every_word | phrase


def case_filter_for_user(user, filters: CaseFilters) -> QuerySet[Case]:
    from lianxin.places.models import Place

    cases = case_list_for_user(user).filter(queue_filter(filters.queue, user=user, now=clock.now()))
    if filters.place_id:
        place = Place.objects.filter(pk=filters.place_id).first()
        cases = cases.filter(place__path__startswith=place.path) if place else cases.none()
    if filters.category_id:
        cases = cases.filter(category_id=filters.category_id)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.department_id:
        cases = cases.filter(lead_department_id=filters.department_id)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.date_from:
        cases = cases.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        cases = cases.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.query:
        cases = cases.filter(case_search_q(filters.query))
    if filters.queue == Queue.MINE:
        cases = cases.distinct()
    order = "due_at" if filters.queue in (Queue.DUE_SOON, Queue.OVERDUE, Queue.OPEN) else "-created_at"
    return cases.order_by(order, "-id")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def queue_counts_for_user(user) -> dict[str, int]:
    cases = case_list_for_user(user)
    now = clock.now()
    return {q: cases.filter(queue_filter(q, user=user, now=now)).count() for q in QUEUES if q != Queue.ALL}


# --- public ------------------------------------------------------------------------------


def disclosure_list() -> QuerySet[Case]:
    """Answered cases whose residents agreed to publication. Views show no personal data."""
    return (
        Case.objects.filter(publish_consent=True, first_answered_at__isnull=False, duplicate_of__isnull=True)
        .exclude(reply_text="", closing_reason="")
        .select_related("place", "category", "lead_department")
        .order_by("-first_answered_at")
    )


# --- the staff screens --------------------------------------------------------------------

# Personal data (the resident's name and phone) is shown to those who work with the resident:
# station staff and congress offices of the case's place, and the lead department, which calls
# the resident back. Helper departments, deputies and leaders do not see it; the intake page
# promises residents exactly this ("only the station staff and the department handling it").


def case_contact_visible(user, case: Case) -> bool:
    """Whether `user` may see the resident's name and phone on `case` (no queries)."""
    scope = user_scope(user)
    if scope.is_admin:
        return True
    path = case.place.path
    if any(path.startswith(p) for p in scope.office_paths + scope.station_paths):
        return True
    if case.station_id is not None and case.station_id in scope.station_ids:
        return True
    return case.lead_department_id is not None and case.lead_department_id in scope.department_ids


def user_may_see_any_contact(user) -> bool:
    """Whether an export for `user` needs the personal-data columns at all."""
    scope = user_scope(user)
    return scope.is_admin or bool(scope.office_paths or scope.station_ids or scope.department_ids)


def case_duplicates_for_user(user, case: Case) -> QuerySet[Case]:
    return case_list_for_user(user).filter(duplicate_of=case).order_by("created_at")


def case_original_for_user(user, case: Case) -> Case | None:
    """The case this one duplicates, if the user may see it."""
    if case.duplicate_of_id is None:
        return None
    return case_list_for_user(user).filter(pk=case.duplicate_of_id).first()


def case_followers(case: Case) -> QuerySet[CaseFollow]:
    return case.follows.select_related("user").order_by("created_at")


def case_photo_for_user(user, pk: int) -> CasePhoto:
    photo = CasePhoto.objects.filter(pk=pk, case__in=case_list_for_user(user)).first()
    if photo is None:
        raise Http404
    return photo
