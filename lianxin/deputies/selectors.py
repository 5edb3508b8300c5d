"""Reads of deputies and stations for the QR code pages. Scope comes from places.scope;
a deputy or station out of scope and a missing one look the same (Http404)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from lianxin.places.models import Place, Station
from lianxin.places.scope import deputy_list_for_user, station_list_for_user, user_scope

from .models import Deputy


def deputy_search_for_user(user, query: str = "") -> QuerySet[Deputy]:
    """The deputies the user may see, matching a name, a station name or an exact QR token."""
    deputies = deputy_list_for_user(user).select_related("station").prefetch_related("grids")
    query = query.strip()
    if query:
        deputies = deputies.filter(
            Q(name__icontains=query) | Q(station__name__icontains=query) | Q(qr_token__iexact=query)
        )
    return deputies.order_by("station__code", "name", "pk")


def deputy_get_for_user(user, pk: int) -> Deputy:
    deputy = deputy_list_for_user(user).select_related("station__place").filter(pk=pk).first()
    if deputy is None:
        raise Http404
    return deputy


def own_deputy_for_user(user) -> Deputy | None:
    """The deputy record of the user who is a deputy (for "your own code" at the top)."""
    deputy_id = user_scope(user).deputy_id
    if deputy_id is None:
        return None
    return Deputy.objects.select_related("station").filter(pk=deputy_id).first()


def station_list_with_place_for_user(user) -> QuerySet[Station]:
    return station_list_for_user(user).select_related("place").order_by("code")


def station_get_for_user(user, pk: int) -> Station:
    station = station_list_for_user(user).select_related("place").filter(pk=pk).first()
    if station is None:
        raise Http404
    return station


def place_trail(place: Place) -> list[Place]:
    """The place and its ancestors, district first, in one query (the path holds the codes)."""
    codes = [code for code in place.path.split("/") if code]
    prefixes = ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
    return list(Place.objects.filter(path__in=prefixes).order_by("depth"))
