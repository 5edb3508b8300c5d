"""One function per scenario: the steps a case goes through after it is submitted.

Closed scenarios follow the usual rhythm of the platform (triage within hours, a reply within
48 hours for about nine cases in ten); open scenarios squeeze their steps into the time since
the case was submitted, so the newest cases stand at every stage of the loop.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from lianxin.cases import services

from . import phrases
from .story import HOUR, MINUTE, Story, hours

LATE_SHARE = 0.07  # replies after the 48 hours
PROMISE = timedelta(hours=47)


# --- the usual handling, up to the department's reply ------------------------------------


def through_reply(s: Story, *, late: bool) -> None:
    rng, t0 = s.rng, s.plan.t0
    quick = rng.random() < 0.85
    s.triage(s.office_time(t0 + (hours(rng, 0.2, 3) if quick else hours(rng, 3, 14))))
    if s.plan.deputy and rng.random() < 0.25:
        s.follow(s.last + hours(rng, 0.1, 4))
    note = ""
    if rng.random() < 0.04:
        s.misassign(s.last + hours(rng, 0.1, 1.5))
        note = phrases.REASSIGN_NOTE.format(right=s.lead.name)
    s.assign(s.office_time(s.last + hours(rng, 0.1, 2)), s.lead, note=note)
    s.accept(s.office_time(s.last + hours(rng, 0.3, 5)))
    target = t0 + timedelta(hours=rng.uniform(50, 110) if late else rng.triangular(5, 44, 14))
    _progress_until(s, target, count=rng.choices((0, 1, 2), (50, 35, 15))[0] + late)
    if rng.random() < 0.05:
        s.note(s.last + hours(rng, 0.2, 3))
    if late and rng.random() < 0.5 and s.case.due_at + 2 * HOUR < target:
        s.urge(s.case.due_at + hours(rng, 2, 12))
    reply_at = s.office_time(max(target, s.last + HOUR))
    if not late and reply_at - t0 > PROMISE:
        reply_at = max(s.last + 20 * MINUTE, t0 + hours(rng, 40, 47))
    s.reply(reply_at, s.first_reply())


def _progress_until(s: Story, target: datetime, *, count: int) -> None:
    for i in range(count):
        start = s.last
        step = (target - start) / (count + 1 - i)
        s.progress(s.office_time(start + step * s.rng.uniform(0.5, 1.0)))


def _stars(s: Story, *, weights: tuple[int, int, int]) -> int:
    return s.rng.choices((5, 4, 3), weights)[0]


# --- closed scenarios ---------------------------------------------------------------------


def rated(s: Story) -> None:
    late = s.rng.random() < LATE_SHARE
    through_reply(s, late=late)
    s.rate(s.last + hours(s.rng, 1, 60), _stars(s, weights=(30, 40, 30) if late else (62, 27, 11)))
    if s.plan.problem.suggestion and s.rng.random() < 0.2:
        s.adopt(s.office_time(s.last + hours(s.rng, 24, 240)))


def unrated(s: Story) -> None:
    """Replied, never rated: the sweep closes it after seven days."""
    through_reply(s, late=s.rng.random() < LATE_SHARE)


def reopened(s: Story) -> None:
    """Rated 1–2 stars: reopened (重办), handled again, then rated 3–5."""
    rng = s.rng
    through_reply(s, late=False)
    s.rate(s.last + hours(rng, 3, 48), rng.choice((1, 2, 2)))
    s.progress(s.office_time(s.last + hours(rng, 2, 20)))
    text = phrases.reopen_reply_text(rng, s.plan.problem, s.plan.variant, hello=s.hello(), unit=_unit(s))
    s.reply(s.office_time(s.last + hours(rng, 4, 24)), text)
    s.rate(s.last + hours(rng, 2, 48), _stars(s, weights=(25, 45, 30)))


def on_spot(s: Story) -> None:
    """A deputy (on duty, at home visits or through the QR code) settles it at once."""
    rng = s.rng
    if rng.random() < 0.3:
        s.triage(s.office_time(s.plan.t0 + hours(rng, 0.2, 3)))
    reason = rng.choice(phrases.ON_SPOT)
    when = s.office_time(s.last + hours(rng, 0.3, 20))
    s.at(when, services.case_resolve_on_spot, case=s.case, actor=s.supervisor(), reason=reason)


def rejected(s: Story) -> None:
    rng = s.rng
    if rng.random() < 0.5:
        s.triage(s.office_time(s.plan.t0 + hours(rng, 0.2, 3)), actor=s.office)
    reason = phrases.reject_reason(s.plan.problem)
    s.at(s.office_time(s.last + hours(rng, 1, 24)), services.case_reject, case=s.case, actor=s.office, reason=reason)


def duplicate(s: Story) -> None:
    """Another resident's report of the same problem, merged into the first (并单) by the office:
    it waits for the first case's reply, which the system shares with it, and its resident then
    rates that reply. Played inside the first case's story (Story.arrivals), never on its own."""
    s.merge()


def suggestion(s: Story) -> None:
    """A deputy suggestion: 15 working days, usually adopted."""
    rng, office = s.rng, s.d.users["district_office"]
    s.triage(s.office_time(s.plan.t0 + hours(rng, 1, 20)), actor=office)
    s.assign(s.office_time(s.last + hours(rng, 1, 20)), s.lead, actor=office)
    s.accept(s.office_time(s.last + hours(rng, 2, 24)))
    for _ in range(2):
        s.progress(s.office_time(s.last + hours(rng, 48, 96)))
    s.reply(s.office_time(s.last + hours(rng, 24, 72)), s.first_reply())
    s.rate(s.last + hours(rng, 4, 72), _stars(s, weights=(70, 30, 0)))
    if s.plan.adopt:
        s.adopt(s.office_time(s.last + hours(rng, 24, 120)))


# --- open scenarios: every step squeezed into the case's age -----------------------------


def _moments(s: Story, count: int, *, within: timedelta | None = None) -> list[datetime]:
    """`count` step times after submission, in office hours where that still lies in the past."""
    span = (s.now - s.plan.t0) * 0.85
    if within is not None:
        span = min(span, within)
    moments = [s.plan.t0 + span * cut for cut in sorted(s.rng.uniform(0.05, 1) for _ in range(count))]
    latest = s.now - 10 * MINUTE * count
    return sorted(min(s.office_time(m), max(m, latest)) for m in moments)


def submitted(s: Story) -> None:
    return None


def triaged(s: Story) -> None:
    s.triage(*_moments(s, 1))


def assigned(s: Story) -> None:
    first, second = _moments(s, 2)
    s.triage(first)
    s.assign(second, s.lead)


def in_progress(s: Story) -> None:
    steps = _moments(s, 4)
    s.triage(steps[0])
    s.assign(steps[1], s.lead)
    s.accept(steps[2])
    if s.rng.random() < 0.5:
        s.progress(steps[3])


def returned(s: Story) -> None:
    first, second, third = _moments(s, 3)
    s.triage(first)
    s.misassign(second, return_at=third)


def replied(s: Story) -> None:
    """Answered in the last week, waiting for the resident's rating."""
    steps = _moments(s, 5, within=PROMISE)
    s.triage(steps[0])
    if s.plan.deputy and s.rng.random() < 0.3:
        s.follow(steps[0] + hours(s.rng, 0.1, 1))
    s.assign(steps[1], s.lead)
    s.accept(steps[2])
    if s.rng.random() < 0.3:
        s.progress(steps[3])
    s.reply(steps[4], s.first_reply())


def overdue_assigned(s: Story) -> None:
    first, second = _moments(s, 2, within=timedelta(hours=20))
    s.triage(first)
    s.assign(second, s.lead)
    _urge_after_deadline(s)


def overdue_in_progress(s: Story) -> None:
    steps = _moments(s, 4, within=timedelta(hours=30))
    s.triage(steps[0])
    s.assign(steps[1], s.lead)
    s.accept(steps[2])
    s.progress(steps[3])
    _urge_after_deadline(s)


def _urge_after_deadline(s: Story) -> None:
    when = s.case.due_at + hours(s.rng, 2, 30)
    if when < s.now:
        s.urge(when)


def _unit(s: Story) -> str:
    return phrases.unit_word(s.case.lead_department.name)


# Played inside the story of the case they repeat, when it reaches them (Story.arrivals).
MERGED_BY_ORIGINAL = ("duplicate", "merged")

SCENARIOS: dict[str, Callable[[Story], None]] = {
    "rated": rated,
    "unrated": unrated,
    "reopened": reopened,
    "on_spot": on_spot,
    "rejected": rejected,
    "duplicate": duplicate,  # and "merged": played by the story of the case they repeat
    "merged": duplicate,
    "likely_duplicate": submitted,  # found by the duplicate check after intake, left for staff
    "suggestion": suggestion,
    "submitted": submitted,
    "triaged": triaged,
    "assigned": assigned,
    "in_progress": in_progress,
    "returned": returned,
    "replied": replied,
    "overdue_assigned": overdue_assigned,
    "overdue_in_progress": overdue_in_progress,
}
