"""The work page: tabs per role, filters, Chinese search, pagination, query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lianxin.cases import services
from lianxin.cases.selectors import CaseFilters, case_filter_for_user, queue_counts_for_user
from lianxin.core import clock
from lianxin.core.codes import format_tracking_code
from tests.staff.conftest import assigned_to_a


def _codes(response) -> set[str]:
    return {c.tracking_code for c in response.context["page"]}


@pytest.mark.parametrize(
    ("persona", "queue"),
    [("handler_a", "mine"), ("office1", "triage"), ("staff1", "triage"), ("deputy_user", "open"), ("leader", "all")],
)
def test_default_tab_follows_the_role(world, as_user, persona, queue):
    response = as_user(getattr(world, persona)).get("/desk/")
    assert response.status_code == 200
    assert response.context["queue"] == queue


def test_leader_has_no_triage_tab_and_departments_no_returned_tab(world, as_user):
    leader_tabs = [t[0] for t in as_user(world.leader).get("/desk/").context["tabs"]]
    handler_tabs = [t[0] for t in as_user(world.handler_a).get("/desk/").context["tabs"]]
    assert "triage" not in leader_tabs and "all" in leader_tabs
    assert "returned" not in handler_tabs and "mine" in handler_tabs


def test_an_unknown_queue_falls_back_to_the_default(world, as_user):
    assert as_user(world.leader).get("/desk/?queue=triage").context["queue"] == "all"


def test_tabs_show_counts(world, as_user):
    world.opinion()
    world.opinion()
    assigned_to_a(world)
    tabs = {key: count for key, _label, count in as_user(world.office1).get("/desk/").context["tabs"]}
    assert tabs["triage"] == 2 and tabs["open"] == 3


def test_followed_case_counts_once_in_mine_however_many_follow_it(world):
    from lianxin.accounts.models import Membership, Role
    from lianxin.deputies.services import deputy_create
    from tests.factories import UserFactory

    case = assigned_to_a(world)
    services.case_follow(case=case, actor=world.deputy_user)
    for n in range(2):
        user = UserFactory(username=f"deputy-extra-{n}")
        deputy_create(name=f"代表{n}", station=world.station1, user=user)
        services.case_follow(case=case, actor=user)
    Membership.objects.create(user=world.deputy_user, role=Role.DEPARTMENT_HANDLER, department=world.dept_a)
    world.deputy_user.__dict__.pop("_lianxin_scope", None)
    assert queue_counts_for_user(world.deputy_user)["mine"] == 1


def test_search_finds_a_word_inside_a_chinese_sentence(world, as_user):
    hit = world.opinion(text="小区门口的路灯坏了")
    miss = world.opinion(text="垃圾桶满了没人清理，气味很大。")
    response = as_user(world.office1).get("/desk/", {"queue": "all", "q": "路灯"})
    assert _codes(response) == {hit.tracking_code}
    assert miss.tracking_code not in _codes(response)


@pytest.mark.parametrize("query", ["路灯坏了", "门口路灯", "小区 路灯", "路灯，坏"])
def test_search_matches_realistic_queries_cut_differently_from_the_text(world, query):
    hit = world.opinion(text="小区门口的路灯坏了")
    world.opinion(text="垃圾桶满了没人清理，气味很大。")
    found = case_filter_for_user(world.office1, CaseFilters(query=query))
    assert list(found) == [hit]


def test_search_by_tracking_code_as_typed(world):
    case = world.opinion()
    world.opinion(text="另一件事情，和路灯无关。")
    typed = format_tracking_code(case.tracking_code).lower()
    assert list(case_filter_for_user(world.office1, CaseFilters(query=typed))) == [case]


def test_search_requires_every_word(world):
    world.opinion(text="小区门口的路灯坏了")
    assert not case_filter_for_user(world.office1, CaseFilters(query="路灯 噪音")).exists()


def test_filters_narrow_the_list_and_keep_their_values(world, as_user):
    phone = world.opinion(channel="phone", text="电话反映：楼道灯不亮了。")
    world.opinion(channel="station_qr")
    response = as_user(world.office1).get("/desk/", {"queue": "all", "channel": "phone", "q": "楼道"})
    assert _codes(response) == {phone.tracking_code}
    html = response.content.decode()
    assert '<option value="phone" selected>' in html
    assert 'value="楼道"' in html
    assert "/desk/export.csv?queue=all&amp;channel=phone&amp;q=%E6%A5%BC%E9%81%93" in html


def test_place_filter_covers_the_subtree_and_ignores_places_out_of_scope(world, as_user):
    here = world.opinion()
    world.opinion(place=world.community2)
    district = as_user(world.district_office)
    assert _codes(district.get("/desk/", {"queue": "all", "place": world.town1.pk})) == {here.tracking_code}
    # office1 may not choose town2: the invalid choice is ignored, and its scope still applies.
    response = as_user(world.office1).get("/desk/", {"queue": "all", "place": world.town2.pk})
    assert _codes(response) == {here.tracking_code}


def test_date_range_filter(world, as_user):
    with clock.frozen_at(clock.now() - timedelta(days=10)):
        old = world.opinion(text="十天前反映的路灯问题。")
    new = world.opinion()
    today = clock.now().date()
    office = as_user(world.office1)
    recent = office.get("/desk/", {"queue": "all", "date_from": (today - timedelta(days=1)).isoformat()})
    older = office.get("/desk/", {"queue": "all", "date_to": (today - timedelta(days=5)).isoformat()})
    assert _codes(recent) == {new.tracking_code} and _codes(older) == {old.tracking_code}


def test_a_bad_date_is_ignored_not_an_error(world, as_user):
    world.opinion()
    response = as_user(world.office1).get("/desk/", {"queue": "all", "date_from": "not-a-date"})
    assert response.status_code == 200 and len(_codes(response)) == 1


def test_overdue_case_shows_in_red_with_the_time_overdue(world, as_user):
    with clock.frozen_at(clock.now() - timedelta(days=5)):
        case = world.opinion()
    response = as_user(world.office1).get("/desk/?queue=overdue")
    assert _codes(response) == {case.tracking_code}
    assert '<span class="overdue">overdue 3 d' in response.content.decode()


def test_row_shows_only_the_first_60_characters_of_the_text(world, as_user):
    text = "路" * 59 + "灯后面的文字不应出现在列表里"
    world.opinion(text=text)
    html = as_user(world.office1).get("/desk/?queue=all").content.decode()
    assert "路" * 59 + "灯…" in html and "不应出现" not in html


def test_list_is_paginated_by_50(world, as_user):
    for n in range(51):
        world.opinion(text=f"第{n}件：小区门口路灯坏了。")
    office = as_user(world.office1)
    first, second = office.get("/desk/?queue=all"), office.get("/desk/?queue=all&page=2")
    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 1
    assert "page=2" in first.content.decode()


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/desk/?queue=all").status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(world, as_user, django_assert_max_num_queries):
    for _ in range(10):
        world.opinion()
    office = as_user(world.office1)
    with_10 = _list_queries(office)
    for _ in range(30):
        assigned_to_a(world)
    with django_assert_max_num_queries(with_10):
        assert len(office.get("/desk/?queue=all").context["page"]) == 40
    assert with_10 <= 20
