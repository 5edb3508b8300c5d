"""The A4 posters: one PDF page, Chinese fonts embedded, the right words, no network."""

import base64
import socket

import pytest
from django.utils import translation

from lianxin.deputies import posters, qr
from tests.deputies.conftest import poppler

BASE = "https://lianxin.example.org"


@pytest.fixture
def deputy_pdf(world, tmp_path):
    with translation.override("zh-hans"):
        pdf = posters.deputy_poster_pdf(world.deputy, BASE)
    path = tmp_path / "deputy.pdf"
    path.write_bytes(pdf)
    return path


def test_poster_is_one_a4_page(deputy_pdf):
    info = poppler("pdfinfo", str(deputy_pdf))

    assert deputy_pdf.read_bytes().startswith(b"%PDF")
    assert "Pages:           1" in info
    assert "595.276 x 841.89 pts (A4)" in info


def test_poster_embeds_a_chinese_font(deputy_pdf):
    fonts = poppler("pdffonts", str(deputy_pdf))
    cjk = [line for line in fonts.splitlines() if "CJK" in line]

    assert cjk, fonts
    assert all(line.split()[-5] == "yes" for line in cjk)  # the "emb" column


def test_deputy_poster_shows_name_places_and_short_url(world, deputy_pdf):
    text = poppler("pdftotext", "-layout", str(deputy_pdf), "-")

    for expected in ["王代表", "东湖联络站", "东湖街道 东湖社区", "示范区", f"{BASE}/q/{world.deputy.qr_token}"]:
        assert expected in text


def test_poster_follows_the_language(world, tmp_path):
    path = tmp_path / "en.pdf"
    with translation.override("en"):
        path.write_bytes(posters.deputy_poster_pdf(world.deputy, BASE))
    text = " ".join(poppler("pdftotext", str(path), "-").split())

    assert "Deputy contact code" in text
    assert "Scan to tell your deputy what needs fixing. We reply within 48 hours." in text


def test_station_poster_has_no_photo_box_and_names_the_station(world, tmp_path):
    path = tmp_path / "station.pdf"
    with translation.override("en"):
        path.write_bytes(posters.station_poster_pdf(world.station1, BASE))
    text = poppler("pdftotext", str(path), "-")

    assert "Liaison station contact code" in text
    assert world.station1.name in text
    assert f"{BASE}/q/{world.station1.qr_token}" in text
    assert "Photo" not in text


def test_deputy_poster_content(world):
    with translation.override("en"):
        poster = posters.deputy_poster(world.deputy, BASE)

    assert poster.title == "王代表"
    assert poster.subtitle == "Deputy · District congress"
    assert poster.lines == ["Liaison station: 东湖联络站", "东湖街道 东湖社区"]
    assert poster.district == "示范区"
    assert poster.url == f"{BASE}/q/{world.deputy.qr_token}"
    assert poster.with_photo


def test_poster_rendering_fetches_only_data_uris(world, monkeypatch):
    fetched: list[str] = []
    real_fetch = posters.PosterFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return real_fetch(self, url, headers)

    monkeypatch.setattr(posters.PosterFetcher, "fetch", spy)
    posters.deputy_poster_pdf(world.deputy, BASE)

    assert fetched == [qr.svg_data_uri(f"{BASE}/q/{world.deputy.qr_token}")]


def test_poster_renders_with_the_network_cut_off(world, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the poster tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)

    assert posters.station_poster_pdf(world.station1, BASE).startswith(b"%PDF")


@pytest.mark.parametrize(
    "url",
    ["https://lianxin.example.org/logo.png", "http://127.0.0.1/x.css", "ftp://host/x", "file:///etc/passwd"],
)
def test_fetcher_refuses_anything_but_data_and_static_files(url):
    with pytest.raises(ValueError):
        posters.PosterFetcher().fetch(url)


def test_fetcher_reads_data_uris():
    uri = "data:text/plain;base64," + base64.b64encode(b"hello").decode()

    assert posters.PosterFetcher().fetch(uri).read() == b"hello"


def test_fetcher_reads_local_static_files(settings):
    css = settings.BASE_DIR / "lianxin" / "static" / "css" / "lianxin.css"
    response = posters.PosterFetcher().fetch(css.as_uri())

    assert response.read() == css.read_bytes()
    assert response.content_type == "text/css"


def test_fetcher_refuses_a_path_that_climbs_out_of_static(settings):
    outside = (settings.BASE_DIR / "lianxin" / "static" / ".." / ".." / "pyproject.toml").as_uri()

    with pytest.raises(ValueError):
        posters.PosterFetcher().fetch(outside)
