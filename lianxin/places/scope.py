"""Who may see what. Every selector that returns objects to a user filters through here.

A user's scope is the union of his or her roles: offices and leaders see the subtree of
their place; station staff and deputies see the communities their station serves (and,
for deputies, the cases brought through their own code or followed by them); department
handlers see the cases assigned to their department (lead or helper). Admins see all.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from lianxin.accounts.models import Membership, Role
from lianxin.cases.workflow import Actor

from .models import Category, Department, Place, Station

_NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    is_admin: bool = False
    office_paths: tuple[str, ...] = ()  # congress office
    leader_paths: tuple[str, ...] = ()
    station_ids: tuple[int, ...] = ()  # station staff
    station_paths: tuple[str, ...] = ()  # places served by the staff's stations
    deputy_id: int | None = None
    deputy_station_id: int | None = None
    deputy_paths: tuple[str, ...] = ()
    department_ids: tuple[int, ...] = ()
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def place_paths(self) -> tuple[str, ...]:
        """Every subtree root this user can see."""
        return self.office_paths + self.leader_paths + self.station_paths + self.deputy_paths

    @property
    def is_staff_like(self) -> bool:
        return bool(self.roles) or self.is_admin


def user_scope(user) -> Scope:
    """The scope of a user, computed once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, "_lianxin_scope", None)
    if cached is not None:
        return cached
    scope = _build_scope(user)
    user._lianxin_scope = scope
    return scope


def _build_scope(user) -> Scope:
    memberships = list(Membership.objects.filter(user=user).select_related("place", "station__place", "department"))
    roles = frozenset(m.role for m in memberships)
    staff_stations = [m.station for m in memberships if m.role == Role.STATION_STAFF]
    deputy = _active_deputy(user)
    return Scope(
        user_id=user.pk,
        is_admin=user.is_superuser or Role.ADMIN in roles,
        office_paths=tuple(m.place.path for m in memberships if m.role == Role.CONGRESS_OFFICE),
        leader_paths=tuple(m.place.path for m in memberships if m.role == Role.LEADER),
        station_ids=tuple(s.pk for s in staff_stations),
        station_paths=_served_paths(staff_stations),
        deputy_id=deputy.pk if deputy else None,
        deputy_station_id=deputy.station_id if deputy else None,
        deputy_paths=_served_paths([deputy.station]) if deputy else (),
        department_ids=tuple(m.department_id for m in memberships if m.role == Role.DEPARTMENT_HANDLER),
        roles=roles | ({Role.DEPUTY} if deputy else frozenset()),
    )


def _active_deputy(user):
    from lianxin.deputies.models import Deputy

    return Deputy.objects.filter(user=user, active=True).select_related("station").first()


def _served_paths(stations: list[Station]) -> tuple[str, ...]:
    if not stations:
        return ()
    served = Place.objects.filter(serving_stations__in=stations).values_list("path", flat=True)
    return tuple(sorted(set(served)))


def _under(paths: tuple[str, ...], field_name: str) -> Q:
    return reduce(or_, (Q(**{f"{field_name}__startswith": p}) for p in paths), _NOTHING)


def path_in_scope(paths: tuple[str, ...], path: str) -> bool:
    return any(path.startswith(p) for p in paths)


# --- one scope function per object type -------------------------------------------------


def case_scope_q(scope: Scope) -> Q:
    """The cases a user may see, as a filter on cases.Case (no joins: no duplicate rows)."""
    from lianxin.cases.models import Case, CaseFollow

    if scope.is_admin:
        return Q()
    q = _under(scope.place_paths, "place__path")
    if scope.station_ids:
        q |= Q(station_id__in=scope.station_ids)
    if scope.deputy_id:
        followed = CaseFollow.objects.filter(user_id=scope.user_id).values("case_id")
        q |= Q(deputy_id=scope.deputy_id) | Q(pk__in=followed)
    if scope.department_ids:
        helped = Case.helper_departments.through.objects.filter(department_id__in=scope.department_ids)
        q |= Q(lead_department_id__in=scope.department_ids) | Q(pk__in=helped.values("case_id"))
    return q


def place_list_for_user(user) -> QuerySet[Place]:
    scope = user_scope(user)
    if scope.is_admin:
        return Place.objects.all()
    return Place.objects.filter(_under(scope.place_paths, "path"))


def station_list_for_user(user) -> QuerySet[Station]:
    scope = user_scope(user)
    if scope.is_admin:
        return Station.objects.all()
    q = _under(scope.place_paths, "place__path") | Q(pk__in=scope.station_ids)
    if scope.deputy_station_id:
        q |= Q(pk=scope.deputy_station_id)
    return Station.objects.filter(q)


def department_list_for_user(user) -> QuerySet[Department]:
    """Departments a user may assign to or see: those of the places above and below his own."""
    scope = user_scope(user)
    if scope.is_admin:
        return Department.objects.all()
    paths = scope.place_paths
    ancestors = {p[: i + 1] for p in paths for i, ch in enumerate(p) if ch == "/"}
    q = _under(paths, "place__path") | Q(place__path__in=ancestors) | Q(pk__in=scope.department_ids)
    return Department.objects.filter(q)


def deputy_list_for_user(user):
    from lianxin.deputies.models import Deputy

    scope = user_scope(user)
    if scope.is_admin:
        return Deputy.objects.all()
    q = _under(scope.place_paths, "station__place__path") | Q(station_id__in=scope.station_ids)
    if scope.deputy_id:
        q |= Q(pk=scope.deputy_id)
    return Deputy.objects.filter(q)


def may_record_opinions(scope: Scope) -> bool:
    """Station staff, deputies and offices enter opinions received in person; departments,
    leaders and administrators (without one of those roles) do not."""
    return bool(scope.station_ids or scope.deputy_id or scope.office_paths)


def has_place_scope(scope: Scope) -> bool:
    """Whether the user has places to look at (the cockpit); department handlers do not."""
    return scope.is_admin or bool(scope.place_paths)


def category_list() -> QuerySet[Category]:
    return Category.objects.filter(active=True)


# --- what a user may do to one case ------------------------------------------------------


def case_actors(scope: Scope, case) -> set[Actor]:
    """The workflow actors this user is for this case (empty: the case is out of scope)."""
    path = case.place.path
    actors: set[Actor] = set()
    if scope.is_admin:
        actors.add(Actor.ADMIN)
    if path_in_scope(scope.office_paths, path):
        actors.add(Actor.CONGRESS_OFFICE)
    if path_in_scope(scope.station_paths, path) or case.station_id in scope.station_ids:
        actors.add(Actor.STATION_STAFF)
    if scope.deputy_id and (path_in_scope(scope.deputy_paths, path) or case.deputy_id == scope.deputy_id):
        actors.add(Actor.DEPUTY)
    if path_in_scope(scope.leader_paths, path):
        actors.add(Actor.LEADER)
    if case.lead_department_id and case.lead_department_id in scope.department_ids:
        actors.add(Actor.DEPARTMENT_HANDLER)
    elif scope.department_ids and _is_helper(case, scope.department_ids):
        actors.add(Actor.HELPER_HANDLER)
    return actors


def _is_helper(case, department_ids: tuple[int, ...]) -> bool:
    return any(d.pk in department_ids for d in case.helper_departments.all())
