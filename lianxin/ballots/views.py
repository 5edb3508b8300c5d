"""Pages of a ballot: the deputy's phone ballot (choose → confirm → receipt), and for the
congress office the ballot page (turnout counts only while open), presence, paper entry by
two tellers, closing, results with the receipt list, and the PDF result sheet.

Refusals: 400 wrong input (what was chosen is kept), 403 a step this user may never take,
404 missing or out of scope, 409 not possible in the ballot's present state. The receipt
is rendered straight into the response of the cast (no redirect, no session, no message
store), with Cache-Control: no-store, so it is never written anywhere on the server.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lianxin.core import clock
from lianxin.core.errors import ApplicationError

from . import pdf, selectors, services
from .access import elector_for, may_manage_place
from .models import Ballot, BallotEvent, BallotStatus, Elector, EntryStatus, PaperEntry
from .tally import ABSTAIN, AGAINST, FOR

STATE_CODES = {
    "closed",
    "already_voted",
    "ballot_open",
    "count_mismatch",
    "entries_unconfirmed",
    "window_open",
    "not_yet_open",
    "window_ended",
    "paper_ballot",
    "not_paper",
    "already_confirmed",
}


def _status_for(error: ApplicationError) -> int:
    if error.code in ("not_found", "not_elector"):
        return 404
    if error.code == "not_allowed":
        return 403
    return 409 if error.code in STATE_CODES else 400


def _ballot(request: HttpRequest, pk: int) -> Ballot:
    ballot = selectors.ballot_get_for_user(request.user, pk)
    if ballot is None:
        raise Http404
    return ballot


def _managed(request: HttpRequest, pk: int) -> Ballot:
    ballot = _ballot(request, pk)
    if not may_manage_place(request.user, ballot.place):
        raise Http404
    return ballot


def _refused(request: HttpRequest, ballot: Ballot, error: ApplicationError) -> HttpResponse:
    context = {"ballot": ballot, "message": error.message}
    return render(request, "ballots/refused.html", context, status=_status_for(error))


# --- marks from a form --------------------------------------------------------------------


def _marks_from(post, ballot: Ballot, options) -> dict[str, str]:
    """Checkboxes `choice` = option position (approval), or radios `mark-<position>`."""
    by_position = {str(o.position): o.ref for o in options}
    if ballot.separate_marks:
        marks = {}
        for key, value in post.items():
            if key.startswith("mark-") and value:
                marks[by_position.get(key[5:], "?")] = value
        return marks
    return {by_position.get(p, "?"): FOR for p in post.getlist("choice")}


def _rows(options, marks: dict[str, str]) -> list[dict]:
    return [_row(o, marks.get(o.ref, "")) for o in options]


def _row(option, mark: str) -> dict:
    return {"option": option, "mark": mark, "mark_label": MARK_LABELS.get(mark, "")}


MARK_LABELS = {FOR: gettext_lazy("For"), AGAINST: gettext_lazy("Against"), ABSTAIN: gettext_lazy("Abstain")}


def _mark_choices() -> list[tuple[str, str]]:
    return list(MARK_LABELS.items())


# --- the list and the ballot page ----------------------------------------------------------


@login_required
@require_safe
def ballot_list(request: HttpRequest) -> HttpResponse:
    ballots = selectors.ballot_list_for_user(request.user)[:200]
    return render(request, "ballots/list.html", {"ballots": ballots})


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    if not may_manage_place(request.user, ballot.place) and elector_for(request.user, ballot) is not None:
        return redirect("ballots:vote" if ballot.status == BallotStatus.OPEN else "ballots:results", pk=ballot.pk)
    return _render_detail(request, ballot)  # the office, or a leader reading it


EVENT_LABELS = {
    "opened": gettext_lazy("Ballot opened"),
    "presence": gettext_lazy("Presence recorded"),
    "paper_entered": gettext_lazy("Paper sheet entered"),
    "paper_confirmed": gettext_lazy("Paper sheet confirmed"),
    "paper_mismatch": gettext_lazy("Paper sheet entries differ"),
    "paper_corrected": gettext_lazy("Paper sheet corrected"),
    "closed": gettext_lazy("Ballot closed"),
}


def _event_summary(event: BallotEvent) -> str:
    data = event.data
    if "sheet" in data:
        return _("sheet %(n)d") % {"n": data["sheet"]}
    if event.action == "opened":
        return _("%(electors)d electors, %(options)d candidates, %(seats)d places") % data
    if event.action == "closed":
        return _("%(voted)d of %(electors)d voted") % data
    if event.action == "presence":
        return _("%(present)d present") % data
    return ""


def _events(ballot: Ballot) -> list[BallotEvent]:
    events = list(BallotEvent.objects.filter(ballot=ballot).select_related("actor"))
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
        event.summary = _event_summary(event)
    return events


def _render_detail(request: HttpRequest, ballot: Ballot, *, status: int = 200) -> HttpResponse:
    context = {
        "ballot": ballot,
        "manage": may_manage_place(request.user, ballot.place),
        "options": selectors.options_of(ballot),
        "turnout": selectors.turnout(ballot),
        "electors": Elector.objects.filter(ballot=ballot).select_related("deputy"),
        "events": _events(ballot),
        "now": clock.now(),
    }
    return render(request, "ballots/detail.html", context, status=status)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _managed(request, pk)
    try:
        services.ballot_close(ballot=ballot, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _render_detail(request, ballot, status=_status_for(error))
    messages.success(request, _("The ballot is closed."))
    return redirect("ballots:results", pk=ballot.pk)


@login_required
@require_POST
def presence(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _managed(request, pk)
    try:
        ids = [int(v) for v in request.POST.getlist("present")]
        count = services.presence_record(ballot=ballot, actor=request.user, present_deputy_ids=ids)
    except ValueError:
        return _refused(request, ballot, ApplicationError(_("Please choose electors from the list."), code="bad"))
    except ApplicationError as error:
        return _refused(request, ballot, error)
    messages.success(request, _("%(n)d electors recorded as present.") % {"n": count})
    return redirect("ballots:detail", pk=ballot.pk)


# --- the deputy's ballot -----------------------------------------------------------------------


def _vote_state(ballot: Ballot, elector: Elector) -> str:
    now = clock.now()
    if ballot.paper:
        return "paper"
    if ballot.status == BallotStatus.CLOSED:
        return "closed"
    if elector.voted:
        return "voted"
    if now < ballot.opens_at:
        return "not_yet"
    if now >= ballot.closes_at:
        return "ended"
    return "open"


def _render_vote(request, ballot, elector, *, rows=None, error: str = "", status: int = 200, step: str = "choose"):
    rows = rows if rows is not None else _rows(selectors.options_of(ballot), {})
    context = {
        "ballot": ballot,
        "state": _vote_state(ballot, elector),
        "rows": rows,
        "chosen": sum(1 for row in rows if row["mark"] == FOR),
        "error": error,
        "step": step,
        "mark_choices": _mark_choices(),
        "mark_labels": MARK_LABELS,
    }
    response = render(request, "ballots/vote.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk)
    elector = elector_for(request.user, ballot)
    if elector is None:
        raise Http404
    if request.method != "POST":
        return _render_vote(request, ballot, elector)
    options = selectors.options_of(ballot)
    marks = _marks_from(request.POST, ballot, options)
    step = request.POST.get("step", "review")
    try:
        if step == "confirm":
            receipt = services.ballot_cast(ballot=ballot, deputy_user=request.user, marks=marks)
            return _render_receipt(request, ballot, receipt)
        rows = [_row(o, m) for o, m in selectors.marks_review(ballot, marks)]
    except ApplicationError as error:
        elector.refresh_from_db()
        kept = _rows(options, {ref: m for ref, m in marks.items() if ref != "?"})
        return _render_vote(request, ballot, elector, rows=kept, error=error.message, status=_status_for(error))
    if step == "change":
        return _render_vote(request, ballot, elector, rows=rows)
    return _render_vote(request, ballot, elector, rows=rows, step="confirm")


def receipt_shown(receipt: str) -> str:
    """A receipt code as people read it, the same on the receipt and in the published list."""
    return f"{receipt[:5]}-{receipt[5:]}" if len(receipt) == 10 else receipt


def _render_receipt(request: HttpRequest, ballot: Ballot, receipt: str) -> HttpResponse:
    response = render(request, "ballots/receipt.html", {"ballot": ballot, "receipt": receipt_shown(receipt)})
    response["Cache-Control"] = "private, no-store"
    return response


# --- paper ballots ---------------------------------------------------------------------------


def _render_paper(request, ballot: Ballot, *, rows=None, error: str = "", status: int = 200) -> HttpResponse:
    options = selectors.options_of(ballot)
    entries = selectors.paper_entries(ballot)
    for entry in entries:
        if entry.status == EntryStatus.MISMATCH:  # both versions, so the tellers can look at the sheet
            first = selectors.decode_text(ballot, entry.marks)
            second = selectors.decode_text(ballot, entry.second_marks)
            entry.diff = [
                (o.label, MARK_LABELS.get(first.get(o.ref, ""), ""), MARK_LABELS.get(second.get(o.ref, ""), ""))
                for o in options
            ]
    context = {
        "ballot": ballot,
        "options": options,
        "rows": rows if rows is not None else _rows(options, {}),
        "blank_rows": _rows(options, {}),
        "entries": entries,
        "turnout": selectors.turnout(ballot),
        "error": error,
        "mark_choices": _mark_choices(),
        "mark_labels": MARK_LABELS,
        "open_entries": sum(1 for e in entries if e.status != EntryStatus.CONFIRMED),
    }
    return render(request, "ballots/paper.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _managed(request, pk)
    if not ballot.paper:
        raise Http404
    if request.method != "POST":
        return _render_paper(request, ballot)
    options = selectors.options_of(ballot)
    marks = _marks_from(request.POST, ballot, options)
    try:
        entry = services.paper_entry_add(ballot=ballot, actor=request.user, marks=marks)
    except ApplicationError as error:
        kept = _rows(options, {r: m for r, m in marks.items() if r != "?"})
        return _render_paper(request, ballot, rows=kept, error=error.message, status=_status_for(error))
    messages.success(request, _("Sheet %(n)d entered; a second teller must confirm it.") % {"n": entry.sheet_no})
    return redirect("ballots:paper", pk=ballot.pk)


def _entry(ballot: Ballot, entry_pk: int) -> PaperEntry:
    entry = PaperEntry.objects.filter(ballot=ballot, pk=entry_pk).select_related("ballot").first()
    if entry is None:
        raise Http404
    return entry


@login_required
@require_POST
def paper_confirm(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    ballot = _managed(request, pk)
    entry = _entry(ballot, entry_pk)
    marks = _marks_from(request.POST, ballot, selectors.options_of(ballot))
    try:
        matched = services.paper_entry_confirm(entry=entry, actor=request.user, marks=marks)
    except ApplicationError as error:
        return _render_paper(request, ballot, error=error.message, status=_status_for(error))
    if matched:
        messages.success(request, _("Sheet %(n)d confirmed.") % {"n": entry.sheet_no})
    else:
        text = _("Sheet %(n)d differs from the first entry. Look at the sheet and correct it.")
        messages.error(request, text % {"n": entry.sheet_no})
    return redirect("ballots:paper", pk=ballot.pk)


@login_required
@require_POST
def paper_correct(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    ballot = _managed(request, pk)
    entry = _entry(ballot, entry_pk)
    marks = _marks_from(request.POST, ballot, selectors.options_of(ballot))
    try:
        services.paper_entry_correct(entry=entry, actor=request.user, marks=marks)
    except ApplicationError as error:
        return _render_paper(request, ballot, error=error.message, status=_status_for(error))
    messages.success(request, _("Sheet %(n)d corrected; another teller must confirm it.") % {"n": entry.sheet_no})
    return redirect("ballots:paper", pk=ballot.pk)


# --- results ------------------------------------------------------------------------------------


def _results_or_refusal(request: HttpRequest, pk: int):
    ballot = _ballot(request, pk)
    try:
        return ballot, services.ballot_results(ballot), None
    except ApplicationError as error:
        return ballot, None, _refused(request, ballot, error)


@login_required
@require_safe
def results(request: HttpRequest, pk: int) -> HttpResponse:
    _ballot_seen, found, refusal = _results_or_refusal(request, pk)
    if refusal:
        return refusal
    context = pdf.result_sheet_context(found) | {"receipts": [receipt_shown(code) for code in found.receipts]}
    return render(request, "ballots/results.html", context)


@login_required
@require_safe
def results_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    ballot, found, refusal = _results_or_refusal(request, pk)
    if refusal:
        return refusal
    response = HttpResponse(pdf.result_sheet(found), content_type="application/pdf")
    stamp = timezone.localtime(ballot.closed_at or clock.now()).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="ballot-{ballot.pk}-result-{stamp}.pdf"'
    return response
