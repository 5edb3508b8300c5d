"""Who each persona is for a town's round (the actors the state table speaks of), and which
rounds each sees: a town's office never another town's round."""

import pytest

from lianxin.core.errors import ApplicationError
from lianxin.projects.access import round_actors
from lianxin.projects.selectors import round_list_for_user
from lianxin.projects.services import round_create
from lianxin.projects.workflow import Actor

from .conftest import adopted_project


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("office1", {Actor.OFFICE}),
        ("district_office", {Actor.OFFICE}),
        ("office2", set()),
        ("staff1", {Actor.STATION_STAFF}),
        ("deputy_user", {Actor.DEPUTY}),
        ("leader", {Actor.LEADER}),
        ("handler_a", {Actor.DEPARTMENT}),
        ("handler_b", set()),
        ("admin", {Actor.ADMIN}),
        ("outsider", set()),
    ],
)
def test_actors_of_each_persona_on_a_towns_round(world, round_, persona, expected):
    adopted_project(round_, world)  # led by dept_a
    assert round_actors(getattr(world, persona), round_) == expected


def test_each_office_sees_only_its_own_towns_round(world, round_):
    other = round_create(place=world.town2, year=2026, title="西山镇2026年民生实事项目", actor=world.office2)
    assert list(round_list_for_user(world.office1)) == [round_]
    assert list(round_list_for_user(world.office2)) == [other]
    assert set(round_list_for_user(world.district_office)) == {round_, other}
    assert list(round_list_for_user(world.deputy_user)) == [round_]


def test_district_round_is_seen_by_the_towns_deputies_and_staff(world, round_):
    district = round_create(
        place=world.district, year=2026, title="示范区2026年民生实事项目", actor=world.district_office
    )
    assert district in round_list_for_user(world.deputy_user)
    assert district in round_list_for_user(world.staff1)
    assert district not in round_list_for_user(world.office1)  # a town's office does not run the district's round
    with pytest.raises(ApplicationError):
        round_create(place=world.district, year=2027, title="越权", actor=world.office1)
