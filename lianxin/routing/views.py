"""Staff pages of the routing app: accept a suggestion in one click, the classifier versions
with their scores, and an office's automatic-triage settings with measured precision.

Refusals follow the staff screens: 400 bad input, 403 a step the user's role never takes,
404 out of scope (or a page the role does not have), 409 the case changed meanwhile."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lianxin.cases import selectors as case_selectors
from lianxin.cases.models import Case
from lianxin.cases.workflow import TRANSITIONS, Action
from lianxin.core.errors import ApplicationError
from lianxin.places.models import Category, Place
from lianxin.places.scope import category_list

from . import selectors, services
from .forms import AcceptSuggestionForm, AutoTriageForm
from .models import AutoTriageSetting, CasePrediction, ModelVersion

_CONFLICT_CODES = {"conflict", "transition_not_allowed"}


# --- one click ------------------------------------------------------------------------------


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_selectors.case_get_for_user(request.user, pk)
    if not case_selectors.case_actors_for_user(request.user, case) & TRANSITIONS[Action.TRIAGE].actors:
        raise PermissionDenied
    form = AcceptSuggestionForm(request.POST)
    if not form.is_valid():
        return _refused(request, case, _("The form was incomplete. Please try again from the case page."), 400)
    prediction = CasePrediction.objects.filter(pk=form.cleaned_data["prediction"], case=case).first()
    if prediction is None:
        raise Http404
    seen = form.cleaned_data["seen_status"]
    if seen and seen != case.status:
        return _refused(request, case, _("Someone else changed this case a moment ago. Please reload it."), 409)
    try:
        services.suggestion_accept(case=case, actor=request.user, prediction=prediction)
    except ApplicationError as error:
        if error.code == "not_found":
            raise Http404 from None
        status = 409 if error.code in _CONFLICT_CODES else 400
        message = _("Someone else changed this case a moment ago. Please reload it.") if status == 409 else None
        return _refused(request, case, message or error.message, status)
    messages.success(
        request,
        _("Case %(code)s is triaged as “%(category)s” and assigned to %(department)s.")
        % {"code": case.display_code, "category": prediction.category.name, "department": case.lead_department.name},
    )
    target = _next_url(request, form.cleaned_data["next"])
    return redirect(target) if target else redirect("cases:detail", pk=case.pk)


def _next_url(request: HttpRequest, target: str) -> str:
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False)
    return target if target and safe and target.startswith("/") else ""


def _refused(request: HttpRequest, case: Case, message: str, status: int) -> HttpResponse:
    context = {"case": case, "message": message, "conflict": status == 409}
    return render(request, "routing/refused.html", context, status=status)


# --- the model page -------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionView:
    version: ModelVersion
    per_class: list[tuple[str, float]]
    confusion_labels: list[str]
    confusion_rows: list[tuple[str, list[int]]]


def _version_view(version: ModelVersion, names: dict[str, str]) -> VersionView:
    metrics = version.metrics or {}
    per_class = [(names.get(code, code), f1) for code, f1 in sorted((metrics.get("per_class_f1") or {}).items())]
    confusion = metrics.get("confusion") or {}
    labels = [names.get(code, code) for code in confusion.get("labels", [])]
    rows = list(zip(labels, confusion.get("matrix", []), strict=False))
    return VersionView(version, per_class, labels, rows)


@login_required
@require_safe
def model_list(request: HttpRequest) -> HttpResponse:
    if not selectors.may_manage_triage(request.user):
        raise Http404
    names = {c.code: c.name for c in Category.objects.all()}
    versions = [_version_view(v, names) for v in selectors.model_versions()[:20]]
    return render(request, "routing/models.html", {"versions": versions})


# --- an office's automatic triage -----------------------------------------------------------


def _chosen_place(request: HttpRequest) -> tuple[Place, list[Place]]:
    places = list(selectors.office_places_for_user(request.user))
    if not places:
        raise Http404
    wanted = request.POST.get("place") or request.GET.get("place")
    chosen = next((p for p in places if str(p.pk) == wanted), None)
    if wanted and chosen is None:
        raise Http404
    return chosen or places[0], places


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def auto_settings(request: HttpRequest) -> HttpResponse:
    if not selectors.may_manage_triage(request.user):
        raise Http404
    place, places = _chosen_place(request)
    categories = list(category_list())
    current = {s.category_id: s for s in AutoTriageSetting.objects.filter(place=place)}
    data = request.POST if request.method == "POST" else None
    form = AutoTriageForm(data, categories=categories, current=current)
    if request.method == "POST":
        if form.is_valid():
            choices = [services.AutoTriageChoice(c, on, t) for c, on, t in form.choices()]
            try:
                services.auto_triage_save(actor=request.user, place=place, choices=choices)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The automatic triage settings of %(place)s are saved.") % {"place": place})
                return redirect(f"{request.path}?place={place.pk}")
        return _render_settings(request, place, places, form, current, status=400)
    return _render_settings(request, place, places, form, current)


def _render_settings(request, place, places, form, current, *, status: int = 200) -> HttpResponse:
    version = selectors.active_model_version()
    own = {c.pk: [current[c.pk].threshold] if c.pk in current else [] for c in form.categories}
    thresholds = {pk: own[pk] + list(selectors.THRESHOLDS) for pk in own}
    table = selectors.precision_table(place=place, version=version, categories=form.categories, thresholds=thresholds)
    inherited = selectors.auto_settings_above(place)
    rows = [
        {
            "category": category,
            "enabled": enabled,
            "threshold": threshold,
            "current": table[category.pk][0] if category.pk in current else None,
            "measures": table[category.pk][len(own[category.pk]) :],
            "inherited": inherited.get(category.pk) if category.pk not in current else None,
        }
        for category, enabled, threshold in form.rows()
    ]
    context = {
        "place": place,
        "places": places,
        "form": form,
        "rows": rows,
        "version": version,
        "thresholds": selectors.THRESHOLDS,
    }
    return render(request, "routing/auto_settings.html", context, status=status)
