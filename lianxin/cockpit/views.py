"""The cockpit (驾驶舱): read-only figures for the user's subtree, as a page, as a big screen for
the station's wall display, and the hot-issues panel loaded after the page. Users without any
place in their scope (department handlers, people without a role) get a 404, like any page
whose object they may not see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from lianxin.core import clock
from lianxin.hotspots import selectors as hot_selectors
from lianxin.hotspots.forms import HotFilterForm
from lianxin.places.models import Place
from lianxin.projects import selectors as project_selectors

from . import present, selectors
from .forms import CockpitFilterForm, CockpitQuery

SCREEN_REFRESH_SECONDS = 60
SCREEN_ROWS = 6  # table rows that fit a big-screen card
HOT_SHOWN = 5


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    form, query, figures = _figures_for(request)
    for problem in query.problems:
        messages.warning(request, problem)
    context = _context(figures, form.for_display(query)) | {"trail": _trail(figures, form.roots)}
    context["screen_url"] = present.cockpit_url(
        figures, place_id=_place_id(figures), view="cockpit:screen", rolling=_rolling(request, query)
    )
    year = timezone.localdate(clock.now()).year
    panel = project_selectors.cockpit_projects(request.user, place=figures["place"], year=year)
    context |= {"project_rounds": present.project_rounds(panel), "project_year": year}
    return render(request, "cockpit/home.html", context)


@login_required
@require_safe
def screen(request: HttpRequest) -> HttpResponse:
    """The big screen: the same figures, dark, 1920×1080, refreshed by htmx every minute (only the
    panels are sent again; a failed refresh keeps the last figures on the wall)."""
    form, query, figures = _figures_for(request)
    context = _context(figures, form.for_display(query), limit=SCREEN_ROWS) | {
        "refresh_seconds": SCREEN_REFRESH_SECONDS,
        "page_url": present.cockpit_url(figures, place_id=_place_id(figures), rolling=_rolling(request, query)),
        "problems": query.problems,
    }
    template = "cockpit/_screen_panels.html" if request.headers.get("HX-Request") else "cockpit/screen.html"
    return render(request, template, context)


@login_required
@require_safe
def hot(request: HttpRequest) -> HttpResponse:
    """The hot-issues panel of the cockpit (a fragment): the top issues and rising words of the
    period asked for (the cockpit asks for its last 30 days)."""
    roots = hot_selectors.hot_roots(request.user)
    if not roots:
        raise Http404
    form = HotFilterForm(request.GET, user=request.user, roots=roots, today=timezone.localdate(clock.now()))
    query = form.query()
    page = hot_selectors.hot_issues(
        request.user, place=query.place, date_from=query.date_from, date_to=query.date_to, now=clock.now()
    )
    params = {"date_from": query.date_from.isoformat(), "date_to": query.date_to.isoformat()}
    context = {"page": page, "issues": page.issues[:HOT_SHOWN], "more": max(0, len(page.issues) - HOT_SHOWN)}
    context["hot_url"] = present.hot_page_url(query.place, **params)
    return render(request, "cockpit/_hot.html", context)


def _figures_for(request: HttpRequest) -> tuple[CockpitFilterForm, CockpitQuery, dict]:
    roots = selectors.cockpit_roots(request.user)
    if not roots:
        raise Http404
    form = CockpitFilterForm(request.GET, user=request.user, roots=roots, today=timezone.localdate(clock.now()))
    query = form.query()
    figures = selectors.cockpit_figures(
        request.user, place=query.place, date_from=query.date_from, date_to=query.date_to, category=query.category
    )
    return form, query, figures


def _trail(figures: dict, roots: list[Place]) -> list[dict]:
    """The breadcrumb from the user's top place down to the shown place (one query)."""
    place = figures["place"]
    if place is None:
        return []
    top = next((r for r in roots if place.path.startswith(r.path)), place)
    parts = place.path.strip("/").split("/")
    paths = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    chain = Place.objects.filter(path__in=[p for p in paths if p.startswith(top.path)]).order_by("path")
    return present.trail(figures, list(chain))


def _context(figures: dict, form: CockpitFilterForm, limit: int | None = None) -> dict:
    """Everything both pages show; `limit` keeps the first rows of the long lists (big screen)."""
    categories, places = present.category_rows(figures)[:limit], present.place_rows(figures)[:limit]
    months, channels = present.month_rows(figures), present.channel_rows(figures)
    weeks, departments = present.week_rows(figures), present.department_rows(figures)[:limit]
    deputies = present.deputy_rows(figures)[:limit]
    return {
        "figures": figures,
        "form": form,
        "tiles": present.tiles(figures),
        "categories": categories,
        "places": places,
        "months": months,
        "weeks": weeks,
        "channels": channels,
        "departments": departments,
        "deputies": deputies,
        "deputy_totals": figures["deputies"]["totals"],
        "overdue": present.overdue_rows(figures)[:limit],
        "overdue_url": present.overdue_all_url(figures),
        "hot": present.hot_urls(figures),
        "chart_data": present.chart_data(categories, places, months, channels, weeks, departments, deputies),
        "window_hours": int(selectors.REPLY_WINDOW.total_seconds() // 3600),
    }


def _rolling(request: HttpRequest, query: CockpitQuery) -> bool:
    """No period was chosen (or a bad one was replaced): the default, ending today."""
    return bool(query.problems) or not (request.GET.get("date_from") or request.GET.get("date_to"))


def _place_id(figures: dict) -> int | None:
    return figures["place"].pk if figures["place"] else None
