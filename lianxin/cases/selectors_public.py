"""Reads for the residents' pages: no user, so only what anyone may see."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from lianxin.deputies.models import Deputy
from lianxin.places.models import Category, Place, PlaceKind, Station

from .models import Case, Channel
from .selectors import disclosure_list


@dataclass(frozen=True)
class IntakeTarget:
    """Whose QR code was scanned, and where the opinion it receives belongs."""

    channel: str
    station: Station
    place: Place
    deputy: Deputy | None = None
    grids: tuple[Place, ...] = ()

    @property
    def token(self) -> str:
        return self.deputy.qr_token if self.deputy is not None else self.station.qr_token

    @property
    def active(self) -> bool:
        if self.deputy is not None and not self.deputy.active:
            return False
        return self.station.active


def intake_target(token: str) -> IntakeTarget:
    """The deputy ("D…") or station ("S…") behind a QR token; Http404 when there is none."""
    token = (token or "").strip().upper()
    if token.startswith("D"):
        return _deputy_target(token)
    if token.startswith("S"):
        return _station_target(token)
    raise Http404


def _deputy_target(token: str) -> IntakeTarget:
    deputy = Deputy.objects.select_related("station__place").filter(qr_token=token).first()
    if deputy is None:
        raise Http404
    grids = tuple(deputy.grids.order_by("path"))
    # The deputy's own grid is where the resident met him or her; without one, the station's place.
    place = grids[0] if grids else deputy.station.place
    return IntakeTarget(Channel.DEPUTY_QR, deputy.station, place, deputy=deputy, grids=grids)


def _station_target(token: str) -> IntakeTarget:
    station = Station.objects.select_related("place").filter(qr_token=token).first()
    if station is None:
        raise Http404
    return IntakeTarget(Channel.STATION_QR, station, station.place)


def stations_by_town() -> list[tuple[str, list[Station]]]:
    """Active stations grouped under their town (a central station under its district)."""
    stations = Station.objects.filter(active=True).select_related("place__parent").order_by("place__path", "code")
    groups: dict[str, list[Station]] = {}
    for station in stations:
        groups.setdefault(_town_name(station.place), []).append(station)
    return list(groups.items())


def _town_name(place: Place) -> str:
    if place.kind == PlaceKind.COMMUNITY and place.parent is not None:
        return place.parent.name
    return place.name


def community_of(place: Place) -> Place:
    """A grid is too precise to publish: show the community it belongs to."""
    if place.kind == PlaceKind.GRID and place.parent is not None:
        return place.parent
    return place


def public_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).order_by("sort_order", "code")


def towns() -> QuerySet[Place]:
    return Place.objects.filter(kind=PlaceKind.TOWN).order_by("path")


def disclosure_filtered(*, category: Category | None = None, town: Place | None = None) -> QuerySet[Case]:
    cases = disclosure_list().select_related("place__parent")
    if category is not None:
        cases = cases.filter(category=category)
    if town is not None:
        cases = cases.filter(place__path__startswith=town.path)
    return cases
