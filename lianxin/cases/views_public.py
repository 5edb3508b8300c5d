"""Residents' pages: no login, no JavaScript needed, large type, Chinese by default.

Every form keeps what the resident typed when something is wrong; every error is a
page with a way forward, never a bare 500.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from lianxin.core import clock
from lianxin.core.codes import format_tracking_code, normalize_code
from lianxin.core.errors import ApplicationError
from lianxin.projects.selectors import soliciting_rounds

from . import selectors, services, sla
from .deadlines import promised_reply_hours
from .forms_public import (
    DisclosureFilterForm,
    IntakeForm,
    RatingForm,
    intake_form_from_rejected_post,
    new_idempotency_key,
)
from .models import Case, CasePhoto
from .selectors_public import IntakeTarget, disclosure_filtered, intake_target, stations_by_town
from .workflow import AWAITING_REPLY, REOPEN_BELOW_STARS, Action, Status

# Keys of the resident's web form live in their own namespace: another channel's
# (possibly guessable) key can never be used to fetch someone else's receipt.
IDEMPOTENCY_PREFIX = "web-qr:"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "station_groups": stations_by_town(),
        "reply_hours": promised_reply_hours(),
        "soliciting_rounds": soliciting_rounds(),
    }
    return render(request, "cases/public/home.html", context)


# --- intake ---------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def intake(request: HttpRequest, token: str) -> HttpResponse:
    target = _target_or_404(request, token)
    if isinstance(target, HttpResponse):
        return target
    if request.method != "POST":
        form = IntakeForm(initial={"idempotency_key": new_idempotency_key()})
        return _render_intake(request, target, form)
    form = IntakeForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_intake(request, target, form, photos_dropped=bool(request.FILES))
    try:
        case, _created = _submit(target, form.cleaned_data)
    except ApplicationError as error:
        form.add_error(None, error.message)
        return _render_intake(request, target, form, photos_dropped=bool(request.FILES))
    return redirect(reverse("public:track", args=[case.tracking_code]) + "?new=1")


def _submit(target: IntakeTarget, data: dict) -> tuple[Case, bool]:
    return services.case_submit(
        channel=target.channel,
        place=target.place,
        station=target.station,
        deputy=target.deputy,
        text=data["text"],
        category=data["category"],
        address=data["address"],
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        publish_consent=data["publish_consent"],
        photos=data["photos"],
        idempotency_key=IDEMPOTENCY_PREFIX + data["idempotency_key"],
    )


def intake_after_csrf_failure(request: HttpRequest, kwargs: dict) -> HttpResponse:
    """The page expired or WeChat blocked the cookie: show the form again with what was typed."""
    target = _target_or_404(request, kwargs.get("token", ""))
    if isinstance(target, HttpResponse):
        return target
    form = intake_form_from_rejected_post(request.POST)
    context = {"csrf_failed": True}
    return _render_intake(request, target, form, photos_dropped=bool(request.FILES), status=403, extra=context)


def _target_or_404(request: HttpRequest, token: str) -> IntakeTarget | HttpResponse:
    try:
        target = intake_target(token)
    except Http404:
        return render(request, "cases/public/code_unknown.html", status=404)
    if not target.active:
        context = {"target": target, "station_link": target.station.active and target.deputy is not None}
        return render(request, "cases/public/code_inactive.html", context, status=410)
    return target


def _render_intake(
    request: HttpRequest,
    target: IntakeTarget,
    form: IntakeForm,
    *,
    photos_dropped: bool = False,
    status: int = 200,
    extra: dict | None = None,
) -> HttpResponse:
    context = {
        "target": target,
        "form": form,
        "photos_dropped": photos_dropped,
        "reply_hours": promised_reply_hours(),
        **(extra or {}),
    }
    return render(request, "cases/public/intake.html", context, status=status)


# --- tracking -------------------------------------------------------------------------------


@require_safe
def track_lookup(request: HttpRequest) -> HttpResponse:
    typed = request.GET.get("code", "")
    if not typed.strip():
        return render(request, "cases/public/track_lookup.html", {"typed": ""})
    code = normalize_code(typed)
    try:
        selectors.case_get_by_tracking_code(code)
    except Http404:
        return _unknown_code(request, typed)
    return redirect("public:track", code=code)


def _unknown_code(request: HttpRequest, typed: str) -> HttpResponse:
    """No opinion has this code; a livelihood-project proposal's code (the same kind of code,
    kept on another page) leads to that proposal's page instead of "not found"."""
    from lianxin.projects.selectors_public import proposal_by_tracking_code

    try:
        proposal = proposal_by_tracking_code(typed)
    except Http404:
        context = {"typed": typed, "not_found": True}
        return render(request, "cases/public/track_lookup.html", context, status=404)
    return redirect("projects_public:proposal", code=proposal.tracking_code)


@require_safe
def track(request: HttpRequest, code: str) -> HttpResponse:
    canonical = normalize_code(code)
    if canonical != code and canonical:
        query = f"?{request.GET.urlencode()}" if request.GET else ""
        return redirect(reverse("public:track", args=[canonical]) + query)
    try:
        case = selectors.case_get_by_tracking_code(code)
    except Http404:
        return _unknown_code(request, code)
    return _render_track(request, case, RatingForm(), is_new=request.GET.get("new") == "1")


@require_http_methods(["GET", "HEAD", "POST"])
def rate(request: HttpRequest, code: str) -> HttpResponse:
    try:
        case = selectors.case_get_by_tracking_code(code)
    except Http404:
        return _unknown_code(request, code)
    if request.method != "POST":
        return redirect("public:track", code=case.tracking_code)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render_track(request, case, form)
    try:
        services.case_rate(case=case, stars=form.cleaned_data["stars"], comment=form.cleaned_data["comment"])
    except ApplicationError as error:
        case.refresh_from_db()
        form.add_error(None, _rating_refused_message(case, error))
        return _render_track(request, case, form)
    messages.success(request, _rating_thanks(form.cleaned_data["stars"]))
    return redirect("public:track", code=case.tracking_code)


def _rating_thanks(stars: int) -> str:
    if stars < REOPEN_BELOW_STARS:
        return _("Thank you. We are sorry the reply did not help: we will ask the department to handle it again.")
    return _("Thank you for your rating. This opinion is now closed.")


def _rating_refused_message(case, error: ApplicationError) -> str:
    """Say why in the resident's terms: the service's message is written for staff."""
    if case.rated_at and case.status != Status.REPLIED:
        return _("You have already rated this reply. Thank you.")
    if case.status != Status.REPLIED:
        return _("There is no reply to rate yet. You can rate it once the department has replied.")
    return error.message


# Notes written for the resident; other public events (triage, assignment, urging) carry
# notes addressed to staff, so the resident sees only that the step happened.
NOTE_SHOWN_FOR = frozenset(
    {
        Action.PROGRESS,
        Action.REPLY,
        Action.RESOLVE_ON_SPOT,
        Action.REJECT,
        Action.RATE,
        Action.SHARE_REPLY,
        Action.SHARE_CLOSE,
    }
)


STATUS_EXPLAINED = {
    Status.SUBMITTED: gettext_lazy(
        "The liaison station has received your opinion and will pass it to the right department."
    ),
    Status.TRIAGED: gettext_lazy(
        "Your opinion has been read and classified; a department will be chosen to handle it."
    ),
    Status.ASSIGNED: gettext_lazy("A department has been asked to handle your opinion."),
    Status.RETURNED: gettext_lazy("Your opinion is being passed to a more suitable department."),
    Status.IN_PROGRESS: gettext_lazy("The department is working on your opinion."),
    Status.REPLIED: gettext_lazy("The department has replied. Please rate the reply below."),
    Status.RATED: gettext_lazy("Thank you for your rating."),
    Status.CLOSED: gettext_lazy("This opinion is closed."),
    Status.MERGED: gettext_lazy(
        "Other residents raised the same matter: it is handled once for all of you, and you will "
        "get the same reply here."
    ),
}


def _render_track(request: HttpRequest, case, rating_form: RatingForm, *, is_new: bool = False) -> HttpResponse:
    now = clock.now()
    events = list(selectors.timeline(case, public_only=True))
    for event in events:
        event.public_photos = [p for p in event.photos.all() if p.public]
    context = {
        "case": case,
        "display_code": format_tracking_code(case.tracking_code),
        "track_url": request.build_absolute_uri(reverse("public:track", args=[case.tracking_code])),
        "status_explained": STATUS_EXPLAINED.get(Status(case.status), ""),
        "is_new": is_new,
        "events": events,
        "notes_for": {a.value for a in NOTE_SHOWN_FOR},
        "awaiting_reply": case.status in AWAITING_REPLY,
        "overdue": case.status in AWAITING_REPLY and sla.is_overdue(case.due_at, now),
        "now": now,
        "can_rate": case.status == Status.REPLIED,
        "rating_form": rating_form,
        "was_reopened_by_rating": bool(case.rating and case.rating < REOPEN_BELOW_STARS and case.is_open),
        "proposals": _proposals_of(case),
    }
    return render(request, "cases/public/track.html", context)


def _proposals_of(case) -> list:
    from lianxin.projects.selectors_public import proposals_of_case

    return proposals_of_case(case)


@require_safe
def photo(request: HttpRequest, code: str, photo_id: int) -> HttpResponse:
    """A photo the department published with its reply; residents' own photos stay internal."""
    case = selectors.case_get_by_tracking_code(code)
    item = get_object_or_404(CasePhoto, pk=photo_id, case=case, public=True, event__public=True)
    response = FileResponse(item.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- disclosure -----------------------------------------------------------------------------

DISCLOSURE_PAGE_SIZE = 20


@require_safe
def disclosure(request: HttpRequest) -> HttpResponse:
    form = DisclosureFilterForm(request.GET)
    form.is_valid()  # an unknown category or town is dropped from cleaned_data: show everything
    chosen = form.cleaned_data
    cases = disclosure_filtered(category=chosen.get("category"), town=chosen.get("town"))
    page = Paginator(cases, DISCLOSURE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/public/disclosure.html", {"form": form, "page": page})
