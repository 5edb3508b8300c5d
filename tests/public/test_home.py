"""The home page: how to send an opinion, stations without a code at hand, lookup, public replies."""

from lianxin.places.services import station_create


def test_home_lists_active_stations_with_links_to_their_forms(client, world):
    closed = station_create(code="s9", name="已撤销联络站", place=world.community2)
    closed.active = False
    closed.save()
    page = client.get("/").content.decode()
    assert f'href="/q/{world.station1.qr_token}"' in page and f'href="/q/{world.station2.qr_token}"' in page
    assert "东湖联络站" in page and "东湖街道" in page and "西山镇" in page
    assert "已撤销联络站" not in page and closed.qr_token not in page


def test_home_has_lookup_public_replies_and_staff_login(client, world):
    page = client.get("/").content.decode()
    assert 'action="/t/"' in page and 'name="code"' in page
    assert 'href="/public/"' in page and 'href="/accounts/login/"' in page
    assert "Scan the QR code of a deputy or of a liaison station" in page


def test_home_needs_no_login_and_no_javascript(client, world):
    response = client.get("/")
    assert response.status_code == 200 and "<script" not in response.content.decode()


def test_residents_pages_need_no_javascript(client, world, replied):
    for url in (f"/q/{world.deputy.qr_token}", f"/t/{replied.tracking_code}", "/t/", "/public/"):
        assert "<script" not in client.get(url).content.decode()
