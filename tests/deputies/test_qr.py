"""The codes encode exactly the short URL `<base>/q/<token>`, as PNG and as SVG."""

import base64
import io

import pytest
import segno
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from PIL import Image

from lianxin.deputies import qr
from tests.deputies.conftest import svg_root

SVG_NS = "{http://www.w3.org/2000/svg}"
URL = "https://lianxin.example.org/q/DBCDFGH"


def test_short_url_uses_site_url_when_set(settings):
    settings.SITE_URL = "https://lianxin.example.org/"
    request = RequestFactory().get("/deputies/", HTTP_HOST="10.0.0.5:8000")

    assert qr.short_url("DBCDFGH", qr.site_base(request)) == "https://lianxin.example.org/q/DBCDFGH"


def test_short_url_falls_back_to_the_host_of_the_request(settings):
    settings.SITE_URL = ""
    request = RequestFactory().get("/deputies/", HTTP_HOST="testserver")

    assert qr.short_url("S2345678", qr.site_base(request)) == "http://testserver/q/S2345678"


def test_site_base_needs_site_url_or_a_request(settings):
    settings.SITE_URL = ""

    with pytest.raises(ImproperlyConfigured):
        qr.site_base()


def test_code_encodes_exactly_the_short_url():
    ours = qr.qr_code(URL)

    assert ours.matrix == segno.make(URL, error="q", micro=False).matrix
    assert ours.matrix != segno.make(URL + "X", error="q", micro=False).matrix
    assert not ours.is_micro
    assert ours.error in {"Q", "H"}  # segno may raise the level when it costs nothing


def _modules_from_png(png: bytes, version_size: int) -> list[list[int]]:
    """Read the dark modules back from the PNG by sampling the centre of each module."""
    image = Image.open(io.BytesIO(png)).convert("L")
    step = qr.PNG_SCALE
    return [
        [1 if image.getpixel((x * step + step // 2, y * step + step // 2)) < 128 else 0 for x in range(version_size)]
        for y in range(version_size)
    ]


def test_png_decodes_as_an_image_whose_modules_are_the_url():
    png = qr.qr_png(URL)
    expected = segno.make(URL, error="q", micro=False)
    with_border = [list(row) for row in expected.matrix_iter(border=qr.BORDER)]

    image = Image.open(io.BytesIO(png))
    image.verify()
    assert _modules_from_png(png, len(with_border)) == [[int(bool(m)) for m in row] for row in with_border]


def test_png_is_big_enough_to_print_and_has_a_quiet_zone():
    image = Image.open(io.BytesIO(qr.qr_png(URL)))

    assert image.format == "PNG"
    assert image.width >= 900  # about 8 cm or more at 300 dpi
    assert round(image.info["dpi"][0]) == qr.PNG_DPI
    border_px = qr.BORDER * qr.PNG_SCALE
    grey = image.convert("L")
    assert all(grey.getpixel((x, border_px // 2)) == 255 for x in range(image.width))


def test_svg_is_xml_in_the_svg_namespace():
    root = svg_root(qr.qr_svg(URL))

    assert root.tag == f"{SVG_NS}svg"
    assert root.find(f"{SVG_NS}path") is not None
    assert root.findtext(f"{SVG_NS}title") == URL


def test_svg_data_uri_holds_the_same_svg_document():
    uri = qr.svg_data_uri(URL)

    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == qr.qr_svg(URL)
