"""Who may do what with a ballot. Kept in this app (not places/scope.py) because it only
combines two existing scope facts: the congress office's place paths, and the deputy."""

from lianxin.places.scope import path_in_scope, user_scope

from .models import Ballot, Elector
from .workflow import Role


def may_manage_place(user, place) -> bool:
    """Open, close, record presence, enter paper ballots: the congress office of the place
    (or of a place above it), and administrators."""
    scope = user_scope(user)
    return scope.is_admin or path_in_scope(scope.office_paths, place.path)


def elector_for(user, ballot: Ballot) -> Elector | None:
    scope = user_scope(user)
    if not scope.deputy_id:
        return None
    return Elector.objects.filter(ballot=ballot, deputy_id=scope.deputy_id).first()


def roles_for(user, ballot: Ballot) -> set[Role]:
    roles: set[Role] = set()
    if may_manage_place(user, ballot.place):
        roles.add(Role.OFFICE)
    if elector_for(user, ballot) is not None:
        roles.add(Role.ELECTOR)
    return roles


def may_see(user, ballot: Ballot) -> bool:
    """The ballot's page and, once closed, its results: the office, electors, and leaders
    whose place covers the ballot's place."""
    scope = user_scope(user)
    return bool(roles_for(user, ballot)) or path_in_scope(scope.leader_paths, ballot.place.path)
