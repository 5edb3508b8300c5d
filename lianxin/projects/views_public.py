"""Residents' pages, no login: the index of rounds and projects, the solicitation form behind
the round's QR code, the follow-up page of a proposal (by its code), the public project page
(progress, milestones, photos), and the satisfaction survey. Forms keep what was typed when
something is wrong."""

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lianxin.core import clock
from lianxin.core.codes import normalize_code
from lianxin.core.errors import ApplicationError
from lianxin.places.models import Place

from . import forms, selectors, selectors_public, services
from . import services_implementation as impl
from .models import ProgressPhoto
from .workflow import STATUS_LABELS, Status

IDEMPOTENCY_PREFIX = "proj-web:"


def _key() -> str:
    return uuid.uuid4().hex


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Where residents find the rounds taking proposals, the projects open for rating and this
    year's and last year's projects, without a QR code; `?place=` narrows it to one place."""
    return _render_index(request, place_id=request.GET.get("place", ""))


def _render_index(request: HttpRequest, *, place_id: str = "", extra: dict | None = None, status: int = 200):
    since_year = selectors.today().year - 1
    places = list(selectors.public_index_places(since_year=since_year))
    place = _chosen_place(place_id, places)
    context = {
        "places": places,
        "place": place,
        "soliciting": selectors.soliciting_rounds(place=place),
        "under_survey": selectors.rounds_under_survey(place=place),
        "groups": selectors.recent_public_projects(since_year=since_year, place=place),
        "since_year": since_year,
        "now": clock.now(),
        **(extra or {}),
    }
    return render(request, "projects/public/index.html", context, status=status)


def _chosen_place(value: str, places: list[Place]) -> Place | None:
    """The place whose id was asked for, if it is one of the choices; anything else shows all."""
    return next((p for p in places if str(p.pk) == value.strip()), None)


@require_http_methods(["GET", "HEAD", "POST"])
def solicit(request: HttpRequest, token: str) -> HttpResponse:
    round_ = selectors.round_by_token(token)
    open_now = round_.status == Status.SOLICITING
    if request.method != "POST":
        form = forms.ProposalPublicForm(initial={"idempotency_key": _key()})
        return _render_solicit(request, round_, form, open_now)
    form = forms.ProposalPublicForm(request.POST)
    if not open_now:
        form.is_valid()
        form.add_error(None, _("Proposals are not being collected now."))
        return _render_solicit(request, round_, form, open_now, status=400)
    if not form.is_valid():
        return _render_solicit(request, round_, form, open_now, status=400)
    data = dict(form.cleaned_data)
    key = data.pop("idempotency_key") or _key()
    try:
        proposal, _created = services.proposal_submit(round_=round_, idempotency_key=IDEMPOTENCY_PREFIX + key, **data)
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _render_solicit(request, round_, form, open_now, status=400)
    # A resend (same form key) returns the first proposal: the resident lands on the same page.
    messages.success(request, _("Thank you: your proposal has been received."))
    return redirect("projects_public:proposal", code=proposal.tracking_code)


def solicit_after_csrf_failure(request: HttpRequest, kwargs: dict) -> HttpResponse:
    """The page expired or WeChat blocked the cookie: the form again with what was typed.
    For core.views.csrf_failure (url name "projects_public:solicit")."""
    round_ = selectors.round_by_token(kwargs.get("token", ""))
    form = forms.ProposalPublicForm(request.POST)
    form.is_valid()
    form.add_error(None, _("The page had expired. We kept what you wrote: please check it and press “Send” again."))
    return _render_solicit(request, round_, form, round_.status == Status.SOLICITING, status=403)


def _render_solicit(request, round_, form, open_now, status=200) -> HttpResponse:
    context = {
        "round": round_,
        "form": form,
        "open_now": open_now,
        "status_label": STATUS_LABELS[Status(round_.status)],
        "projects": selectors.public_projects(round_),
    }
    return render(request, "projects/public/solicit.html", context, status=status)


# --- a proposal's follow-up (/p/proposals/<code>/) --------------------------------------------


@require_safe
def proposal_lookup(request: HttpRequest) -> HttpResponse:
    """The index's lookup form: to the proposal's page, or the index again saying the code is unknown."""
    typed = request.GET.get("code", "")
    if not typed.strip():
        return redirect(reverse("projects_public:index") + "#proposal-lookup")
    try:
        proposal = selectors_public.proposal_by_tracking_code(typed)
    except Http404:
        # No place tabs: relative to /p/proposals/?code=…, they would look the code up again.
        extra = {"typed": typed, "not_found": True, "places": []}
        return _opinion_with_code(typed) or _render_index(request, extra=extra, status=404)
    return redirect("projects_public:proposal", code=proposal.tracking_code)


def _opinion_with_code(typed: str) -> HttpResponse | None:
    """An opinion's tracking code typed here (the same kind of code, kept on another page)
    leads to that opinion's page instead of "not found"."""
    from lianxin.cases.selectors import case_get_by_tracking_code

    try:
        case = case_get_by_tracking_code(typed)
    except Http404:
        return None
    return redirect("public:track", code=case.tracking_code)


@require_safe
def proposal(request: HttpRequest, code: str) -> HttpResponse:
    """Where a resident's proposal stands; never the contact name or phone."""
    canonical = normalize_code(code)
    if canonical and canonical != code:
        return redirect("projects_public:proposal", code=canonical)
    try:
        proposal = selectors_public.proposal_by_tracking_code(code)
    except Http404:
        context = {"typed": code, "not_found": True}
        return _opinion_with_code(code) or render(request, "projects/public/proposal_unknown.html", context, status=404)
    context = {
        "proposal": proposal,
        "round": proposal.round,
        "standing": selectors_public.proposal_standing(proposal),
        "page_url": request.build_absolute_uri(reverse("projects_public:proposal", args=[proposal.tracking_code])),
        "now": clock.now(),
    }
    return render(request, "projects/public/proposal.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def project(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.public_project(pk)
    round_ = project.round
    now = clock.now()
    survey_open = round_.status == Status.EVALUATING and round_.survey_window_holds(now)
    form_class = forms.survey_form_class(round_)
    form = form_class(initial={"idempotency_key": _key()}) if survey_open else None
    status = 200
    if request.method == "POST":
        if not survey_open:
            raise Http404
        form = form_class(request.POST)
        if form.is_valid():
            scores = {k[6:]: v for k, v in form.cleaned_data.items() if k.startswith("score_")}
            try:
                impl.survey_respond(
                    project=project,
                    scores=scores,
                    comment=form.cleaned_data["comment"],
                    idempotency_key=IDEMPOTENCY_PREFIX + (form.cleaned_data["idempotency_key"] or _key()),
                )
                messages.success(request, _("Thank you for your rating."))
                return redirect("projects_public:project", pk=pk)
            except ApplicationError as error:
                form.add_error(None, error.message)
        status = 400
    context = {
        "project": project,
        "round": round_,
        "milestones": project.milestones.all(),
        "reports": project.reports.prefetch_related("photos")[:20],
        "events": selectors.timeline(round_, project=project, public_only=True).order_by("-at", "-id")[:50],
        "form": form,
        "today": selectors.today(),
    }
    return render(request, "projects/public/project.html", context, status=status)


@require_safe
def photo(request: HttpRequest, pk: int) -> FileResponse:
    found = ProgressPhoto.objects.filter(pk=pk, report__project__status="adopted").first()
    if found is None:
        raise Http404
    return FileResponse(found.image.open("rb"), content_type="image/jpeg")
