"""The cockpit page (驾驶舱): read-only figures for the user's subtree. Users without any place
in their scope (department handlers, people without a role) get a 404, like any page whose
object they may not see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from lianxin.core import clock

from . import present, selectors
from .forms import CockpitFilterForm


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    roots = selectors.cockpit_roots(request.user)
    if not roots:
        raise Http404
    form = CockpitFilterForm(request.GET, user=request.user, roots=roots, today=timezone.localdate(clock.now()))
    query = form.query()
    for problem in query.problems:
        messages.warning(request, problem)
    figures = selectors.cockpit_figures(
        request.user, place=query.place, date_from=query.date_from, date_to=query.date_to, category=query.category
    )
    return render(request, "cockpit/home.html", _context(figures, form.for_display(query)))


def _context(figures: dict, form: CockpitFilterForm) -> dict:
    categories, places = present.category_rows(figures), present.place_rows(figures)
    months, channels = present.month_rows(figures), present.channel_rows(figures)
    return {
        "figures": figures,
        "form": form,
        "tiles": present.tiles(figures),
        "categories": categories,
        "places": places,
        "months": months,
        "channels": channels,
        "chart_data": present.chart_data(categories, places, months, channels),
        "window_hours": int(selectors.REPLY_WINDOW.total_seconds() // 3600),
    }
