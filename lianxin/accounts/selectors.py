"""Who is to be told: the people behind a department or a place's office."""

from django.db.models import QuerySet

from lianxin.places.models import Department, Place

from .models import Membership, Role, User


def department_handlers(department: Department) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, memberships__role=Role.DEPARTMENT_HANDLER, memberships__department=department
    ).distinct()


def office_users_for_place(place: Place) -> QuerySet[User]:
    """Congress-office users of the place or any place above it, nearest first not needed."""
    ancestors = [place.path[: i + 1] for i, ch in enumerate(place.path) if ch == "/" and i > 0]
    return User.objects.filter(
        is_active=True, memberships__role=Role.CONGRESS_OFFICE, memberships__place__path__in=ancestors
    ).distinct()


def station_staff_for(station_id: int | None) -> QuerySet[User]:
    if station_id is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True, memberships__role=Role.STATION_STAFF, memberships__station_id=station_id
    ).distinct()


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("place", "station", "department")
