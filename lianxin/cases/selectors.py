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
from lianxin.triage.text import tokens

from .models import Case, CaseEvent
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
            return Q(lead_department_id__in=scope.department_ids, status__in=AWAITING_REPLY | {Status.REPLIED}) | Q(
                follows__user=user
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
    """Chinese search: every segmented word must appear as a token, or the phrase as text."""
    query = query.strip()
    if not query:
        return Q()
    words = tokens(query)
    by_tokens = Q()
    for word in words:
        by_tokens &= Q(search_text__contains=f" {word} ")
    phrase = Q(text__icontains=query) | Q(tracking_code=normalize_code(query)) | Q(address__icontains=query)
    return (by_tokens | phrase) if words else phrase


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
