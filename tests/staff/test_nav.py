"""The menu offers each role only what it may open."""

import pytest

NAV_LINKS = {"/desk/new/": "record", "/cockpit/": "cockpit"}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staff1", {"record", "cockpit"}),
        ("office1", {"record", "cockpit"}),
        ("deputy_user", {"record", "cockpit"}),
        ("handler_a", set()),
        ("leader", {"cockpit"}),
        ("admin", {"cockpit"}),
    ],
)
def test_menu_links_match_what_the_role_may_open(client, world, persona, expected):
    user = getattr(world, persona)
    client.force_login(user)
    html = client.get("/desk/").content.decode()
    shown = {name for href, name in NAV_LINKS.items() if f'href="{href}"' in html}
    assert shown == expected
    for href, name in NAV_LINKS.items():
        status = client.get(href).status_code
        assert (status == 200) == (name in expected), (href, status)
