"""The closed loop as one table: which action moves a case from which states to which,
and which roles may take it. Pure data and functions; no ORM. Drawn in docs/workflow.md."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Status(StrEnum):
    SUBMITTED = "submitted"
    TRIAGED = "triaged"
    ASSIGNED = "assigned"
    RETURNED = "returned"
    IN_PROGRESS = "in_progress"
    REPLIED = "replied"
    RATED = "rated"
    CLOSED = "closed"
    MERGED = "merged"  # a duplicate linked to its original: it waits for the group's answer


STATUS_LABELS = {
    Status.SUBMITTED: _("Submitted"),
    Status.TRIAGED: _("Triaged"),
    Status.ASSIGNED: _("Assigned"),
    Status.RETURNED: _("Returned"),
    Status.IN_PROGRESS: _("In progress"),
    Status.REPLIED: _("Replied"),
    Status.RATED: _("Rated"),
    Status.CLOSED: _("Closed"),
    Status.MERGED: _("Merged"),
}

OPEN_STATUSES = frozenset(
    {Status.SUBMITTED, Status.TRIAGED, Status.ASSIGNED, Status.RETURNED, Status.IN_PROGRESS, Status.MERGED}
)
# The reply clock runs in these states: the case waits for an answer to the resident. A merged
# duplicate is open but has no clock of its own: it is answered with its original.
AWAITING_REPLY = OPEN_STATUSES - {Status.MERGED}


class Action(StrEnum):
    SUBMIT = "submit"
    TRIAGE = "triage"
    LINK_DUPLICATE = "link_duplicate"
    ASSIGN = "assign"
    REASSIGN = "reassign"
    ACCEPT = "accept"
    RETURN = "return"
    PROGRESS = "progress"
    REPLY = "reply"
    RATE = "rate"
    REOPEN = "reopen"
    CLOSE = "close"
    RESOLVE_ON_SPOT = "resolve_on_spot"
    REJECT = "reject"
    URGE = "urge"
    FOLLOW = "follow"
    NOTE = "note"
    REMIND = "remind"
    ESCALATE = "escalate"
    ADOPT = "adopt"
    SUGGEST = "suggest"
    # A merged group (并单) is handled once: the system carries its original's steps to the duplicates.
    SHARE_REPLY = "share_reply"
    SHARE_CLOSE = "share_close"
    REJOIN = "rejoin"
    GROUP_REOPEN = "group_reopen"


ACTION_LABELS = {
    Action.SUBMIT: _("Submitted"),
    Action.TRIAGE: _("Triaged"),
    Action.LINK_DUPLICATE: _("Linked as duplicate"),
    Action.ASSIGN: _("Assigned"),
    Action.REASSIGN: _("Reassigned"),
    Action.ACCEPT: _("Accepted by the department"),
    Action.RETURN: _("Returned by the department"),
    Action.PROGRESS: _("Progress note"),
    Action.REPLY: _("Replied"),
    Action.RATE: _("Rated"),
    Action.REOPEN: _("Reopened"),
    Action.CLOSE: _("Closed"),
    Action.RESOLVE_ON_SPOT: _("Resolved on the spot"),
    Action.REJECT: _("Closed as not admissible"),
    Action.URGE: _("Urged by a deputy"),
    Action.FOLLOW: _("Followed by a deputy"),
    Action.NOTE: _("Internal note"),
    Action.REMIND: _("Deadline reminder"),
    Action.ESCALATE: _("Escalated as overdue"),
    Action.ADOPT: _("Marked as adopted"),
    Action.SUGGEST: _("Suggested by the machine"),
    Action.SHARE_REPLY: _("Answered with the merged case's reply"),
    Action.SHARE_CLOSE: _("Closed with the merged case"),
    Action.REJOIN: _("Waiting again with the merged case"),
    Action.GROUP_REOPEN: _("Reopened for a resident of the merged group"),
}


class Actor(StrEnum):
    """Who takes an action: a role of accounts.Role, the resident, or the system."""

    STATION_STAFF = "station_staff"
    CONGRESS_OFFICE = "congress_office"
    DEPARTMENT_HANDLER = "department_handler"
    HELPER_HANDLER = "helper_handler"  # a handler of a helper (协办) department
    DEPUTY = "deputy"
    LEADER = "leader"
    ADMIN = "admin"
    CONSTITUENT = "constituent"
    SYSTEM = "system"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[Status]
    target: Status | None  # None: the status does not change
    actors: frozenset[Actor]


S, A, R = Status, Action, Actor
_OFFICE = frozenset({R.STATION_STAFF, R.CONGRESS_OFFICE, R.ADMIN})
_TRIAGE_FROM = frozenset({S.SUBMITTED, S.TRIAGED, S.RETURNED})
# Automatic triage and assignment (routing app) acts as the system when an office switched it on.
_OFFICE_OR_SYSTEM = _OFFICE | {R.SYSTEM}

TRANSITIONS: dict[Action, Transition] = {
    A.SUBMIT: Transition(
        frozenset(), S.SUBMITTED, frozenset({R.CONSTITUENT, R.STATION_STAFF, R.DEPUTY, R.CONGRESS_OFFICE, R.SYSTEM})
    ),
    A.TRIAGE: Transition(_TRIAGE_FROM, S.TRIAGED, _OFFICE_OR_SYSTEM),
    A.LINK_DUPLICATE: Transition(_TRIAGE_FROM, S.MERGED, _OFFICE),
    A.ASSIGN: Transition(frozenset({S.TRIAGED, S.RETURNED}), S.ASSIGNED, _OFFICE_OR_SYSTEM),
    A.REASSIGN: Transition(frozenset({S.ASSIGNED, S.IN_PROGRESS}), S.ASSIGNED, _OFFICE),
    A.ACCEPT: Transition(frozenset({S.ASSIGNED}), S.IN_PROGRESS, frozenset({R.DEPARTMENT_HANDLER})),
    A.RETURN: Transition(frozenset({S.ASSIGNED}), S.RETURNED, frozenset({R.DEPARTMENT_HANDLER})),
    A.PROGRESS: Transition(frozenset({S.IN_PROGRESS}), None, frozenset({R.DEPARTMENT_HANDLER, R.HELPER_HANDLER})),
    A.REPLY: Transition(frozenset({S.IN_PROGRESS}), S.REPLIED, frozenset({R.DEPARTMENT_HANDLER})),
    A.RATE: Transition(frozenset({S.REPLIED}), S.RATED, frozenset({R.CONSTITUENT})),
    A.REOPEN: Transition(frozenset({S.REPLIED}), S.IN_PROGRESS, frozenset({R.CONSTITUENT, R.CONGRESS_OFFICE})),
    A.CLOSE: Transition(frozenset({S.REPLIED, S.RATED}), S.CLOSED, _OFFICE | {R.CONSTITUENT, R.SYSTEM}),
    A.RESOLVE_ON_SPOT: Transition(_TRIAGE_FROM, S.CLOSED, _OFFICE | {R.DEPUTY}),
    A.REJECT: Transition(_TRIAGE_FROM, S.CLOSED, _OFFICE),
    A.URGE: Transition(OPEN_STATUSES, None, frozenset({R.DEPUTY, R.CONGRESS_OFFICE})),
    A.FOLLOW: Transition(frozenset(Status), None, frozenset({R.DEPUTY})),
    A.NOTE: Transition(frozenset(Status), None, _OFFICE | {R.DEPARTMENT_HANDLER, R.HELPER_HANDLER, R.DEPUTY}),
    A.REMIND: Transition(OPEN_STATUSES, None, frozenset({R.SYSTEM})),
    A.ESCALATE: Transition(OPEN_STATUSES, None, frozenset({R.SYSTEM})),
    A.ADOPT: Transition(frozenset({S.REPLIED, S.RATED, S.CLOSED}), None, frozenset({R.DEPARTMENT_HANDLER}) | _OFFICE),
    # The classifier's suggested category and department, an internal timeline event.
    A.SUGGEST: Transition(OPEN_STATUSES, None, frozenset({R.SYSTEM})),
    # Merged groups (docs/workflow.md): the original's reply or closing reaches every waiting
    # duplicate; a low rating sends the rater's duplicate (and any unrated one) back to wait,
    # and the original back to its department, even if its own resident had closed it.
    A.SHARE_REPLY: Transition(frozenset({S.MERGED}), S.REPLIED, frozenset({R.SYSTEM})),
    A.SHARE_CLOSE: Transition(frozenset({S.MERGED}), S.CLOSED, frozenset({R.SYSTEM})),
    A.REJOIN: Transition(frozenset({S.REPLIED}), S.MERGED, frozenset({R.CONSTITUENT, R.SYSTEM})),
    A.GROUP_REOPEN: Transition(frozenset({S.REPLIED, S.RATED, S.CLOSED}), S.IN_PROGRESS, frozenset({R.SYSTEM})),
}


def can(action: Action, status: Status | None, actor: Actor) -> bool:
    rule = TRANSITIONS[action]
    source_ok = status is None if action is Action.SUBMIT else status in rule.sources
    return source_ok and actor in rule.actors


def target(action: Action, status: Status) -> Status:
    rule = TRANSITIONS[action]
    return rule.target if rule.target is not None else status


def actions_from(status: Status, actors: set[Actor]) -> list[Action]:
    """Actions any of `actors` may take now, in the table's order."""
    return [a for a in TRANSITIONS if a is not Action.SUBMIT and any(can(a, status, r) for r in actors)]


# A reply, or a closing reason the resident sees, answers the resident: the 48-hour clock stops.
ANSWERING_ACTIONS = frozenset(
    {Action.REPLY, Action.RESOLVE_ON_SPOT, Action.REJECT, Action.SHARE_REPLY, Action.SHARE_CLOSE}
)
# Rating of 1–2 stars reopens the case (重办) to the same department.
REOPEN_BELOW_STARS = 3
