"""Turn cockpit figures into what the page shows: tiles, table rows with a link to the cases
behind every number, and the charts' data. No queries here."""

import calendar
from datetime import date, timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.cases.selectors import Queue
from lianxin.cases.workflow import Status

HOT_DAYS = 30


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
    """Each place below: its cases, and its own cockpit (the drill-down)."""
    base = base_filters(figures)
    rows = []
    for row in figures["by_place"]:
        # Cases at the place itself (or its grids) have no list or cockpit of their own: no link.
        url = cases_url(**(base | {"place": row["place_id"]})) if row["place_id"] else ""
        drill = cockpit_url(figures, place_id=row["place_id"]) if row["place_id"] else ""
        rows.append(_shown(row, url) | {"drill_url": drill})
    return rows


def page_params(figures: dict, place_id: int | None = None) -> dict:
    """The cockpit's own filters (to stay on the same category and period)."""
    category = figures["category"]
    return {
        "place": place_id,
        "category": category.pk if category else None,
        "date_from": figures["date_from"].isoformat(),
        "date_to": figures["date_to"].isoformat(),
    }


def cockpit_url(figures: dict, *, place_id: int | None, view: str = "cockpit:home", rolling: bool = False) -> str:
    """The cockpit (or its big screen) of a place, same category and period. A `rolling` link
    leaves the dates out, so that the period keeps ending today (a wall display stays up for days)."""
    params = page_params(figures, place_id)
    if rolling:
        params = {"place": params["place"], "category": params["category"]}
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{reverse(view)}?{urlencode(kept)}"


def trail(figures: dict, chain: list) -> list[dict]:
    """The breadcrumb: the user's top place down to the shown one, each a link to its cockpit."""
    return [{"name": p.name, "url": cockpit_url(figures, place_id=p.pk)} for p in chain]


def _shown(row: dict, url: str) -> dict:
    return row | {
        "url": url,
        "rate_48h_text": percent(row["rate_48h"]),
        "rating_text": stars(row["rating_avg"]),
        "satisfied_text": percent(row["satisfied_share"]),
    }


def month_rows(figures: dict) -> list[dict]:
    rows = []
    for row in figures["by_month"]:
        first, last = _month_bounds(row["month"], figures["date_from"], figures["date_to"])
        label = formats.date_format(row["month"], "YEAR_MONTH_FORMAT")
        rows.append(_span_row(row, figures, first, last, label=label, heading=label))
    return rows


def _span_row(row: dict, figures: dict, first: date, last: date, *, label: str, heading: str) -> dict:
    """A row of a trend (month or week) with links to its cases, cut to the period."""
    span = base_filters(figures) | {"date_from": first.isoformat(), "date_to": last.isoformat()}
    links = {"url": cases_url(**span), "closed_url": cases_url(**span, status=Status.CLOSED)}
    return row | {"label": label, "heading": heading} | links


def _month_bounds(month: date, date_from: date, date_to: date) -> tuple[date, date]:
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return max(month, date_from), min(last, date_to)


def week_rows(figures: dict) -> list[dict]:
    date_from, date_to = figures["date_from"], figures["date_to"]
    rows = []
    for row in figures["by_week"]:
        first, last = max(row["week"], date_from), min(row["week"] + timedelta(days=6), date_to)
        label = _("%(month)d/%(day)d") % {"month": row["week"].month, "day": row["week"].day}
        rows.append(_span_row(row, figures, first, last, label=label, heading=row["week"].isoformat()))
    return rows


def channel_rows(figures: dict) -> list[dict]:
    base, total = base_filters(figures), figures["totals"]["received"]
    return [
        row | {"url": cases_url(**base, channel=row["channel"]), "share_text": percent(row["received"] / total)}
        for row in figures["by_channel"]
    ]


def department_rows(figures: dict) -> list[dict]:
    """The league table, in the chosen category like every other panel."""
    base = base_filters(figures)
    rows = []
    for row in figures["departments"]:
        mine = {"place": base["place"], "category": base["category"], "department": row["department_id"]}
        rows.append(
            _shown(row, cases_url(**base, department=row["department_id"]))
            | {"overdue_url": cases_url(queue=Queue.OVERDUE, **mine), "returned": row.get("returned", 0)}
        )
    return rows


def deputy_rows(figures: dict) -> list[dict]:
    # The work list cannot filter by deputy or station yet: these numbers have no links.
    return list(figures["deputies"]["stations"])


def overdue_rows(figures: dict) -> list[dict]:
    return [
        row | {"url": reverse("cases:detail", args=[row["case_id"]]), "late_text": late_text(row["hours_overdue"])}
        for row in figures["overdue"]
    ]


def late_text(hours: int) -> str:
    if hours < 24:
        return ngettext("%(hours)d hour", "%(hours)d hours", hours) % {"hours": hours}
    days = hours // 24
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


def overdue_all_url(figures: dict) -> str:
    base = base_filters(figures)
    return cases_url(queue=Queue.OVERDUE, place=base["place"], category=base["category"])


def hot_period(figures: dict) -> tuple[date, date]:
    """The hot-issues panel reads texts: only the last HOT_DAYS days of the period."""
    date_from, date_to = figures["date_from"], figures["date_to"]
    return max(date_from, date_to - timedelta(days=HOT_DAYS - 1)), date_to


def hot_urls(figures: dict) -> dict:
    date_from, date_to = hot_period(figures)
    params = _place_param(figures["place"]) | {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    return {
        "fragment": f"{reverse('cockpit:hot')}?{urlencode(params)}",
        "page": f"{reverse('hotspots:hot')}?{urlencode(params)}",
    }


def hot_page_url(place, *, date_from: str, date_to: str) -> str:
    params = _place_param(place) | {"date_from": date_from, "date_to": date_to}
    return f"{reverse('hotspots:hot')}?{urlencode(params)}"


def _place_param(place) -> dict:
    return {"place": place.pk} if place is not None else {}


def chart_data(
    categories: list[dict],
    places: list[dict],
    months: list[dict],
    channels: list[dict],
    weeks: list[dict] = (),
    departments: list[dict] = (),
    deputies: list[dict] = (),
) -> dict:
    """What the charts draw, from the same rows as the tables (the tables are the source)."""
    return {
        "series": {
            "received": _("Received"),
            "answered": _("Answered"),
            "answered_48h": _("Cases answered within 48 hours"),
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
        "channel": [{"name": r["label"], "value": r["received"], "share": r["share_text"]} for r in channels],
        "week": {
            "names": [r["label"] for r in weeks],
            "received": [r["received"] for r in weeks],
            "answered": [r["answered"] for r in weeks],
            "closed": [r["closed"] for r in weeks],
        },
        "department": _bars(departments),
        "deputy": {
            "names": [r["name"] for r in deputies],
            "brought_in": [r["brought_in"] for r in deputies],
            "urged": [r["urged"] for r in deputies],
            "labels": {"brought_in": _("Brought in by deputies"), "urged": _("Urged by deputies")},
        },
    }


def _bars(rows: list[dict]) -> dict:
    return {
        "names": [r["name"] for r in rows],
        "received": [r["received"] for r in rows],
        "answered_48h": [r["answered_48h"] for r in rows],
    }


def project_rounds(panel) -> list[dict]:
    """The livelihood-projects panel: this year's rounds of the shown place and their adopted
    projects (milestones done of total, overdue ones), each linked to its page."""
    by_round: dict[int, list[dict]] = {}
    for p in panel.projects:
        by_round.setdefault(p.round_id, []).append(
            {
                "title": p.title,
                "url": reverse("projects:project", args=[p.pk]),
                "department": p.department.name if p.department else "",
                "percent": p.percent_done,
                "done": p.milestones_done,
                "total": p.milestones_total,
                "overdue": p.milestones_overdue,
            }
        )
    return [
        {
            "title": r.title,
            "place": r.place.name,
            "status": r.get_status_display(),
            "url": reverse("projects:round", args=[r.pk]),
            "projects": by_round.get(r.pk, []),
        }
        for r in panel.rounds
    ]
