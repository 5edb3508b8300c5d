"""Staff screens: work queues, the case page with its action forms, exports, assisted intake.

Everything works without JavaScript. Reads go through scoped selectors (out of scope and
missing are both 404); each action posts one small form and calls one service.

Status codes of a refused action, used consistently: 400 when the input is wrong (form
error or a service's ApplicationError), 409 when the case changed under the user (stale
form), 403 when the user may never take this action on this case (e.g. a leader), 404
when the case is out of scope. The case page is re-rendered with the typed text kept.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lianxin.core import clock
from lianxin.core.codes import format_tracking_code
from lianxin.core.errors import ApplicationError
from lianxin.places.scope import Scope, may_record_opinions, user_scope

from . import exports, forms, selectors, services, sla
from .actions import ACTIONS, PROMOTE_DONE
from .actions import promote_to_project as promote_to_project_action
from .models import Case
from .selectors import Queue
from .workflow import AWAITING_REPLY, TRANSITIONS, Action

PAGE_SIZE = 50
TEXT_PREVIEW = 60
CONFLICT_MESSAGE = gettext_lazy("Someone else changed this case a moment ago. Please reload it.")

QUEUE_LABELS = {
    Queue.TRIAGE: gettext_lazy("Awaiting triage"),
    Queue.MINE: gettext_lazy("My cases"),
    Queue.DUE_SOON: gettext_lazy("Due soon"),
    Queue.OVERDUE: gettext_lazy("Overdue"),
    Queue.RETURNED: gettext_lazy("Returned"),
    Queue.OPEN: gettext_lazy("Open"),
    Queue.ALL: gettext_lazy("All"),
}


# --- work queues --------------------------------------------------------------------------


def _tabs_for(scope: Scope) -> list[str]:
    """The queues that mean something for the user's roles, in the standard order."""
    tabs = {Queue.DUE_SOON, Queue.OVERDUE, Queue.OPEN, Queue.ALL}
    if scope.is_admin or scope.office_paths or scope.station_ids:
        tabs |= {Queue.TRIAGE, Queue.RETURNED}
    if scope.department_ids or scope.deputy_id:
        tabs.add(Queue.MINE)  # the department's cases, or those the deputy follows
    if scope.leader_paths:
        tabs.add(Queue.RETURNED)
    return [q for q in selectors.QUEUES if q in tabs]


def _default_queue(scope: Scope) -> str:
    if scope.department_ids:
        return Queue.MINE
    if scope.is_admin or scope.office_paths or scope.station_ids:
        return Queue.TRIAGE
    if scope.deputy_id:
        return Queue.OPEN
    return Queue.ALL


def _chosen_queue(request: HttpRequest) -> str:
    scope = user_scope(request.user)
    queue = request.GET.get("queue", "")
    return queue if queue in _tabs_for(scope) else _default_queue(scope)


def _filtered(request: HttpRequest) -> tuple[str, forms.CaseFilterForm, object]:
    queue = _chosen_queue(request)
    form = forms.CaseFilterForm(request.GET, user=request.user)
    cases = selectors.case_filter_for_user(request.user, form.filters(queue))
    return queue, form, cases


@login_required
@require_safe
def work(request: HttpRequest) -> HttpResponse:
    queue, form, cases = _filtered(request)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    now = clock.now()
    for case in page:
        case.deadline = _deadline(case, now)
        case.preview = _preview(case.text)
    counts = selectors.queue_counts_for_user(request.user)
    tabs = [(q, QUEUE_LABELS[q], counts.get(q)) for q in _tabs_for(user_scope(request.user))]
    context = {"queue": queue, "tabs": tabs, "form": form, "page": page}
    return render(request, "cases/work.html", context)


@dataclass(frozen=True)
class Deadline:
    css: str
    text: str


def _deadline(case: Case, now: datetime) -> Deadline | None:
    """Time left until the reply is due, or how long it is overdue; None once answered."""
    if case.status not in AWAITING_REPLY or case.due_at is None:
        return None
    left = sla.time_left(case.due_at, now)
    days, hours = sla.humanize_left(left)
    if sla.is_overdue(case.due_at, now):
        return Deadline("overdue", _("overdue %(days)d d %(hours)d h") % {"days": days, "hours": hours})
    css = "due-soon" if left.total_seconds() <= selectors.DUE_SOON_HOURS * 3600 else ""
    return Deadline(css, _("%(days)d d %(hours)d h left") % {"days": days, "hours": hours})


def _preview(text: str) -> str:
    return text if len(text) <= TEXT_PREVIEW else text[:TEXT_PREVIEW] + "…"


EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
}


@login_required
@require_safe
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The chosen queue with the same filters; only rows and columns the user may see."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    content_type, write = EXPORT_TYPES[fmt]
    queue, _form, cases = _filtered(request)
    head, body = exports.rows(request.user, cases)
    response = HttpResponse(write(head, body), content_type=content_type)
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cases-{queue}-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the case page ------------------------------------------------------------------------


def _available(user, case: Case, followers: list) -> list[str]:
    """Actions with a form that this user may take on this case now."""
    allowed = [a for a in selectors.case_actions_for_user(user, case) if a in ACTIONS]
    if any(f.user_id == user.pk for f in followers):
        allowed = [a for a in allowed if a != Action.FOLLOW]
    if case.adopted:
        allowed = [a for a in allowed if a != Action.ADOPT]
    return allowed


def _could_ever(user, case: Case, action: str) -> bool:
    """Whether one of the user's roles on this case may take `action` in some status."""
    actors = selectors.case_actors_for_user(user, case)
    return bool(actors & TRANSITIONS[Action(action)].actors)


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(request.user, pk)
    return _render_detail(request, case)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    case = selectors.case_get_for_user(request.user, pk)
    form = spec.form(request.POST, request.FILES, user=request.user, case=case, prefix=action)
    if action not in _available(request.user, case, list(selectors.case_followers(case))):
        if not _could_ever(request.user, case, action):
            raise PermissionDenied
        return _conflict(request, case, action, form)
    if not form.is_valid():
        return _render_detail(request, case, failed=(action, form), status=400)
    if _is_stale(form, case, action):
        return _conflict(request, case, action, form)
    try:
        spec.run(case, request.user, form.cleaned_data)
    except ApplicationError as error:
        if error.code == "conflict":
            return _conflict(request, case, action, form)
        form.add_error(None, error.message)
        return _render_detail(request, case, failed=(action, form), status=400)
    messages.success(request, spec.done)
    return redirect("cases:detail", pk=case.pk)


def _is_stale(form: forms.ActionForm, case: Case, action: str) -> bool:
    """A status-changing action posted from a page that showed another status."""
    seen = form.cleaned_data.get("seen_status")
    return TRANSITIONS[Action(action)].target is not None and bool(seen) and seen != case.status


def _conflict(request: HttpRequest, case: Case, action: str, form: forms.ActionForm) -> HttpResponse:
    """Show the case as it is now, with what the user typed; the form now carries the new status."""
    case = selectors.case_get_for_user(request.user, case.pk)
    data = request.POST.copy()
    data[f"{action}-seen_status"] = case.status
    fresh = ACTIONS[action].form(data, user=request.user, case=case, prefix=action)
    return _render_detail(request, case, failed=(action, fresh), conflict=True, status=409)


def _render_detail(
    request: HttpRequest,
    case: Case,
    *,
    failed: tuple[str, forms.ActionForm] | None = None,
    conflict: bool = False,
    promote: forms.PromoteToProjectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    followers = list(selectors.case_followers(case))
    action_forms = []
    for action in _available(user, case, followers):
        if failed and failed[0] == action:
            form = failed[1]
        else:
            form = ACTIONS[action].form(user=user, case=case, prefix=action)
        action_forms.append({"action": action, "button": ACTIONS[action].button, "form": form})
    offered = {f["action"] for f in action_forms}
    now = clock.now()
    events = list(selectors.timeline(case, public_only=False))
    context = {
        "case": case,
        "display_code": format_tracking_code(case.tracking_code),
        "show_contact": selectors.case_contact_visible(user, case),
        "events": events,
        "intake_photos": _intake_photos(events),
        "duplicates": list(selectors.case_duplicates_for_user(user, case)),
        "original": selectors.case_original_for_user(user, case),
        "followers": followers,
        "helpers": list(case.helper_departments.all()),
        "deadline": _deadline(case, now),
        "action_forms": action_forms,
        "conflict": conflict,
        "conflict_message": CONFLICT_MESSAGE,
        # A stale form whose action is no longer possible: show the text so nothing is lost.
        "kept": _kept_text(failed[1]) if failed and failed[0] not in offered else [],
        "photos_dropped": bool(failed and request.FILES),
        "promote": promote or _promote_form(user, case),
        "projects": _case_projects(user, case),
    }
    return render(request, "cases/detail.html", context, status=status)


def _case_projects(user, case: Case):
    from lianxin.projects.selectors import case_projects

    return case_projects(user, case)


def _promote_form(user, case: Case) -> forms.PromoteToProjectForm | None:
    from lianxin.projects.selectors import rounds_taking_case

    rounds = rounds_taking_case(user, case)
    return forms.PromoteToProjectForm(rounds=rounds, prefix="promote") if rounds else None


@login_required
@require_POST
def promote_to_project(request: HttpRequest, pk: int) -> HttpResponse:
    """转为民生实事建议 from the case page (office or station staff, while a round takes proposals)."""
    from lianxin.projects.selectors import rounds_taking_case

    case = selectors.case_get_for_user(request.user, pk)
    rounds = rounds_taking_case(request.user, case)
    if not rounds:
        raise PermissionDenied
    form = forms.PromoteToProjectForm(request.POST, rounds=rounds, prefix="promote")
    if not form.is_valid():
        # The page again with what was typed and the field's own message.
        return _render_detail(request, case, promote=form, status=400)
    try:
        promote_to_project_action(case, request.user, form.cleaned_data)
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _render_detail(request, case, promote=form, status=400)
    messages.success(request, PROMOTE_DONE % {"round": form.cleaned_data["round"].title})
    return redirect("cases:detail", pk=case.pk)


def _intake_photos(events: list) -> list:
    """The resident's own photos; later ones are shown with their step in the timeline."""
    return [p for e in events if e.action == Action.SUBMIT for p in e.photos.all()]


def _kept_text(form: forms.ActionForm) -> list[tuple[str, str]]:
    kept = []
    for name, field in form.fields.items():
        value = form.data.get(form.add_prefix(name), "")
        if name != "seen_status" and isinstance(value, str) and value.strip() and not hasattr(field, "queryset"):
            kept.append((str(field.label), value))
    return kept


@login_required
@require_safe
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """Any photo of a case in the user's scope, internal ones included; otherwise 404."""
    item = selectors.case_photo_for_user(request.user, pk)
    response = FileResponse(item.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- assisted intake ----------------------------------------------------------------------

IDEMPOTENCY_PREFIX = "staff:"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assisted_intake(request: HttpRequest) -> HttpResponse:
    if not may_record_opinions(user_scope(request.user)):
        return render(request, "cases/not_allowed.html", status=403)
    if request.method != "POST":
        form = forms.AssistedIntakeForm(user=request.user, initial={"idempotency_key": forms.new_idempotency_key()})
        return _render_intake(request, form)
    form = forms.AssistedIntakeForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _render_intake(request, form, status=400)
    try:
        case, _created = _submit_assisted(request.user, form.cleaned_data)
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _render_intake(request, form, status=400)
    messages.success(
        request, _("Opinion recorded. Tracking code: %(code)s") % {"code": format_tracking_code(case.tracking_code)}
    )
    return redirect("cases:detail", pk=case.pk)


def _submit_assisted(user, data: dict) -> tuple[Case, bool]:
    return services.case_submit(
        channel=data["channel"],
        place=data["place"],
        station=data["station"],
        deputy=data["deputy"],
        category=data["category"],
        text=data["text"],
        address=data["address"],
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        publish_consent=data["publish_consent"],
        photos=data["photos"],
        # Per user, so one person's key can never return another person's case.
        idempotency_key=f"{IDEMPOTENCY_PREFIX}{user.pk}:{data['idempotency_key']}",
        submitted_by=user,
    )


def _render_intake(request: HttpRequest, form: forms.AssistedIntakeForm, *, status: int = 200) -> HttpResponse:
    context = {"form": form, "photos_dropped": bool(request.FILES) and form.is_bound}
    return render(request, "cases/assisted_intake.html", context, status=status)
