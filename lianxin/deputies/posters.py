"""Printable A4 posters (PDF) of a deputy's or a station's QR code, made with WeasyPrint.

The poster is rendered in the active language. Rendering never touches the network: the
QR code is a data: URI, fonts come from fontconfig (Noto CJK), and the fetcher refuses
every URL except data: URIs and files inside the static folders.
"""

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from lianxin.cases.deadlines import promised_reply_hours
from lianxin.places.models import PlaceKind, Station

from . import qr
from .models import Deputy
from .selectors import place_trail

TEMPLATE = "deputies/poster.html"


class PosterFetcher(URLFetcher):
    """data: URIs and local static files only; anything else is refused (and WeasyPrint
    leaves that resource out), so a stray http(s) URL in a template can never be fetched."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_path(url)
        if path is None:
            raise ValueError(f"Posters may only use data: URIs and static files, not {url[:80]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_path(url: str) -> Path | None:
    """The local file behind a file: URL, if it lies inside a static folder."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    return path if path.is_file() and any(path.is_relative_to(root) for root in _static_roots()) else None


def _static_roots() -> list[Path]:
    """STATIC_ROOT and every folder the staticfiles finders search (project and apps)."""
    storages = [s for finder in finders.get_finders() for s in getattr(finder, "storages", {}).values()]
    return [Path(settings.STATIC_ROOT).resolve()] + [Path(s.location).resolve() for s in storages]


@dataclass(frozen=True)
class Poster:
    header: str
    title: str
    subtitle: str
    lines: list[str]
    with_photo: bool
    url: str
    instruction: str
    district: str


def deputy_poster(deputy: Deputy, base: str) -> Poster:
    trail = place_trail(deputy.station.place)
    return Poster(
        header=_("Deputy contact code"),
        title=deputy.name,
        subtitle=_("%(kind)s · %(level)s") % {"kind": deputy.get_kind_display(), "level": deputy.get_level_display()},
        lines=[_("Liaison station: %(station)s") % {"station": deputy.station.name}, _local_places(trail)],
        with_photo=True,
        url=qr.short_url(deputy.qr_token, base),
        instruction=_("Scan to tell your deputy what needs fixing. We reply within %(hours)d hours.")
        % {"hours": promised_reply_hours()},
        district=_district(trail),
    )


def station_poster(station: Station, base: str) -> Poster:
    trail = place_trail(station.place)
    lines = [_local_places(trail)]
    if station.address:
        lines.append(_("Address: %(address)s") % {"address": station.address})
    return Poster(
        header=_("Liaison station contact code"),
        title=station.name,
        subtitle=_("Deputies' liaison station"),
        lines=lines,
        with_photo=False,
        url=qr.short_url(station.qr_token, base),
        instruction=_("Scan to tell the deputies what needs fixing. We reply within %(hours)d hours.")
        % {"hours": promised_reply_hours()},
        district=_district(trail),
    )


def _local_places(trail: list) -> str:
    """Town and community (the district is in the footer), e.g. "东湖街道 东湖社区"."""
    return " ".join(p.name for p in trail if p.kind != PlaceKind.DISTRICT)


def _district(trail: list) -> str:
    return next((p.name for p in trail if p.kind == PlaceKind.DISTRICT), "")


def render_pdf(poster: Poster) -> bytes:
    html = render_to_string(TEMPLATE, {"poster": poster, "qr_uri": qr.svg_data_uri(poster.url)})
    return HTML(string=html, url_fetcher=PosterFetcher()).write_pdf()


def deputy_poster_pdf(deputy: Deputy, base: str) -> bytes:
    return render_pdf(deputy_poster(deputy, base))


def station_poster_pdf(station: Station, base: str) -> bytes:
    return render_pdf(station_poster(station, base))
