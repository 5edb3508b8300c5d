"""The QR code pages: the list of deputies' and stations' codes, and their downloads
(PNG, SVG, A4 poster PDF). Reads go through scoped selectors: out of scope is 404."""

from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lianxin.places.models import Station

from . import posters, qr, selectors
from .models import Deputy

PAGE_SIZE = 25
QR_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class CodeRow:
    """One deputy or station with its short URL and a small preview of its code."""

    obj: Deputy | Station
    url: str
    preview: str


def _row(obj: Deputy | Station, base: str) -> CodeRow:
    url = qr.short_url(obj.qr_token, base)
    return CodeRow(obj=obj, url=url, preview=qr.svg_data_uri(url, scale=qr.PREVIEW_SCALE))


@login_required
@require_safe
def code_list(request: HttpRequest) -> HttpResponse:
    base = qr.site_base(request)
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.deputy_search_for_user(request.user, query), PAGE_SIZE).get_page(request.GET.get("page"))
    own = selectors.own_deputy_for_user(request.user)
    context = {
        "query": query,
        "page": page,
        "deputies": [_row(d, base) for d in page],
        "stations": [_row(s, base) for s in selectors.station_list_with_place_for_user(request.user)],
        "own": _row(own, base) if own else None,
    }
    return render(request, "deputies/list.html", context)


@login_required
@require_safe
def deputy_qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    deputy = selectors.deputy_get_for_user(request.user, pk)
    return _qr_response(request, deputy, fmt, prefix="deputy")


@login_required
@require_safe
def station_qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    station = selectors.station_get_for_user(request.user, pk)
    return _qr_response(request, station, fmt, prefix="station")


@login_required
@require_safe
def deputy_poster(request: HttpRequest, pk: int) -> HttpResponse:
    deputy = selectors.deputy_get_for_user(request.user, pk)
    pdf = posters.deputy_poster_pdf(deputy, qr.site_base(request))
    return _download(pdf, "application/pdf", deputy, "deputy", "poster.pdf", inline=True)


@login_required
@require_safe
def station_poster(request: HttpRequest, pk: int) -> HttpResponse:
    station = selectors.station_get_for_user(request.user, pk)
    pdf = posters.station_poster_pdf(station, qr.site_base(request))
    return _download(pdf, "application/pdf", station, "station", "poster.pdf", inline=True)


def _qr_response(request: HttpRequest, obj: Deputy | Station, fmt: str, *, prefix: str) -> HttpResponse:
    url = qr.short_url(obj.qr_token, qr.site_base(request))
    body = qr.qr_png(url) if fmt == "png" else qr.qr_svg(url)
    return _download(body, QR_TYPES[fmt], obj, prefix, f"qr.{fmt}")


def _download(body: bytes, content_type: str, obj, prefix: str, suffix: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        ascii_name=f"{prefix}-{obj.qr_token}-{suffix}",
        utf8_name=f"{obj.name}-{obj.qr_token}-{suffix}",
        inline=inline,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def content_disposition(*, ascii_name: str, utf8_name: str, inline: bool = False) -> str:
    """An ASCII filename for old clients and the real (Chinese) one as RFC 6266 filename*."""
    safe_ascii = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\;' else "_" for ch in ascii_name)
    utf8 = quote(utf8_name.replace("/", "_").replace("\\", "_"), safe="")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{safe_ascii}\"; filename*=UTF-8''{utf8}"
