import pytest
from django.test import Client

from tests.factories import World


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture
def live_world(transactional_db) -> World:
    """A World the live server can see: committed rows, not the test's open transaction."""
    return World()


def browser_log_in(page, live_server, user) -> None:
    """Give the browser a session for `user` without going through the login form."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
