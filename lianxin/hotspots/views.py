"""The hot-issues page (热点问题) and the two buttons of the likely duplicates on the case page.

Out of scope and missing are both 404; a refused decision is 403 (a role that never decides
on duplicates) or 409 (decided or changed meanwhile), shown on a small page with a way back.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lianxin.core import clock
from lianxin.core.errors import ApplicationError
from lianxin.triage import hot as hot_rules

from . import selectors, services
from .forms import HotFilterForm

_REFUSAL_STATUS = {"not_found": 404, "not_allowed": 403}


@login_required
@require_safe
def hot(request: HttpRequest) -> HttpResponse:
    roots = selectors.hot_roots(request.user)
    if not roots:
        raise Http404
    form = HotFilterForm(request.GET, user=request.user, roots=roots, today=timezone.localdate(clock.now()))
    query = form.query()
    for problem in query.problems:
        messages.warning(request, problem)
    page = selectors.hot_issues(
        request.user, place=query.place, date_from=query.date_from, date_to=query.date_to, now=clock.now()
    )
    context = {
        "page": page,
        "form": form.for_display(query),
        "group_percent": round(hot_rules.GROUP_MIN_SIMILARITY * 100),
        "half_life": hot_rules.HALF_LIFE_DAYS,
        "urge_weight": hot_rules.URGE_WEIGHT,
        "baseline_weeks": hot_rules.BASELINE_WEEKS,
        "min_jump": hot_rules.MIN_JUMP_COUNT,
    }
    return render(request, "hotspots/hot.html", context)


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get_for_user(request.user, pk)
    try:
        services.candidate_merge(candidate=candidate, actor=request.user)
    except ApplicationError as error:
        return _refused(request, candidate, error)
    original = candidate.original.duplicate_of or candidate.original
    message = _("%(case)s is merged into %(code)s: it will get that case's reply.")
    messages.success(request, message % {"case": candidate.case.display_code, "code": original.display_code})
    return _back(request, candidate)


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = selectors.candidate_get_for_user(request.user, pk)
    try:
        services.candidate_dismiss(candidate=candidate, actor=request.user)
    except ApplicationError as error:
        return _refused(request, candidate, error)
    messages.success(request, _("Noted: %(code)s is not the same issue.") % {"code": candidate.original.display_code})
    return _back(request, candidate)


def _back(request: HttpRequest, candidate) -> HttpResponse:
    """Back to the triage queue the button was in, or to the case page."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    if target.startswith("/") and safe:
        return redirect(target)
    return redirect("cases:detail", pk=candidate.case_id)


def _refused(request: HttpRequest, candidate, error: ApplicationError) -> HttpResponse:
    if error.code == "not_found":
        raise Http404
    status = _REFUSAL_STATUS.get(error.code, 409 if error.code in ("conflict", "transition_not_allowed") else 400)
    context = {"message": error.message, "case_id": candidate.case_id}
    return render(request, "hotspots/refused.html", context, status=status)
