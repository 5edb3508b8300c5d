"""Turn cockpit figures into what the page shows: tiles, table rows with a link to the cases
behind every number, and the charts' data. No queries here."""

import calendar
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from lianxin.cases.selectors import Queue
from lianxin.cases.workflow import Status


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def stars(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def cases_url(**params) -> str:
    """The work list with these filters (names of cases.forms.CaseFilterForm)."""
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{reverse('cases:work')}?{urlencode(kept)}"


def base_filters(figures: dict) -> dict:
    place, category = figures["place"], figures["category"]
    return {
        "queue": Queue.ALL,
        "place": place.pk if place else None,
        "category": category.pk if category else None,
        "date_from": figures["date_from"].isoformat(),
        "date_to": figures["date_to"].isoformat(),
    }


def tiles(figures: dict) -> list[dict]:
    t, base = figures["totals"], base_filters(figures)
    everything = cases_url(**base)
    overdue = cases_url(queue=Queue.OVERDUE, place=base["place"], category=base["category"])
    return [
        _tile(_("Received"), t["received"], everything, "received"),
        _tile(_("Answered"), t["answered"], everything, "answered"),
        _tile(_("Answered within 48 hours"), percent(t["rate_48h"]), everything, "rate-48h",
              _("%(answered)d of %(eligible)d cases") % {"answered": t["answered_48h"], "eligible": t["eligible_48h"]}),
        _tile(_("Closed"), t["closed"], cases_url(**base, status=Status.CLOSED), "closed"),
        _tile(_("Average satisfaction"), stars(t["rating_avg"]), everything, "rating",
              _("of 5 stars, %(rated)d cases rated") % {"rated": t["rated"]}),
        _tile(_("Satisfied (4–5 stars)"), percent(t["satisfied_share"]), everything, "satisfied",
              _("%(satisfied)d of %(rated)d rated") % {"satisfied": t["satisfied"], "rated": t["rated"]}),
        _tile(_("Adopted"), t["adopted"], everything, "adopted"),
        _tile(_("Overdue now"), t["overdue_now"], overdue, "overdue" + (" alert" if t["overdue_now"] else "")),
    ]  # fmt: skip


def _tile(label: str, value, url: str, css: str, detail: str = "") -> dict:
    return {"label": label, "value": value, "url": url, "css": css, "detail": detail}


def category_rows(figures: dict) -> list[dict]:
    base = base_filters(figures)
    rows = []
    for row in figures["by_category"]:
        linked = row["category_id"] is not None  # the work list has no "not classified" filter
        url = cases_url(**(base | {"category": row["category_id"]})) if linked else ""
        rows.append(_shown(row, url))
    return rows


def place_rows(figures: dict) -> list[dict]:
    base = base_filters(figures)
    rows = []
    for row in figures["by_place"]:
        # Cases at the place itself (or its grids) have no list of their own: no link.
        url = cases_url(**(base | {"place": row["place_id"]})) if row["place_id"] else ""
        rows.append(_shown(row, url))
    return rows


def _shown(row: dict, url: str) -> dict:
    return row | {
        "url": url,
        "rate_48h_text": percent(row["rate_48h"]),
        "rating_text": stars(row["rating_avg"]),
        "satisfied_text": percent(row["satisfied_share"]),
    }


def month_rows(figures: dict) -> list[dict]:
    base = base_filters(figures)
    rows = []
    for row in figures["by_month"]:
        first, last = _month_bounds(row["month"], figures["date_from"], figures["date_to"])
        month = base | {"date_from": first.isoformat(), "date_to": last.isoformat()}
        rows.append(
            row
            | {
                "label": formats.date_format(row["month"], "YEAR_MONTH_FORMAT"),
                "url": cases_url(**month),
                "closed_url": cases_url(**month, status=Status.CLOSED),
            }
        )
    return rows


def _month_bounds(month: date, date_from: date, date_to: date) -> tuple[date, date]:
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return max(month, date_from), min(last, date_to)


def channel_rows(figures: dict) -> list[dict]:
    base, total = base_filters(figures), figures["totals"]["received"]
    return [
        row | {"url": cases_url(**base, channel=row["channel"]), "share_text": percent(row["received"] / total)}
        for row in figures["by_channel"]
    ]


def chart_data(categories: list[dict], places: list[dict], months: list[dict], channels: list[dict]) -> dict:
    """What the charts draw, from the same rows as the tables (the tables are the source)."""
    return {
        "series": {
            "received": _("Received"),
            "answered": _("Answered"),
            "answered_48h": _("Answered within 48 hours"),
            "closed": _("Closed"),
        },
        "category": _bars(categories),
        "place": _bars(places),
        "month": {
            "names": [r["label"] for r in months],
            "received": [r["received"] for r in months],
            "answered": [r["answered"] for r in months],
            "closed": [r["closed"] for r in months],
        },
        "channel": [{"name": r["label"], "value": r["received"]} for r in channels],
    }


def _bars(rows: list[dict]) -> dict:
    return {
        "names": [r["name"] for r in rows],
        "received": [r["received"] for r in rows],
        "answered_48h": [r["answered_48h"] for r in rows],
    }
