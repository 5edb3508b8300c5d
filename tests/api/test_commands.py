"""`open311_key` and `issue_token` print the new secret as their last word."""

import pytest
from django.core.management import CommandError

from lianxin.api.models import ApiClient, ApiToken

from .conftest import BASE, last_word, post_form

pytestmark = pytest.mark.django_db


def test_open311_key_last_word_is_a_working_key(client, world, new_request):
    key = last_word("open311_key", "Street Fixer")
    assert post_form(client, {"api_key": key, **new_request}).status_code == 200


def test_a_new_key_for_the_same_app_replaces_the_old_one(client, world, new_request):
    old = last_word("open311_key", "Street Fixer")
    new = last_word("open311_key", "Street Fixer")
    assert old != new and ApiClient.objects.count() == 1
    assert post_form(client, {"api_key": old, **new_request}).status_code == 403
    assert post_form(client, {"api_key": new, **new_request}).status_code == 200


def test_revoking_an_unknown_app_is_an_error(world):
    with pytest.raises(CommandError):
        last_word("open311_key", "--revoke", "Nobody")


def test_issue_token_last_word_is_a_token_for_that_user(client, world):
    token = last_word("issue_token", world.office1.username)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.json()["username"] == world.office1.username
    assert token not in ApiToken.objects.values_list("token_hash", flat=True)


def test_issue_token_refuses_unknown_and_disabled_users(world):
    with pytest.raises(CommandError):
        last_word("issue_token", "ghost")
    world.outsider.is_active = False
    world.outsider.save()
    with pytest.raises(CommandError):
        last_word("issue_token", world.outsider.username)


def test_open311_discovery_is_reachable_without_a_key(client, world):
    assert client.get(f"{BASE}/discovery.json").status_code == 200
