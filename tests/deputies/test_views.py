"""The QR code page and its downloads: who sees which codes, and what the files hold."""

import io
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from lianxin.deputies import views
from lianxin.deputies.services import deputy_create
from tests.deputies.conftest import svg_root

DOWNLOADS = ["deputy_png", "deputy_svg", "deputy_poster"]
STATION_DOWNLOADS = ["station_png", "station_svg", "station_poster"]


def url(name: str, *args) -> str:
    return reverse(f"deputies:{name}", args=args)


# --- who may see what -----------------------------------------------------------------------


def test_anonymous_user_is_sent_to_login_from_the_list(world):
    response = Client().get(url("list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", DOWNLOADS)
def test_anonymous_user_is_sent_to_login_from_a_deputy_download(world, name):
    response = Client().get(url(name, world.deputy.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", STATION_DOWNLOADS)
def test_anonymous_user_is_sent_to_login_from_a_station_download(world, name):
    response = Client().get(url(name, world.station1.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", DOWNLOADS)
def test_department_handler_cannot_download_a_deputy_code(world, as_user, name):
    assert as_user(world.handler_a).get(url(name, world.deputy.pk)).status_code == 404


@pytest.mark.parametrize("name", STATION_DOWNLOADS)
def test_department_handler_cannot_download_a_station_code(world, as_user, name):
    assert as_user(world.handler_a).get(url(name, world.station1.pk)).status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_station_staff_cannot_download_another_stations_deputy(world, as_user, far_deputy, name):
    assert as_user(world.staff1).get(url(name, far_deputy.pk)).status_code == 404


@pytest.mark.parametrize("name", STATION_DOWNLOADS)
def test_station_staff_cannot_download_another_stations_code(world, as_user, name):
    assert as_user(world.staff1).get(url(name, world.station2.pk)).status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_station_staff_downloads_own_stations_deputy(world, as_user, name):
    assert as_user(world.staff1).get(url(name, world.deputy.pk)).status_code == 200


@pytest.mark.parametrize("name", DOWNLOADS)
def test_deputy_downloads_own_code(world, as_user, name):
    assert as_user(world.deputy_user).get(url(name, world.deputy.pk)).status_code == 200


def test_deputy_cannot_download_a_deputy_of_another_station(world, as_user, far_deputy):
    assert as_user(world.deputy_user).get(url("deputy_png", far_deputy.pk)).status_code == 404


def test_town_office_cannot_download_the_other_towns_codes(world, as_user, far_deputy):
    client = as_user(world.office1)

    assert client.get(url("deputy_svg", far_deputy.pk)).status_code == 404
    assert client.get(url("station_svg", world.station2.pk)).status_code == 404
    assert client.get(url("deputy_svg", world.deputy.pk)).status_code == 200


def test_district_office_downloads_codes_of_every_town(world, as_user, far_deputy):
    client = as_user(world.district_office)

    assert client.get(url("deputy_png", far_deputy.pk)).status_code == 200
    assert client.get(url("station_png", world.station2.pk)).status_code == 200


def test_missing_deputy_is_404(world, as_user):
    assert as_user(world.admin).get(url("deputy_png", 999999)).status_code == 404


def test_downloads_refuse_post(world, as_user):
    assert as_user(world.admin).post(url("deputy_png", world.deputy.pk)).status_code == 405


# --- the list page ----------------------------------------------------------------------------


def test_list_shows_codes_in_scope_only(world, as_user, far_deputy):
    response = as_user(world.staff1).get(url("list"))
    html = response.content.decode()

    assert response.status_code == 200
    assert world.deputy.name in html
    assert world.deputy.qr_token in html
    assert far_deputy.name not in html
    assert world.station1.name in html
    assert world.station2.qr_token not in html
    assert url("deputy_poster", world.deputy.pk) in html
    assert url("station_svg", world.station1.pk) in html


def test_list_shows_the_short_url_as_text_and_a_preview_image(world, as_user, settings):
    settings.SITE_URL = "https://lianxin.example.org"
    html = as_user(world.office1).get(url("list")).content.decode()

    assert f"https://lianxin.example.org/q/{world.deputy.qr_token}" in html
    assert f"https://lianxin.example.org/q/{world.station1.qr_token}" in html
    assert 'src="data:image/svg+xml;base64,' in html


def test_list_shows_deputy_columns(world, as_user):
    html = as_user(world.office1).get(url("list")).content.decode()

    for text in ["Deputy", "District congress", world.station1.name, world.grid1.name, "Yes"]:
        assert text in html


def test_department_handler_sees_an_empty_list(world, as_user):
    response = as_user(world.handler_a).get(url("list"))

    assert response.status_code == 200
    assert world.deputy.qr_token not in response.content.decode()
    assert "No deputies in your area." in response.content.decode()


def test_deputy_sees_own_code_at_the_top(world, as_user):
    html = as_user(world.deputy_user).get(url("list")).content.decode()

    assert "Your own code" in html
    assert html.index("Your own code") < html.index(url("deputy_png", world.deputy.pk))


def test_staff_who_is_not_a_deputy_has_no_own_code_section(world, as_user):
    assert "Your own code" not in as_user(world.staff1).get(url("list")).content.decode()


def test_search_finds_deputies_by_name_and_by_code(world, as_user):
    other = deputy_create(name="张晓红", station=world.station1)
    client = as_user(world.office1)

    by_name = client.get(url("list"), {"q": "晓红"}).content.decode()
    by_code = client.get(url("list"), {"q": world.deputy.qr_token.lower()}).content.decode()

    assert other.qr_token in by_name and world.deputy.qr_token not in by_name
    assert world.deputy.qr_token in by_code and other.qr_token not in by_code
    assert 'value="晓红"' in by_name  # the search box keeps what the user typed


def test_search_without_match_says_so(world, as_user):
    html = as_user(world.office1).get(url("list"), {"q": "不存在的人"}).content.decode()

    assert "No deputy matches your search." in html


def test_search_cannot_reach_outside_scope(world, as_user, far_deputy):
    html = as_user(world.staff1).get(url("list"), {"q": far_deputy.name}).content.decode()

    assert far_deputy.qr_token not in html


def test_deputies_are_paginated_and_pages_keep_the_search(world, as_user):
    for i in range(views.PAGE_SIZE + 3):
        deputy_create(name=f"代表{i:03d}", station=world.station1)
    client = as_user(world.office1)

    first = client.get(url("list"), {"q": "代表"}).content.decode()
    second = client.get(url("list"), {"q": "代表", "page": 2}).content.decode()

    assert "Page 1 of 2" in first
    assert "q=%E4%BB%A3%E8%A1%A8&amp;page=2" in first
    assert "代表000" in first and "代表000" not in second
    assert "Page 2 of 2" in second


def test_bad_page_number_shows_a_page_not_an_error(world, as_user):
    assert as_user(world.office1).get(url("list"), {"page": "abc"}).status_code == 200


def test_list_query_count_does_not_grow_with_the_deputies(world, as_user):
    client = as_user(world.district_office)
    client.get(url("list"))  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        client.get(url("list"))
    for i in range(10):
        deputy_create(name=f"新代表{i}", station=world.station2, grids=[world.grid1])
    with CaptureQueriesContext(connection) as many:
        client.get(url("list"))

    assert 0 < len(many) == len(few)


# --- the files --------------------------------------------------------------------------------


def test_png_download_is_an_image_with_a_filename(world, as_user):
    response = as_user(world.office1).get(url("deputy_png", world.deputy.pk))

    assert response["Content-Type"] == "image/png"
    Image.open(io.BytesIO(response.content)).verify()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="deputy-{world.deputy.qr_token}-qr.png"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"王代表-{world.deputy.qr_token}-qr.png"


def test_svg_download_is_svg_xml(world, as_user):
    response = as_user(world.office1).get(url("station_svg", world.station1.pk))

    assert response["Content-Type"] == "image/svg+xml"
    assert svg_root(response.content).tag == "{http://www.w3.org/2000/svg}svg"
    assert f'filename="station-{world.station1.qr_token}-qr.svg"' in response["Content-Disposition"]


def test_svg_download_encodes_the_short_url_of_the_site(world, as_user, settings):
    settings.SITE_URL = "https://lianxin.example.org"
    response = as_user(world.office1).get(url("deputy_svg", world.deputy.pk))

    title = svg_root(response.content).findtext("{http://www.w3.org/2000/svg}title")
    assert title == f"https://lianxin.example.org/q/{world.deputy.qr_token}"


def test_poster_download_is_an_inline_pdf(world, as_user):
    response = as_user(world.deputy_user).get(url("deputy_poster", world.deputy.pk))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("inline;")
    assert f'filename="deputy-{world.deputy.qr_token}-poster.pdf"' in response["Content-Disposition"]


def test_content_disposition_never_lets_a_name_break_the_header():
    header = views.content_disposition(ascii_name='a"b;c\\d.png', utf8_name="王/代表\r\n.png")

    assert header == "attachment; filename=\"a_b_c_d.png\"; filename*=UTF-8''%E7%8E%8B_%E4%BB%A3%E8%A1%A8%0D%0A.png"


def test_poster_is_in_the_language_of_the_request(world, as_user, tmp_path):
    from tests.deputies.conftest import poppler

    path = tmp_path / "poster.pdf"
    path.write_bytes(as_user(world.office1).get(url("station_poster", world.station1.pk)).content)

    assert "Liaison station contact code" in poppler("pdftotext", str(path), "-")
