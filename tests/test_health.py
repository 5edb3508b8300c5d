from unittest import mock

import pytest
from django.db import OperationalError, connection


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(client, db):
    unreachable = OperationalError("could not connect to server")
    with mock.patch.object(connection, "cursor", side_effect=unreachable):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] != "ok"


@pytest.mark.browser
@pytest.mark.parametrize("page_fixture", ["phone_page", "desktop_page"])
def test_home_page_renders_in_chromium(live_server, db, request, page_fixture):
    page = request.getfixturevalue(page_fixture)

    response = page.goto(live_server.url + "/")

    assert response is not None
    assert response.status == 200
    title = page.title()
    assert "Lianxin" in title or "连心" in title


def test_favicon_is_found(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
