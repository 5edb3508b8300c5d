"""The scope matrix: each persona × each object type × each place relation."""

import pytest
from django.http import Http404

from lianxin.cases import services
from lianxin.cases.selectors import case_get_for_user, case_list_for_user
from lianxin.places.scope import (
    department_list_for_user,
    deputy_list_for_user,
    place_list_for_user,
    station_list_for_user,
)


@pytest.fixture
def cases(world):
    """One case in each town; the town-1 case is assigned to department A with B helping."""
    east = world.opinion()
    west = world.opinion(place=world.community2, text="村口的桥栏杆松动了，孩子上学经过很危险。")
    services.case_triage(case=east, actor=world.office1, category=world.category)
    services.case_assign(case=east, actor=world.office1, department=world.dept_a, helpers=[world.dept_b])
    return {"east": east, "west": west}


# persona → which of the two cases it must see
CASE_MATRIX = {
    "admin": {"east", "west"},
    "district_office": {"east", "west"},
    "leader": {"east", "west"},
    "office1": {"east"},
    "office2": {"west"},
    "staff1": {"east"},
    "deputy_user": {"east"},
    "handler_a": {"east"},
    "handler_b": {"east"},  # helper department
    "outsider": set(),
}


@pytest.mark.parametrize(("persona", "expected"), CASE_MATRIX.items())
def test_case_list_and_detail_follow_scope(world, cases, persona, expected):
    user = getattr(world, persona)
    listed = {name for name, case in cases.items() if case_list_for_user(user).filter(pk=case.pk).exists()}
    assert listed == expected
    for name, case in cases.items():
        if name in expected:
            assert case_get_for_user(user, case.pk) == case
        else:
            with pytest.raises(Http404):
                case_get_for_user(user, case.pk)


def test_case_list_has_no_duplicate_rows_when_a_user_matches_twice(world, cases):
    from lianxin.accounts.models import Membership, Role

    Membership.objects.create(user=world.handler_a, role=Role.DEPARTMENT_HANDLER, department=world.dept_b)
    world.handler_a.__dict__.pop("_lianxin_scope", None)
    assert case_list_for_user(world.handler_a).count() == 1


def test_department_loses_sight_of_a_case_it_returned(world, cases):
    east = cases["east"]
    services.case_return(case=east, actor=world.handler_a, reason="不属于本部门职责")
    assert not case_list_for_user(world.handler_a).filter(pk=east.pk).exists()


def test_unassigned_case_is_invisible_to_every_department(world):
    case = world.opinion()
    for handler in (world.handler_a, world.handler_b):
        assert not case_list_for_user(handler).filter(pk=case.pk).exists()


def test_anonymous_user_sees_nothing(world, cases):
    from django.contrib.auth.models import AnonymousUser

    assert not case_list_for_user(AnonymousUser()).exists()


PLACE_MATRIX = {
    "admin": {"d", "t1", "t2", "c1", "c2", "g1"},
    "district_office": {"d", "t1", "t2", "c1", "c2", "g1"},
    "office1": {"t1", "c1", "g1"},
    "office2": {"t2", "c2"},
    "staff1": {"c1", "g1"},
    "deputy_user": {"c1", "g1"},
    "handler_a": set(),
    "outsider": set(),
}


@pytest.mark.parametrize(("persona", "expected"), PLACE_MATRIX.items())
def test_places_follow_scope(world, persona, expected):
    assert set(place_list_for_user(getattr(world, persona)).values_list("code", flat=True)) == expected


STATION_MATRIX = {
    "district_office": {"s1", "s2"},
    "office1": {"s1"},
    "office2": {"s2"},
    "staff1": {"s1"},
    "deputy_user": {"s1"},
    "handler_a": set(),
    "outsider": set(),
}


@pytest.mark.parametrize(("persona", "expected"), STATION_MATRIX.items())
def test_stations_follow_scope(world, persona, expected):
    assert set(station_list_for_user(getattr(world, persona)).values_list("code", flat=True)) == expected


DEPUTY_MATRIX = {"district_office": 1, "office1": 1, "office2": 0, "staff1": 1, "deputy_user": 1, "outsider": 0}


@pytest.mark.parametrize(("persona", "expected"), DEPUTY_MATRIX.items())
def test_deputies_follow_scope(world, persona, expected):
    assert deputy_list_for_user(getattr(world, persona)).count() == expected


def test_town_office_may_assign_to_district_departments_but_outsider_to_none(world):
    assert set(department_list_for_user(world.office1)) == {world.dept_a, world.dept_b}
    assert not department_list_for_user(world.outsider).exists()
    assert set(department_list_for_user(world.handler_a)) == {world.dept_a}
