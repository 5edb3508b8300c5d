"""Reads for the public Open311 endpoints. Nobody is logged in there, so these decide
what is public: every request posted through Open311 (its app published it through a
public API), and the cases whose residents agreed to publication once answered (the same
rule as the disclosure page). Views still strip personal data (see open311_present)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _

from lianxin.cases.models import Case, Channel
from lianxin.cases.workflow import OPEN_STATUSES, Status
from lianxin.core.errors import ApplicationError
from lianxin.places.models import Category, Place, PlaceKind
from lianxin.places.scope import category_list

# GeoReport "closed" means the city has dealt with the request: for us, the resident
# has an answer (replied, rated or closed). A 1–2 star rating reopens it to "open".
OPEN311_STATUSES = {
    "open": sorted(OPEN_STATUSES),
    "closed": [Status.REPLIED, Status.RATED, Status.CLOSED],
}
MAX_RESULTS = 1000  # the spec's limit for one GET requests


def parse_request_id(text: str) -> int | None:
    """Our ids are decimal strings; anything else (or too long for a bigint) matches nothing."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def open311_status(case: Case) -> str:
    return "open" if case.status in OPEN_STATUSES else "closed"


# --- services (our categories) --------------------------------------------------------------


def open311_service_list() -> QuerySet[Category]:
    return category_list().order_by("sort_order", "code")


def open311_changeset() -> datetime | None:
    """When the service list last changed (discovery's `changeset`)."""
    return Category.objects.aggregate(latest=Max("updated_at"))["latest"]


def open311_service_get(code: str) -> Category:
    category = category_list().filter(code=code).first()
    if category is None:
        raise ApplicationError(_("Unknown service_code: %(code)s.") % {"code": code}, code="unknown_service")
    return category


# --- jurisdictions (our districts) ----------------------------------------------------------


def _districts() -> QuerySet[Place]:
    return Place.objects.filter(kind=PlaceKind.DISTRICT, parent__isnull=True)


def jurisdiction_place(jurisdiction_id: str) -> Place:
    """The district a request belongs to: the one named, or the only one there is."""
    if jurisdiction_id:
        place = _districts().filter(code=jurisdiction_id).first()
        if place is None:
            raise ApplicationError(
                _("Unknown jurisdiction_id: %(code)s.") % {"code": jurisdiction_id}, code="unknown_jurisdiction"
            )
        return place
    districts = list(_districts()[:2])
    if len(districts) != 1:
        raise ApplicationError(_("Please give a jurisdiction_id."), code="jurisdiction_required")
    return districts[0]


# --- service requests -----------------------------------------------------------------------


@dataclass(frozen=True)
class RequestQuery:
    """GET requests filters, parsed (see open311_params.parse_request_query)."""

    ids: tuple[int, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()
    jurisdiction_id: str = ""
    has_ids: bool = False


def _public_cases() -> QuerySet[Case]:
    consented = Q(publish_consent=True, first_answered_at__isnull=False)
    return Case.objects.filter(Q(channel=Channel.OPEN311) | consented).select_related(
        "category", "lead_department", "place"
    )


def open311_request_list(query: RequestQuery) -> list[Case]:
    cases = _public_cases()
    if query.jurisdiction_id:
        cases = cases.filter(jurisdiction_place(query.jurisdiction_id).subtree_q("place"))
    # The spec: service_request_id overrides every other filter.
    cases = cases.filter(pk__in=query.ids) if query.has_ids else _filtered(cases, query)
    return list(cases.order_by("-created_at", "-id")[:MAX_RESULTS])


def _filtered(cases: QuerySet[Case], query: RequestQuery) -> QuerySet[Case]:
    if query.service_codes:
        cases = cases.filter(category__code__in=query.service_codes)
    if query.statuses:
        cases = cases.filter(status__in=[s for name in query.statuses for s in OPEN311_STATUSES[name]])
    if query.start:
        cases = cases.filter(created_at__gte=query.start)
    if query.end:
        cases = cases.filter(created_at__lte=query.end)
    return cases


def open311_request_get(request_id: str, *, jurisdiction_id: str = "") -> Case:
    """One public request by its id; a missing and a non-public one look the same."""
    cases = _public_cases()
    if jurisdiction_id:
        cases = cases.filter(jurisdiction_place(jurisdiction_id).subtree_q("place"))
    pk = parse_request_id(request_id)
    case = cases.filter(pk=pk).first() if pk is not None else None
    if case is None:
        raise ApplicationError(_("Unknown service_request_id: %(id)s.") % {"id": request_id}, code="not_found")
    return case


def open311_token_get(token: str) -> Case:
    case = _public_cases().filter(open311_token__token=token).first()
    if case is None:
        raise ApplicationError(_("Unknown token: %(token)s.") % {"token": token}, code="not_found")
    return case
