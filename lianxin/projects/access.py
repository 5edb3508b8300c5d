"""Who a user is for a round, on top of places.scope: one function, used by every service
and selector of this app. A round is seen by the offices and leaders of its place or above,
by staff and deputies of stations inside its place, by handlers of its projects' lead
departments, and by administrators; anyone else gets nothing (404)."""

from django.db.models import Q

from lianxin.places.scope import Scope, path_in_scope, user_scope

from .workflow import Actor


def _deputy_place_path(scope: Scope) -> str | None:
    if not scope.deputy_id:
        return None
    from lianxin.deputies.models import Deputy

    return Deputy.objects.filter(pk=scope.deputy_id).values_list("station__place__path", flat=True).first()


def _staff_place_paths(scope: Scope) -> list[str]:
    if not scope.station_ids:
        return []
    from lianxin.places.models import Station

    return list(Station.objects.filter(pk__in=scope.station_ids).values_list("place__path", flat=True))


def round_actors(user, round_, project=None) -> set[Actor]:
    """The workflow actors `user` is for `round_` (and, for PROGRESS, one of its projects)."""
    if user is None:
        return {Actor.SYSTEM}
    scope = user_scope(user)
    path = round_.place.path
    actors: set[Actor] = set()
    if scope.is_admin:
        actors.add(Actor.ADMIN)
    if path_in_scope(scope.office_paths, path):
        actors.add(Actor.OFFICE)
    if path_in_scope(scope.leader_paths, path):
        actors.add(Actor.LEADER)
    if any(p.startswith(path) for p in _staff_place_paths(scope)):
        actors.add(Actor.STATION_STAFF)
    deputy_path = _deputy_place_path(scope)
    if deputy_path and deputy_path.startswith(path):
        actors.add(Actor.DEPUTY)
    if scope.department_ids:
        projects = [project] if project is not None else list(round_.candidates.all())
        if any(p.department_id in scope.department_ids for p in projects):
            actors.add(Actor.DEPARTMENT)
    return actors


def round_scope_q(user) -> Q:
    """The rounds a user may see, as a filter on projects.Round."""
    scope = user_scope(user)
    if scope.is_admin:
        return Q()
    q = Q(pk__in=[])
    for p in scope.office_paths + scope.leader_paths:
        q |= Q(place__path__startswith=p)
    for p in _staff_place_paths(scope) + [x for x in [_deputy_place_path(scope)] if x]:
        # Every ancestor of the station's place is a place whose round concerns this person.
        ancestors = [p[: i + 1] for i, ch in enumerate(p) if ch == "/" and i > 0]
        q |= Q(place__path__in=ancestors)
    if scope.department_ids:
        from .models import Candidate

        q |= Q(pk__in=Candidate.objects.filter(department_id__in=scope.department_ids).values("round_id"))
    return q
