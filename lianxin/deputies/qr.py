"""The QR codes (代表码, 联络站码): each encodes a short URL on this server, `<base>/q/<qr_token>`.

Plain functions, no database: the views, the posters and the bulk command share them.
"""

import base64
import io

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import reverse

# Level Q survives about a quarter of the code being dirty, torn or covered by tape, which
# posters on a notice board outdoors are; segno raises it further when that costs nothing.
ERROR_LEVEL = "q"
# The quiet zone the standard asks for (4 modules): scanners fail without it on busy walls.
BORDER = 4
# A short URL makes a version 3-4 code (29-33 modules + border): at 30 px a module and
# 300 dpi the PNG is about 10 cm wide, sharp when a station prints it on its own.
PNG_SCALE = 30
PNG_DPI = 300
SVG_SCALE = 10
PREVIEW_SCALE = 3


def site_base(request: HttpRequest | None = None) -> str:
    """Scheme and host the codes point at: SITE_URL when set (a printed code must not follow
    whatever host a request came in on), else the host of the request, without a final slash."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    if request is None:
        raise ImproperlyConfigured("SITE_URL is not set and there is no request to take the host from.")
    return request.build_absolute_uri("/").rstrip("/")


def short_url(token: str, base: str) -> str:
    """The URL a code encodes: the resident's submission page bound to a deputy or station."""
    return base.rstrip("/") + reverse("public:intake", args=[token])


def qr_code(url: str) -> segno.QRCode:
    # Never a Micro QR: phone cameras and WeChat's scanner do not read them.
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=PNG_SCALE, border=BORDER, dpi=PNG_DPI)
    return buffer.getvalue()


def qr_svg(url: str, *, scale: int = SVG_SCALE) -> bytes:
    """A standalone SVG document. `save(kind="svg")` and not `svg_inline()`: the latter has no
    SVG namespace, and browsers and WeasyPrint then refuse it as an image."""
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="svg", scale=scale, border=BORDER, title=url)
    return buffer.getvalue()


def svg_data_uri(url: str, *, scale: int = SVG_SCALE) -> str:
    """The code as a data: URI, for <img> in pages and posters without another request."""
    encoded = base64.b64encode(qr_svg(url, scale=scale)).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
