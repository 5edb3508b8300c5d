"""Staff and deputies' pages: the round list, a round's page per step, a candidate's form,
a project's page (plan, milestones, progress, urging, inspections, look-back). Thin views:
one form, one service. Status codes as in cases.views: 400 bad input, 403 a step never
allowed to this role, 404 out of scope, 409 the round changed meanwhile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lianxin.core.errors import ApplicationError
from lianxin.deputies import qr

from . import forms, selectors, services
from .actions import PROJECT_ACTIONS, ROUND_ACTIONS
from .ballot import electors, required_candidates
from .models import CandidateStatus, ProgressPhoto
from .workflow import ORDER, STATUS_LABELS, TRANSITIONS, Actor, Status, actions_from


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = selectors.round_list_for_user(request.user)
    form = forms.RoundCreateForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                round_ = services.round_create(actor=request.user, **form.cleaned_data)
                return redirect("projects:round", pk=round_.pk)
            except ApplicationError as error:
                form.add_error(None, error.message)
        status = 400
    may_create = form.fields["place"].queryset.exists() and bool(
        selectors.user_scope(request.user).office_paths or request.user.is_superuser
    )
    context = {
        "rounds": rounds,
        "form": form,
        "may_create": may_create,
        "supervised": selectors.supervised_projects(request.user),
        "led": selectors.department_projects(request.user),
    }
    return render(request, "projects/round_list.html", context, status=status)


def _failed(failed) -> dict:
    """What the round and project templates need to reopen a refused form; the look-back
    list's own small forms (one per inspection) get back their text and messages too."""
    if not failed:
        return {"failed_action": ""}
    action, form = failed
    return {
        "failed_action": action,
        "failed_inspection": form.data.get(form.add_prefix("inspection"), ""),
        "failed_text": form.data.get(form.add_prefix("findings" if action == "inspect" else "text"), ""),
        "failed_errors": form.errors,
    }


# The button of each step that moves the round on.
MOVE_LABELS = {
    "open_solicitation": gettext_lazy("Open solicitation"),
    "close_solicitation": gettext_lazy("Close solicitation and shortlist"),
    "send_to_deliberation": gettext_lazy("Send to deliberation"),
    "open_ballot": gettext_lazy("Open the ballot"),
    "close_ballot": gettext_lazy("Close and count the ballot"),
    "start_implementation": gettext_lazy("Start implementation"),
    "open_evaluation": gettext_lazy("Open the satisfaction survey"),
    "start_look_back": gettext_lazy("Start the look-back"),
    "close": gettext_lazy("Close the round"),
}


# The steps after which departments no longer report progress (only implementation takes reports).
LEAVING_IMPLEMENTATION = {"open_evaluation", "start_look_back", "close"}


def _round_context(request, round_, failed=None) -> dict:
    actors = selectors.round_actors_for_user(request.user, round_)
    allowed = {a.value for a in actions_from(Status(round_.status), actors)}
    offered = {name: spec for name, spec in ROUND_ACTIONS.items() if spec.action.value in allowed}
    forms_ = {}
    for name, spec in offered.items():
        if spec.form is not None:
            forms_[name] = (
                failed[1]
                if failed and failed[0] == name
                else spec.form(None, None, user=request.user, obj=round_, prefix=name)
            )
    candidates = list(selectors.candidates(round_))
    live = [c for c in candidates if c.status == CandidateStatus.CANDIDATE]
    needed = required_candidates(round_.seats, max(round_.ratio, round_.min_ratio)) if round_.seats else None
    by_project, by_department = selectors.survey_results(round_)
    for c in candidates:
        c.survey = by_project.get(c.pk)
    public_url = qr.site_base(request) + reverse("projects_public:solicit", args=[round_.public_token])
    moves = [(n, n in forms_, MOVE_LABELS[n]) for n, s in offered.items() if TRANSITIONS[s.action].target is not None]
    leaving_work = any(name in LEAVING_IMPLEMENTATION for name, _form, _label in moves)
    return {
        **_failed(failed),
        "round": round_,
        "moves": moves,
        "steps": [(s, STATUS_LABELS[s], ORDER.index(s) <= ORDER.index(Status(round_.status))) for s in ORDER],
        "status_label": STATUS_LABELS[Status(round_.status)],
        "offered": offered,
        "forms": forms_,
        "is_office": bool(actors & {Actor.OFFICE, Actor.ADMIN}),
        # The vote button only for the deputies on the frozen list of electors.
        "is_elector": selectors.user_scope(request.user).deputy_id in round_.ballot_rules.get("electors", []),
        "proposals": selectors.proposals(round_),
        "candidates": candidates,
        # Warned before the steps after implementation: these projects' progress stays as it is.
        "unfinished": [c for c in candidates if c.status == CandidateStatus.ADOPTED and c.percent_done < 100]
        if leaving_work
        else [],
        "live_count": len(live),
        "needed": needed,
        "electors": electors(round_).count(),
        "remarks": round_.remarks.select_related("author", "candidate"),
        "dimensions": selectors.dimension_labels(round_),
        "department_results": selectors.department_results(by_department),
        # Survey answers are counted in the results, not listed one by one.
        "events": selectors.timeline(round_).exclude(action="respond_survey").order_by("-at", "-id")[:100],
        "before_ballot": round_.status in (Status.DRAFT, Status.SOLICITING, Status.SHORTLISTING, Status.DELIBERATION),
        "public_url": public_url,
        "qr": qr.svg_data_uri(public_url, scale=4),
    }


@login_required
@require_safe
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get_for_user(request.user, pk)
    return render(request, "projects/round.html", _round_context(request, round_))


def _refuse(request, error: ApplicationError) -> int:
    return {"conflict": 409, "not_found": 404, "forbidden": 403}.get(error.code, 400)


@login_required
@require_POST
def round_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ROUND_ACTIONS.get(action)
    if spec is None:
        raise Http404
    round_ = selectors.round_get_for_user(request.user, pk)
    actors = selectors.round_actors_for_user(request.user, round_)
    if not actors & TRANSITIONS[spec.action].actors:
        raise PermissionDenied
    form = spec.form(request.POST, request.FILES, user=request.user, obj=round_, prefix=action) if spec.form else None
    if form is not None and not form.is_valid():
        return render(request, "projects/round.html", _round_context(request, round_, (action, form)), status=400)
    try:
        spec.run(round_, request.user, form.cleaned_data if form else {})
    except ApplicationError as error:
        if form is None:
            messages.error(request, error.message)
            round_.refresh_from_db()
            return render(
                request, "projects/round.html", _round_context(request, round_), status=_refuse(request, error)
            )
        form.add_error(None, error.message)
        return render(
            request,
            "projects/round.html",
            _round_context(request, round_, (action, form)),
            status=_refuse(request, error),
        )
    messages.success(request, spec.done)
    return redirect("projects:round", pk=round_.pk)


@login_required
@require_safe
def round_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The solicitation page's QR code as a printable SVG (or PNG with ?png=1)."""
    round_ = selectors.round_get_for_user(request.user, pk)
    url = qr.site_base(request) + reverse("projects_public:solicit", args=[round_.public_token])
    if request.GET.get("png"):
        return HttpResponse(qr.qr_png(url), content_type="image/png")
    return HttpResponse(qr.qr_svg(url), content_type="image/svg+xml")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, pk)
    initial = {
        "title": project.title,
        "description": project.description,
        "location": project.location,
        "cost": project.cost,
        "department": project.department,
        "feasibility": project.feasibility,
    }
    form = forms.CandidateForm(request.POST or None, initial=initial, user=request.user)
    withdraw = forms.ReasonForm(prefix="withdraw")
    status = 200
    if request.method == "POST":
        try:
            if "withdraw-note" in request.POST:
                withdraw = forms.ReasonForm(request.POST, prefix="withdraw")
                if withdraw.is_valid():
                    services.candidate_withdraw(
                        candidate=project, actor=request.user, note=withdraw.cleaned_data["note"]
                    )
                    return redirect("projects:round", pk=project.round_id)
            elif form.is_valid():
                services.candidate_update(candidate=project, actor=request.user, **form.cleaned_data)
                messages.success(request, _saved())
                return redirect("projects:round", pk=project.round_id)
        except ApplicationError as error:
            (withdraw if "withdraw-note" in request.POST else form).add_error(None, error.message)
            status = _refuse(request, error)
        else:
            status = 400
    context = {
        "project": project,
        "form": form,
        "withdraw": withdraw,
        "proposals": project.proposals.select_related("case"),
    }
    return render(request, "projects/candidate.html", context, status=status)


def _saved():
    from django.utils.translation import gettext

    return gettext("Candidate saved.")


def _project_context(request, project, failed=None) -> dict:
    round_ = project.round
    actors = selectors.round_actors_for_user(request.user, round_, project)
    allowed = (
        {a.value for a in actions_from(Status(round_.status), actors)}
        if project.status == CandidateStatus.ADOPTED
        else set()
    )
    offered = {n: s for n, s in PROJECT_ACTIONS.items() if s.action.value in allowed}
    if not actors & {Actor.OFFICE, Actor.ADMIN}:
        offered.pop("schedule", None)
    forms_ = {
        n: failed[1] if failed and failed[0] == n else s.form(None, None, user=request.user, obj=project, prefix=n)
        for n, s in offered.items()
    }
    milestones = list(project.milestones.all())
    if all(m.done_at for m in milestones):
        forms_.pop("milestone_reschedule", None)  # nothing left to move
    if "plan" in forms_ and not (failed and failed[0] == "plan"):
        forms_["plan"].initial = {
            "department": project.department,
            "budget": project.budget if project.budget is not None else project.cost,  # the estimate to start from
            "supervisors": list(project.supervisors.all()),
        }
    by_project, _by_department = selectors.survey_results(round_)
    return {
        **_failed(failed),
        "project": project,
        "round": round_,
        "offered": offered,
        "forms": forms_,
        "milestones": milestones,
        "reports": project.reports.select_related("author").prefetch_related("photos"),
        "inspections": project.inspections.select_related("inspector", "follow_up_case"),
        "supervisors": project.supervisors.all(),
        "survey": by_project.get(project.pk),
        "dimensions": selectors.dimension_labels(round_),
        "events": selectors.timeline(round_, project=project).exclude(action="respond_survey").order_by("-at", "-id"),
        "today": selectors.today(),
    }


def _render_failed_project(request, project, action: str, form, status: int = 400) -> HttpResponse:
    context = _project_context(request, project, (action, form))
    context["photos_dropped"] = bool(request.FILES)
    return render(request, "projects/project.html", context, status=status)


@login_required
@require_safe
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get_for_user(request.user, pk)
    return render(request, "projects/project.html", _project_context(request, project))


@login_required
@require_POST
def project_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = PROJECT_ACTIONS.get(action)
    if spec is None:
        raise Http404
    project = selectors.project_get_for_user(request.user, pk)
    actors = selectors.round_actors_for_user(request.user, project.round, project)
    if not actors & TRANSITIONS[spec.action].actors:
        raise PermissionDenied
    form = spec.form(request.POST, request.FILES, user=request.user, obj=project, prefix=action)
    if not form.is_valid():
        return _render_failed_project(request, project, action, form)
    try:
        spec.run(project, request.user, form.cleaned_data)
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _render_failed_project(request, project, action, form, status=_refuse(request, error))
    messages.success(request, spec.done)
    return redirect("projects:project", pk=project.pk)


@login_required
@require_safe
def photo(request: HttpRequest, pk: int) -> FileResponse:
    found = ProgressPhoto.objects.filter(pk=pk).select_related("report__project").first()
    if found is None:
        raise Http404
    selectors.project_get_for_user(request.user, found.report.project_id)
    return FileResponse(found.image.open("rb"), content_type="image/jpeg")
