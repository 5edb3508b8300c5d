"""GET /api/v1/cockpit: the page's figures as JSON, behind a bearer token, same scope."""

from io import StringIO

import pytest
from django.core.management import call_command

from lianxin.cockpit.selectors import cockpit_figures
from tests.cockpit.test_figures import PERIOD

URL = "/api/v1/cockpit"


def _auth(user) -> dict:
    out = StringIO()
    call_command("issue_token", user.username, stdout=out)
    return {"Authorization": f"Bearer {out.getvalue().split()[-1]}"}


def _get(client, user, **params):
    return client.get(URL, params, headers=_auth(user) | {"Accept-Language": "zh-hans"})


def test_the_figures_are_the_pages(client, history, at_now):
    world = history.world
    query = {"place": "t1", "from": "2024-07-01", "to": "2025-06-15"}
    response = _get(client, world.office1, **query)
    assert response.status_code == 200
    body = response.json()
    page = cockpit_figures(world.office1, place=world.town1, **PERIOD)
    assert body["places"] == [{"code": "t1", "name": "东湖街道"}]
    assert (body["from"], body["to"], body["category"]) == ("2024-07-01", "2025-06-15", None)
    assert body["totals"] == {k: page["totals"][k] for k in body["totals"]}
    assert body["totals"]["received"] == 6 and body["totals"]["overdue_now"] == 2
    assert [r["name"] for r in body["by_category"]] == [r["name"] for r in page["by_category"]]
    assert [(r["code"], r["received"], r["drill_down"]) for r in body["by_place"]] == [("c1", 6, True)]
    assert len(body["by_month"]) == 12 and sum(r["received"] for r in body["by_month"]) == 6
    assert len(body["by_week"]) == 13
    assert sum(r["received"] for r in body["by_channel"]) == 6
    assert body["departments"] == [{k: row[k] for k in body["departments"][0]} for row in page["departments"]]
    assert body["deputies"]["totals"] == page["deputies"]["totals"]
    assert len(body["overdue"]) == 2 and "code" not in body["overdue"][0]  # no tracking codes: the residents' key


def test_a_category_narrows_every_figure(client, history, at_now):
    body = _get(client, history.world.office1, place="t1", category="urban_construction").json()
    assert body["category"] == "urban_construction"
    assert {r["code"] for r in body["by_category"]} == {"urban_construction"}


def test_defaults_are_the_last_twelve_months_of_all_the_callers_places(client, history, at_now):
    body = _get(client, history.world.district_office).json()
    assert (body["from"], body["to"]) == ("2024-07-01", "2025-06-15")
    assert body["places"] == [{"code": "d", "name": "示范区"}]
    assert [r["code"] for r in body["by_place"]] == ["t1", "t2"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2025-13-01"}, "“2025-13-01” 不是日期"),
        ({"from": "2025-06-01", "to": "2025-05-01"}, "开始日期晚于结束日期"),
        ({"from": "2019-01-01", "to": "2025-06-01"}, "最多选择 60 个月"),
        ({"category": "nope"}, "该类别不存在"),
    ],
)
def test_bad_input_is_a_clear_400_in_the_callers_language(client, history, at_now, params, message):
    response = _get(client, history.world.office1, **params)
    assert response.status_code == 400
    assert message in response.json()["detail"], response.json()


def test_a_place_out_of_scope_or_unknown_is_a_404_and_no_token_is_a_401(client, history, at_now):
    world = history.world
    assert _get(client, world.office1, place="t2").status_code == 404
    assert _get(client, world.office1, place="nowhere").status_code == 404
    assert _get(client, world.handler_a).status_code == 404  # no place in the handler's scope
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers={"Authorization": "Bearer wrong"}).status_code == 401
