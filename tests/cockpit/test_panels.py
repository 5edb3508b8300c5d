"""The cockpit's panels beyond the tiles: trends by week, the department league, deputies' work,
the overdue list, the drill-down through places, the lazy hot-issues panel and the big screen."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from lianxin.cases import services
from lianxin.core import clock
from tests.cockpit.conftest import NOW, T, step, submit
from tests.cockpit.test_page import link_params, open_cockpit, tile

PERIOD = {"date_from": "2024-07-01", "date_to": "2025-06-15"}
SCREEN = reverse("cockpit:screen")
HOT = reverse("cockpit:hot")


def query_of(url: str, path: str) -> dict:
    parts = urlsplit(url)
    assert parts.path == path
    return {k: v[0] for k, v in parse_qs(parts.query).items()}


def test_week_rows_count_the_cases_of_each_week_and_link_to_them(client, history, at_now):
    response = open_cockpit(client, history.world.office1, date_from="2025-03-01", date_to="2025-03-31")
    weeks = {row["week"].isoformat(): row for row in response.context["weeks"]}
    assert min(weeks) == "2025-02-24"  # the period's first week, cut by its start
    assert (weeks["2025-03-10"]["received"], weeks["2025-03-10"]["closed"]) == (4, 4)
    assert link_params(weeks["2025-03-10"]["url"]) == {
        "queue": "all", "place": str(history.world.town1.pk), "date_from": "2025-03-10", "date_to": "2025-03-16",
    }  # fmt: skip
    assert link_params(weeks["2025-02-24"]["url"])["date_from"] == "2025-03-01"
    assert link_params(weeks["2025-03-31"]["closed_url"])["date_to"] == "2025-03-31"


def test_department_row_shows_the_league_figures_and_links_to_its_cases(client, history, at_now):
    world = history.world
    response = open_cockpit(client, world.office1)
    [row] = response.context["departments"]
    assert (row["name"], row["received"], row["rate_48h_text"], row["rating_text"]) == ("区住建局", 4, "50.0%", "4.0")
    assert (row["overdue_now"], row["returned"]) == (2, 0)
    mine = {"place": str(world.town1.pk), "department": str(world.dept_a.pk)}
    assert link_params(row["url"]) == {"queue": "all"} | mine | PERIOD
    assert link_params(row["overdue_url"]) == {"queue": "overdue"} | mine
    for url, counted in ((row["url"], 4), (row["overdue_url"], 2)):
        assert client.get(url).context["page"].paginator.count == counted


def test_departments_follow_the_category_and_so_do_their_links(client, history, at_now):
    world = history.world
    response = open_cockpit(client, world.office1, category=history.environment.pk)
    [row] = response.context["departments"]
    assert (row["name"], row["received"]) == ("区住建局", 1)  # D, the one environment case assigned
    assert link_params(row["url"])["category"] == str(history.environment.pk)
    assert client.get(row["url"]).context["page"].paginator.count == row["received"]


def test_a_district_drills_down_to_a_town_and_back_up(client, history, at_now):
    world = history.world
    response = open_cockpit(client, world.district_office, category=history.urban.pk)
    town = next(r for r in response.context["places"] if r["name"] == "东湖街道")
    assert query_of(town["drill_url"], reverse("cockpit:home")) == {
        "place": str(world.town1.pk), "category": str(history.urban.pk),
    } | PERIOD  # fmt: skip
    assert f'href="{town["drill_url"]}"'.replace("&", "&amp;") in response.content.decode()
    assert link_params(town["url"])["place"] == str(world.town1.pk)  # and its cases

    below = client.get(town["drill_url"])
    assert below.context["figures"]["place"] == world.town1
    assert [step["name"] for step in below.context["trail"]] == ["示范区", "东湖街道"]
    assert query_of(below.context["trail"][0]["url"], reverse("cockpit:home"))["place"] == str(world.district.pk)
    community = below.context["places"][0]
    assert community["name"] == "东湖社区" and community["drill_url"]


def test_the_trail_starts_at_the_users_own_top_place(client, history, at_now):
    world = history.world
    response = open_cockpit(client, world.office1, place=world.community1.pk)
    assert [step["name"] for step in response.context["trail"]] == ["东湖街道", "东湖社区"]
    assert "示范区" not in response.content.decode()


def test_a_community_has_no_place_below_to_drill_into(client, history, at_now):
    response = open_cockpit(client, history.world.office1, place=history.world.community1.pk)
    assert all(row["drill_url"] == "" for row in response.context["places"])


def test_overdue_list_links_each_case_and_the_whole_queue(client, history, at_now):
    world = history.world
    response = open_cockpit(client, world.office1)
    rows = response.context["overdue"]
    assert [r["case_id"] for r in rows] == [history.cases["h"].pk, history.cases["e"].pk]  # longest late first
    assert rows[0]["url"] == reverse("cases:detail", args=[history.cases["h"].pk])
    assert rows[0]["late_text"].endswith("days")
    assert link_params(response.context["overdue_url"]) == {"queue": "overdue", "place": str(world.town1.pk)}
    assert "All 2 overdue cases" in response.content.decode()


def test_deputies_panel_shows_the_stations_work(client, history, at_now):
    world = history.world
    with clock.frozen_at(T):
        services.case_submit(
            place=world.community1, station=world.station1, deputy=world.deputy, channel="deputy_qr",
            text="楼道里的灯坏了，晚上老人上下楼不安全。",
        )  # fmt: skip
    step(NOW, services.case_urge, case=history.cases["e"], actor=world.deputy_user, note="请尽快答复群众。")
    response = open_cockpit(client, world.office1)
    assert response.context["deputies"] == [
        {"station_id": world.station1.pk, "name": "东湖联络站", "brought_in": 1, "urged": 1, "followed": 0}
    ]
    data = response.context["chart_data"]["deputy"]
    assert (data["names"], data["brought_in"], data["urged"]) == (["东湖联络站"], [1], [1])
    assert "1 deputy brought in or urged cases" in response.content.decode()


def test_the_page_loads_the_hot_panel_for_the_periods_last_30_days(client, history, at_now):
    world = history.world
    response = open_cockpit(client, world.office1)
    hot = response.context["hot"]
    expected = {"place": str(world.town1.pk), "date_from": "2025-05-17", "date_to": "2025-06-15"}
    assert query_of(hot["fragment"], HOT) == expected
    assert query_of(hot["page"], reverse("hotspots:hot")) == expected
    assert 'hx-trigger="load"' in response.content.decode()


def test_the_hot_panel_lists_a_group_of_opinions_and_links_to_the_hot_page(client, history, at_now):
    world = history.world
    lamp = submit(world, NOW - timedelta(days=2))
    again = submit(world, NOW - timedelta(days=2), contact_phone="13900000002")
    step(NOW - timedelta(days=2), services.case_link_duplicate, case=again, actor=world.office1, original=lamp)
    client.force_login(world.office1)
    response = client.get(HOT, {"place": world.town1.pk, "date_from": "2025-05-17", "date_to": "2025-06-15"})
    assert response.status_code == 200
    assert response.templates[0].name == "cockpit/_hot.html"
    [issue] = response.context["issues"]
    assert issue.opinions == 2
    html = response.content.decode()
    assert reverse("cases:detail", args=[lamp.pk]) in html and "<html" not in html
    assert query_of(response.context["hot_url"], reverse("hotspots:hot"))["date_from"] == "2025-05-17"


@pytest.mark.parametrize("persona", ["handler_a", "outsider"])
def test_the_hot_panel_is_404_without_a_place(client, history, at_now, persona):
    client.force_login(getattr(history.world, persona))
    assert client.get(HOT).status_code == 404


def test_the_hot_panel_is_404_for_another_town(client, history, at_now):
    client.force_login(history.world.office1)
    assert client.get(HOT, {"place": history.world.town2.pk}).status_code == 404


# --- the big screen ---------------------------------------------------------------------------


def test_the_cockpit_links_to_its_big_screen_with_the_same_filters(client, history, at_now):
    world = history.world
    response = open_cockpit(client, world.office1, category=history.urban.pk, **PERIOD)
    assert query_of(response.context["screen_url"], SCREEN) == {
        "place": str(world.town1.pk), "category": str(history.urban.pk),
    } | PERIOD  # fmt: skip


def test_the_default_period_on_the_big_screen_keeps_ending_today(client, history, at_now):
    world = history.world
    response = open_cockpit(client, world.office1, category=history.urban.pk)
    expected = {"place": str(world.town1.pk), "category": str(history.urban.pk)}
    assert query_of(response.context["screen_url"], SCREEN) == expected
    screen = client.get(response.context["screen_url"])
    assert query_of(screen.context["page_url"], reverse("cockpit:home")) == expected


def test_big_screen_shows_the_same_figures_and_refreshes_every_minute(client, history, at_now):
    client.force_login(history.world.office1)
    response = client.get(SCREEN)
    assert response.status_code == 200
    assert response.templates[0].name == "cockpit/screen.html"
    assert tile(response, "received")["value"] == 6 and tile(response, "overdue")["value"] == 2
    html = response.content.decode()
    assert 'id="screen-panels"' in html and 'hx-trigger="every 60s"' in html
    assert "Updated at 10:00:00" in html and "东湖街道" in html


def test_big_screen_refresh_sends_only_the_panels(client, history, at_now):
    client.force_login(history.world.office1)
    response = client.get(SCREEN, {"place": history.world.community1.pk}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="screen-panels"') and "<html" not in html
    assert 'id="cockpit-data"' in html


def test_big_screen_keeps_long_lists_short(client, history, at_now):
    world = history.world
    client.force_login(world.district_office)
    response = client.get(SCREEN)
    assert len(response.context["overdue"]) <= 7 and len(response.context["places"]) == 2


def test_big_screen_asks_anonymous_visitors_to_log_in(client, world):
    response = client.get(SCREEN)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["handler_a", "outsider"])
def test_big_screen_is_404_without_a_place(client, history, at_now, persona):
    client.force_login(getattr(history.world, persona))
    assert client.get(SCREEN).status_code == 404


def test_big_screen_of_another_town_is_404(client, history, at_now):
    client.force_login(history.world.office1)
    assert client.get(SCREEN, {"place": history.world.town2.pk}).status_code == 404
