"""GET /api/v1/cockpit: the cockpit's figures as JSON, for a bearer token's user, from the
same selector as the page (the rollups). Bad input is a 400 with a message in the caller's
language; a place the caller may not see is a 404, like on the page."""

from datetime import date, datetime

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from lianxin.core import clock
from lianxin.core.errors import ApplicationError
from lianxin.places.models import Category, Place

from . import selectors

router = Router(tags=["cockpit"])


class CockpitParams(Schema):
    place: str = Field("", description="Place code; empty: all the caller's top places")
    date_from: str = Field(
        "", alias="from", description="First day received, YYYY-MM-DD (default: 11 months before the current month)"
    )
    date_to: str = Field("", alias="to", description="Last day received, YYYY-MM-DD (default: today)")
    category: str = Field("", description="Category code; empty: all")


class Figures(Schema):
    received: int
    answered: int
    answered_48h: int
    pending_48h: int
    eligible_48h: int
    rate_48h: float | None
    closed: int
    rated: int
    rating_avg: float | None
    satisfied: int
    satisfied_share: float | None
    adopted: int


class Totals(Figures):
    overdue_now: int


class CategoryRow(Figures):
    code: str
    name: str


class PlaceRow(Figures):
    code: str
    name: str
    drill_down: bool


class DepartmentRow(Figures):
    name: str
    overdue_now: int
    escalated: int
    returned: int


class MonthRow(Schema):
    month: date
    received: int
    answered: int
    closed: int


class WeekRow(Schema):
    week: date
    received: int
    answered: int
    closed: int


class ChannelRow(Schema):
    channel: str
    label: str
    received: int


class StationRow(Schema):
    name: str
    brought_in: int
    urged: int
    followed: int


class DeputyTotals(Schema):
    brought_in: int
    urged: int
    followed: int
    active_deputies: int


class Deputies(Schema):
    stations: list[StationRow]
    totals: DeputyTotals


class OverdueRow(Schema):
    id: str
    place: str
    category: str | None
    department: str | None
    due_at: datetime
    hours_overdue: int


class PlaceOut(Schema):
    code: str
    name: str


class CockpitOut(Schema):
    places: list[PlaceOut]
    date_from: date = Field(..., alias="from")
    date_to: date = Field(..., alias="to")
    category: str | None
    generated_at: datetime
    totals: Totals
    by_category: list[CategoryRow]
    by_place: list[PlaceRow]
    by_month: list[MonthRow]
    by_week: list[WeekRow]
    by_channel: list[ChannelRow]
    departments: list[DepartmentRow]
    deputies: Deputies
    overdue: list[OverdueRow]


@router.get("", response=CockpitOut, by_alias=True, summary="The cockpit's figures for a place and period")
def cockpit(request: HttpRequest, params: Query[CockpitParams]) -> dict:
    user = request.user
    today = timezone.localdate(clock.now())
    default_from, default_to = selectors.default_period(today)
    date_from = _date(params.date_from, "from") or default_from
    date_to = _date(params.date_to, "to") or default_to
    if date_from > date_to:
        raise ApplicationError(_("The start date is after the end date."), code="bad_period")
    if len(selectors.months_between(date_from, date_to)) > selectors.MAX_MONTHS:
        raise ApplicationError(
            _("Please choose at most %(months)d months.") % {"months": selectors.MAX_MONTHS}, code="bad_period"
        )
    category = None
    if params.category:
        category = Category.objects.filter(code=params.category).first()
        if category is None:
            raise ApplicationError(_("This category does not exist."), code="bad_category")
    roots = selectors.cockpit_roots(user)
    place = roots[0] if len(roots) == 1 else None  # as on the page: the only top place, or all of them
    if params.place:
        place = Place.objects.filter(code=params.place).first()
        if place is None:
            raise Http404
    figures = selectors.cockpit_figures(user, place=place, date_from=date_from, date_to=date_to, category=category)
    return _out(figures, [place] if place is not None else roots)


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(
            _("“%(typed)s” is not a date (YYYY-MM-DD).") % {"typed": value[:40]}, code=f"bad_{name}"
        ) from None


def _out(figures: dict, roots: list[Place]) -> dict:
    category = figures["category"]
    return {
        "places": [{"code": p.code, "name": p.name} for p in roots],
        "from": figures["date_from"],
        "to": figures["date_to"],
        "category": category.code if category else None,
        "generated_at": timezone.localtime(figures["now"]),
        "totals": figures["totals"],
        "by_category": figures["by_category"],
        "by_place": [row | {"drill_down": row["place_id"] is not None} for row in figures["by_place"]],
        "by_month": figures["by_month"],
        "by_week": figures["by_week"],
        "by_channel": figures["by_channel"],
        "departments": figures["departments"],
        "deputies": figures["deputies"],
        "overdue": [row | {"id": str(row["case_id"])} for row in figures["overdue"]],
    }
