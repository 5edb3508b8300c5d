"""The cockpit page: who may open it, what it shows, where its numbers link, bad input."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.cases import services
from tests.cockpit.conftest import NOW, T, step, submit

URL = reverse("cockpit:home")


def open_cockpit(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def link_params(url: str) -> dict:
    parts = urlsplit(url)
    assert parts.path == reverse("cases:work")
    return {k: v[0] for k, v in parse_qs(parts.query).items()}


def tile(response, css: str) -> dict:
    return next(t for t in response.context["tiles"] if t["css"].split()[0] == css)


def test_anonymous_visitor_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["handler_a", "outsider"])
def test_users_without_a_place_in_their_scope_get_404(client, world, persona):
    assert open_cockpit(client, getattr(world, persona)).status_code == 404


@pytest.mark.parametrize(
    ("persona", "place"),
    [("office1", "town1"), ("district_office", "district"), ("leader", "district"), ("admin", "district"),
     ("staff1", "community1"), ("deputy_user", "community1")],
)  # fmt: skip
def test_each_user_starts_on_the_top_place_of_his_scope(client, history, at_now, persona, place):
    response = open_cockpit(client, getattr(history.world, persona))
    assert response.status_code == 200
    assert response.context["figures"]["place"] == getattr(history.world, place)


def test_town_office_page_shows_the_town_figures(client, history, at_now):
    response = open_cockpit(client, history.world.office1)
    assert [(t["css"].split()[0], str(t["value"])) for t in response.context["tiles"]] == [
        ("received", "6"),
        ("answered", "4"),
        ("rate-48h", "60.0%"),
        ("closed", "4"),
        ("rating", "4.0"),
        ("satisfied", "66.7%"),
        ("adopted", "1"),
        ("overdue", "2"),
    ]
    html = response.content.decode()
    assert "东湖社区" in html and "西山" not in html


def test_another_towns_place_id_is_404(client, history, at_now):
    response = open_cockpit(client, history.world.office1, place=history.world.town2.pk)
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_unknown_place_is_404(client, history, at_now, value):
    assert open_cockpit(client, history.world.office1, place=value).status_code == 404


def test_grid_is_not_a_cockpit_place(client, history, at_now):
    assert open_cockpit(client, history.world.office1, place=history.world.grid1.pk).status_code == 404


def test_district_office_compares_its_towns(client, history, at_now):
    response = open_cockpit(client, history.world.district_office)
    rows = {r["name"]: r for r in response.context["places"]}
    assert (rows["东湖街道"]["received"], rows["西山镇"]["received"]) == (6, 1)
    assert link_params(rows["西山镇"]["url"]) == {
        "queue": "all",
        "place": str(history.world.town2.pk),
        "date_from": "2024-07-01",
        "date_to": "2025-06-15",
    }


def test_narrowing_to_a_place_below_shows_its_subtree(client, history, at_now):
    world = history.world
    response = open_cockpit(client, world.district_office, place=world.town2.pk)
    assert response.context["figures"]["place"] == world.town2
    assert tile(response, "received")["value"] == 1


def test_every_figure_links_to_the_work_list_with_matching_filters(client, history, at_now):
    world = history.world
    response = open_cockpit(client, world.office1, category=history.urban.pk)
    period = {"date_from": "2024-07-01", "date_to": "2025-06-15"}
    base = {"queue": "all", "place": str(world.town1.pk), "category": str(history.urban.pk)} | period
    assert link_params(tile(response, "received")["url"]) == base
    assert link_params(tile(response, "closed")["url"]) == base | {"status": "closed"}
    overdue = {"queue": "overdue", "place": str(world.town1.pk), "category": str(history.urban.pk)}
    assert link_params(tile(response, "overdue")["url"]) == overdue
    march = next(m for m in response.context["months"] if m["month"].month == 3)
    assert link_params(march["closed_url"]) == base | {
        "date_from": "2025-03-01",
        "date_to": "2025-03-31",
        "status": "closed",
    }
    first = response.context["months"][0]
    assert link_params(first["url"])["date_from"] == "2024-07-01"
    channel = response.context["channels"][0]
    assert link_params(channel["url"]) == base | {"channel": "station_qr"}


def test_links_open_the_cases_the_figure_counts(client, history, at_now):
    world = history.world
    response = open_cockpit(client, world.office1)
    for css in ("received", "closed", "overdue"):
        listed = client.get(tile(response, css)["url"])
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == int(tile(response, css)["value"]), css


def test_a_category_row_links_to_that_category(client, history, at_now):
    response = open_cockpit(client, history.world.office1)
    rows = response.context["categories"]
    assert link_params(rows[0]["url"])["category"] == str(history.urban.pk)
    assert rows[-1]["category_id"] is None and rows[-1]["url"] == ""  # no list of unclassified cases


@pytest.mark.parametrize(
    ("params", "typed"),
    [
        ({"date_from": "2025-13-45"}, "2025-13-45"),
        ({"date_to": "yesterday"}, "yesterday"),
        ({"date_from": "2025-06-01", "date_to": "2025-01-01"}, ""),
        ({"date_from": "1900-01-01"}, ""),
    ],
)
def test_bad_dates_give_a_message_and_the_last_12_months(client, history, at_now, params, typed):
    response = open_cockpit(client, history.world.office1, **params)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures["date_from"].isoformat(), figures["date_to"].isoformat()) == ("2024-07-01", "2025-06-15")
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and typed in messages[0]


def test_an_unknown_category_gives_a_message_and_all_categories(client, history, at_now):
    response = open_cockpit(client, history.world.office1, category="999999")
    assert response.status_code == 200
    assert response.context["figures"]["category"] is None
    assert tile(response, "received")["value"] == 6
    assert len(list(response.context["messages"])) == 1


def test_a_chosen_period_is_used_and_shown_in_the_form(client, history, at_now):
    response = open_cockpit(client, history.world.office1, date_from="2025-03-01", date_to="2025-03-31")
    assert tile(response, "received")["value"] == 4
    assert len(response.context["months"]) == 1
    assert 'value="2025-03-01"' in response.content.decode()


def test_charts_read_the_same_numbers_as_the_tables(client, history, at_now):
    response = open_cockpit(client, history.world.district_office)
    html = response.content.decode()
    start = html.index('<script id="cockpit-data" type="application/json">') + len(
        '<script id="cockpit-data" type="application/json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["place"]["names"] == ["东湖街道", "西山镇"]
    assert data["place"]["received"] == [6, 1] and data["place"]["answered_48h"] == [3, 1]
    assert sum(data["month"]["received"]) == 7
    assert {c["name"]: c["value"] for c in data["channel"]}["Station QR code"] == 4
    assert len(html.split('class="chart"')) - 1 == 7


def test_page_explains_how_we_count(client, history, at_now):
    html = open_cockpit(client, history.world.office1).content.decode()
    assert 'id="how-we-count"' in html and "duplicates" in html


def test_empty_scope_page_still_renders(client, world):
    response = open_cockpit(client, world.office1)
    assert response.status_code == 200
    assert tile(response, "rate-48h")["value"] == "—"
    assert response.context["categories"] == []


def _more_cases(world, count: int) -> None:
    for i in range(count):
        place = world.community2 if i % 2 else world.grid1
        case = submit(world, T, place=place, category=world.category, channel="web" if i % 3 else "phone")
        if i % 2 == 0:
            step(T, services.case_resolve_on_spot, case=case, actor=world.office1, reason="当场解决。")


def _queries_for_page(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_cases(client, history, at_now):
    user = history.world.district_office
    before = _queries_for_page(client, user)
    _more_cases(history.world, 12)
    assert _queries_for_page(client, user) == before
    assert before <= 26


def test_figures_take_a_fixed_number_of_queries(history, at_now, django_assert_num_queries):
    from lianxin.cockpit.selectors import cockpit_figures

    world = history.world
    world.district_office._lianxin_scope = None  # count the scope lookups too
    kwargs = {"place": world.district, "date_from": NOW.date().replace(year=2024), "date_to": NOW.date()}
    with django_assert_num_queries(16):
        cockpit_figures(world.district_office, **kwargs)
    _more_cases(world, 6)
    world.district_office._lianxin_scope = None
    with django_assert_num_queries(16):
        cockpit_figures(world.district_office, **kwargs)
