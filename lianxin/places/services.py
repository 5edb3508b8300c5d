"""Writes to the place tree and its reference data."""

from django.db import transaction

from lianxin.core.codes import random_code
from lianxin.core.errors import ApplicationError

from .models import Category, Department, Place, PlaceKind, Station

_CHILD_KIND = {
    None: PlaceKind.DISTRICT,
    PlaceKind.DISTRICT: PlaceKind.TOWN,
    PlaceKind.TOWN: PlaceKind.COMMUNITY,
    PlaceKind.COMMUNITY: PlaceKind.GRID,
}


def place_path(*, code: str, parent: Place | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def place_create(*, code: str, name: str, parent: Place | None = None) -> Place:
    kind = _CHILD_KIND.get(parent.kind if parent else None)
    if kind is None:
        raise ApplicationError("A grid cannot have children.", code="place_depth")
    return Place.objects.create(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        path=place_path(code=code, parent=parent),
        depth=(parent.depth + 1) if parent else 0,
    )


def new_station_token() -> str:
    return "S" + random_code(6)


@transaction.atomic
def station_create(
    *,
    code: str,
    name: str,
    place: Place,
    served: list[Place] | None = None,
    address: str = "",
    is_central: bool = False,
) -> Station:
    station = Station.objects.create(
        code=code, name=name, place=place, address=address, is_central=is_central, qr_token=new_station_token()
    )
    station.served_places.set(served or [place])
    return station


def department_create(*, code: str, name: str, place: Place, email: str = "") -> Department:
    return Department.objects.create(code=code, name=name, place=place, email=email)


def category_create(*, code: str, name_zh: str, name_en: str, sort_order: int = 100) -> Category:
    return Category.objects.create(code=code, name_zh=name_zh, name_en=name_en, sort_order=sort_order)
