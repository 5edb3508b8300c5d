"""The hot-issues page (热点问题): groups ranked by residents, deputies' urging and recency in
a place and period the user may look at, named by key terms, rising topics flagged."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from lianxin.cases import services
from lianxin.core import clock
from lianxin.hotspots import selectors
from lianxin.hotspots.models import CandidateStatus, DuplicateCandidate
from lianxin.hotspots.services import candidate_dismiss
from lianxin.triage import hot
from tests.hotspots.conftest import LAMP, LAMP_AGAIN

NOW = datetime(2026, 6, 10, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MARKET = "东湖社区菜市场门口占道经营，三轮车把人行道堵死了，早上出门很不方便。"
MARKET_AGAIN = "东湖社区菜市场门口占道经营严重，三轮车把人行道都堵死了，希望管一管。"
DRILL = "我家楼上装修每天早上七点就开始电钻，吵得老人孩子休息不了。"
DRILL_AGAIN = "楼上装修每天早上七点就开始打电钻，吵得老人和孩子都休息不好。"


@pytest.fixture
def hot_world(world, take_in):
    """Town 1: the lamp (3 opinions from 2 phones, merged, urged once by a deputy, 2 days ago),
    the market (2 likely duplicates not merged, 1 day ago), the drill (a dismissed pair).
    Town 2: the lamp again (2 opinions merged), which town 1's office never sees."""
    made = {}
    with clock.frozen_at(NOW - timedelta(days=2)):
        lamp = take_in(LAMP, contact_phone="13900000001")
        dups = [take_in(LAMP_AGAIN, contact_phone="13900000002") for _ in range(2)]
        for dup in dups:
            services.case_link_duplicate(case=dup, actor=world.office1, original=lamp)
        services.case_urge(case=lamp, actor=world.deputy_user, note="请尽快处理")
        made["lamp"] = [lamp, *dups]
    with clock.frozen_at(NOW - timedelta(days=1)):
        made["market"] = [take_in(MARKET), take_in(MARKET_AGAIN, contact_phone="13900000003")]
        made["drill"] = [take_in(DRILL), take_in(DRILL_AGAIN)]
        candidate_dismiss(candidate=DuplicateCandidate.objects.get(case=made["drill"][1]), actor=world.office1)
        far = take_in(LAMP, place=world.community2)
        far2 = take_in(LAMP_AGAIN, place=world.community2)
        services.case_link_duplicate(case=far2, actor=world.office2, original=far)
        made["far"] = [far, far2]
    return made


def page_for(user, *, place=None, days: int = 30):
    today = timezone.localdate(NOW)
    return selectors.hot_issues(user, place=place, date_from=today - timedelta(days=days - 1), date_to=today, now=NOW)


def test_the_figures_of_each_group_on_a_hand_made_set(world, hot_world):
    page = page_for(world.office1)
    assert [i.original.case_id for i in page.issues] == [hot_world["lamp"][0].pk, hot_world["market"][0].pk]
    lamp, market = page.issues
    assert (lamp.residents, lamp.opinions, lamp.urges, lamp.merged) == (2, 3, 1, 2)
    assert (market.residents, market.opinions, market.urges, market.merged) == (2, 2, 0, 0)
    # score = (residents + 2 × urgings) × 0.5^(days since the latest opinion / 7)
    assert lamp.score == pytest.approx((2 + 2 * 1) * 0.5 ** (2 / 7))
    assert market.score == pytest.approx(2 * 0.5 ** (1 / 7))
    assert "路灯" in lamp.name and "人行道" in market.name
    assert lamp.jump.flagged and lamp.jump.latest == 3  # 3 this week, none in the 8 weeks before
    assert not market.jump.flagged  # 2 are too few to call a jump


def test_a_dismissed_pair_and_another_towns_group_are_not_listed(world, hot_world):
    codes = {m.case_id for i in page_for(world.office1).issues for m in i.members}
    assert not codes & {c.pk for c in hot_world["drill"] + hot_world["far"]}


def test_the_district_sees_both_towns_and_can_narrow_to_one(world, hot_world):
    assert len(page_for(world.district_office).issues) == 3
    town2 = page_for(world.district_office, place=world.town2)
    assert [i.original.case_id for i in town2.issues] == [hot_world["far"][0].pk]


def test_the_period_filter_keeps_only_groups_with_opinions_in_it(world, hot_world):
    assert page_for(world.office1, days=1).issues == []  # today only: nothing was received
    yesterday = page_for(world.office1, days=2)
    assert [i.original.case_id for i in yesterday.issues] == [hot_world["market"][0].pk]


def test_the_page_shows_the_groups_with_links_to_their_cases(world, hot_world, client):
    client.force_login(world.office1)
    with clock.frozen_at(NOW):
        response = client.get("/hot/")
    assert response.status_code == 200
    body = response.content.decode()
    for case in hot_world["lamp"] + hot_world["market"]:
        assert f"/desk/cases/{case.pk}/" in body
    assert "Rising" in body and "How we rank" in body


def test_the_page_needs_a_fixed_number_of_queries(world, hot_world, client, django_assert_max_num_queries):
    client.force_login(world.district_office)
    with clock.frozen_at(NOW), django_assert_max_num_queries(25):
        assert client.get("/hot/").status_code == 200


@pytest.mark.parametrize("who", ["handler_a", "outsider"])
def test_someone_without_a_cockpit_gets_404(world, client, who):
    client.force_login(getattr(world, who))
    assert client.get("/hot/").status_code == 404


def test_a_place_outside_the_users_scope_is_404(world, client):
    client.force_login(world.office1)
    assert client.get("/hot/", {"place": world.town2.pk}).status_code == 404
    assert client.get("/hot/", {"place": "not-a-number"}).status_code == 404
    assert client.get("/hot/", {"place": world.town1.pk}).status_code == 200


def test_a_grid_is_not_a_place_to_rank_in(world, client):
    client.force_login(world.district_office)
    assert client.get("/hot/", {"place": world.grid1.pk}).status_code == 404


def test_the_login_page_comes_first(client):
    response = client.get("/hot/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2026-13-45"}, "is not a date"),
        ({"date_from": "2026-06-10", "date_to": "2026-06-01"}, "start date is after the end date"),
        ({"date_from": "2020-01-01", "date_to": "2026-06-01"}, "at most 366 days"),
    ],
)
def test_bad_dates_get_a_clear_message_and_the_default_period(world, client, query, message):
    client.force_login(world.office1)
    response = client.get("/hot/", query)
    assert response.status_code == 200 and message in response.content.decode()


def test_the_page_with_nothing_to_show_says_so(world, client):
    client.force_login(world.office1)
    body = client.get("/hot/").content.decode()
    assert "No issue was raised by more than one resident" in body and "No word stands out" in body


def test_a_still_open_likely_duplicate_counts_but_not_a_weak_one(world, take_in):
    """Only each opinion's best likely duplicate, and only from hot.GROUP_MIN_SIMILARITY."""
    a, b = take_in(MARKET), take_in(MARKET_AGAIN)
    candidate = DuplicateCandidate.objects.get(case=b)
    assert candidate.status == CandidateStatus.OPEN and candidate.similarity >= hot.GROUP_MIN_SIMILARITY
    DuplicateCandidate.objects.filter(pk=candidate.pk).update(similarity=hot.GROUP_MIN_SIMILARITY - 0.01)
    today = timezone.localdate(clock.now())
    page = selectors.hot_issues(world.office1, place=None, date_from=today, date_to=today, now=clock.now())
    assert page.issues == [] and a.pk != b.pk


def test_the_default_period_is_the_last_30_days(world, client):
    client.force_login(world.office1)
    with clock.frozen_at(NOW):
        body = client.get("/hot/").content.decode()
    assert date(2026, 5, 12).isoformat() in body and date(2026, 6, 10).isoformat() in body


def test_narrowed_to_a_place_a_duplicate_whose_original_lies_outside_it_still_shows(world, take_in):
    """A duplicate in the community merged into an original recorded for the whole town: looking
    at the community alone lists no group for it, and never fails."""
    with clock.frozen_at(NOW - timedelta(days=1)):
        original = take_in(LAMP, place=world.town1)
        dup = take_in(LAMP_AGAIN, contact_phone="13900000009")
        again = take_in(LAMP_AGAIN, contact_phone="13900000008")
        services.case_link_duplicate(case=dup, actor=world.office1, original=original)
        services.case_link_duplicate(case=again, actor=world.office1, original=original)
    page = page_for(world.office1, place=world.community1)
    for issue in page.issues:
        assert issue.original.case_id in {m.case_id for m in issue.members}
    town = page_for(world.office1, place=world.town1)
    assert [i.original.case_id for i in town.issues] == [original.pk]
