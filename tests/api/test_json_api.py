"""The JSON API skeleton at /api/v1/: bearer tokens, scoped reads, JSON errors."""

import json

import pytest

from .conftest import last_word

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    return {"Authorization": f"Bearer {last_word('issue_token', user.username)}"}


def test_me_lists_the_users_roles(client, world):
    body = client.get("/api/v1/me", headers=_auth(world.office1)).json()
    assert body["id"] == str(world.office1.pk)
    assert body["roles"] == ["congress_office"]
    assert body["memberships"][0]["place"] == world.town1.name


def test_cases_are_the_users_scope_and_nothing_else(client, world):
    mine = world.opinion(place=world.community1)
    other_town = world.opinion(place=world.community2)
    body = client.get("/api/v1/cases", headers=_auth(world.office1)).json()
    ids = [c["id"] for c in body["items"]]
    assert ids == [str(mine.pk)] and body["count"] == 1
    assert str(other_town.pk) not in ids
    assert client.get("/api/v1/cases", headers=_auth(world.outsider)).json() == {"items": [], "count": 0}


def test_cases_carry_no_personal_data(client, world):
    world.opinion(contact_name="李四", contact_phone="13900001111", text="我是李四，电话13900001111，路灯坏了。")
    body = json.dumps(client.get("/api/v1/cases", headers=_auth(world.office1)).json(), ensure_ascii=False)
    assert "路灯坏了" in body
    assert "李四" not in body and "13900001111" not in body and "tracking_code" not in body


def test_cases_are_paginated(client, world):
    for n in range(3):
        world.opinion(text=f"第{n}个意见：路灯坏了很久了。")
    headers = _auth(world.office1)
    assert client.get("/api/v1/cases", {"page": 1}, headers=headers).json()["count"] == 3
    assert client.get("/api/v1/cases", {"page": 9}, headers=headers).json()["items"] == []
    assert client.get("/api/v1/cases", {"page": "x"}, headers=headers).status_code == 422


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc"])
def test_without_a_valid_token_the_api_answers_401_in_json(client, world, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/cases", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_disabled_users_token_stops_working(client, world):
    headers = _auth(world.office1)
    world.office1.is_active = False
    world.office1.save()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_unknown_api_paths_answer_json_404(client, world):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_the_openapi_schema_loads_and_lists_the_endpoints(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"] == {"title": "Lianxin API", "version": "1", "description": ""}
    assert {"/api/v1/me", "/api/v1/cases"} <= set(schema["paths"])


def test_listing_cases_costs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(5):
        world.opinion(text=f"第{n}个意见：路灯坏了很久了。")
    headers = _auth(world.office1)
    # token (+ its last-used stamp), memberships, deputy, count, page: whatever the page size
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/cases", headers=headers).json()["count"] == 5


def test_an_unexpected_failure_is_still_a_json_answer(client, world, monkeypatch):
    def broken(user):
        raise RuntimeError("boom")

    monkeypatch.setattr("lianxin.api.apis.case_list_for_user", broken)
    response = client.get("/api/v1/cases", headers=_auth(world.office1))
    assert response.status_code == 500
    assert response.json()["detail"]
