"""The yearly round of livelihood projects (民生实事项目票决制) as one table: which action
moves a round from which states to which, and which roles may take it. Pure data; no ORM.
Drawn in docs/projects.md and checked as a truth table in tests/projects/test_workflow.py."""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(StrEnum):
    DRAFT = "draft"
    SOLICITING = "soliciting"  # 征集
    SHORTLISTING = "shortlisting"  # 候选
    DELIBERATION = "deliberation"  # 审议
    BALLOTING = "balloting"  # 票决
    COUNTED = "counted"  # ballot closed: results read, ties and shortfalls await staff's decision
    IMPLEMENTING = "implementing"  # 实施
    EVALUATING = "evaluating"  # 评议
    LOOK_BACK = "look_back"  # 回头看
    CLOSED = "closed"


STATUS_LABELS = {
    Status.DRAFT: _("Draft"),
    Status.SOLICITING: _("Soliciting proposals"),
    Status.SHORTLISTING: _("Shortlisting candidates"),
    Status.DELIBERATION: _("Deliberation"),
    Status.BALLOTING: _("Ballot open"),
    Status.COUNTED: _("Ballot counted"),
    Status.IMPLEMENTING: _("Implementation"),
    Status.EVALUATING: _("Evaluation"),
    Status.LOOK_BACK: _("Look-back"),
    Status.CLOSED: pgettext_lazy("project round", "Closed"),
}


class Action(StrEnum):
    CREATE = "create"
    CONFIGURE = "configure"  # seats (N), ratio, windows, survey dimensions
    OPEN_SOLICITATION = "open_solicitation"
    PROPOSE = "propose"  # residents, deputies, staff
    PROMOTE_CASE = "promote_case"  # an opinion (case) becomes a proposal
    CLOSE_SOLICITATION = "close_solicitation"
    EDIT_CANDIDATES = "edit_candidates"  # create, merge proposals into, edit, withdraw candidates
    SEND_TO_DELIBERATION = "send_to_deliberation"
    MEETING_NOTE = "meeting_note"
    COMMENT = "comment"  # a deputy's comment on a candidate
    OPEN_BALLOT = "open_ballot"
    CLOSE_BALLOT = "close_ballot"
    DECIDE = "decide"  # staff's decision on a tie or a shortfall (run-off, note)
    START_IMPLEMENTATION = "start_implementation"
    PLAN = "plan"  # lead department, budget, supervisors, milestones of a project
    PROGRESS = "progress"  # progress report (with photos), milestone done
    URGE = "urge"  # 督办
    INSPECT = "inspect"  # a supervision inspection (implementing) or a look-back (回头看)
    MILESTONE_OVERDUE = "milestone_overdue"  # the sweep tells supervisors
    OPEN_EVALUATION = "open_evaluation"
    RESPOND_SURVEY = "respond_survey"
    START_LOOK_BACK = "start_look_back"
    FOLLOW_UP_CASE = "follow_up_case"  # a look-back finding becomes a case
    CLOSE = "close"


ACTION_LABELS = {
    Action.CREATE: _("Round created"),
    Action.CONFIGURE: _("Settings changed"),
    Action.OPEN_SOLICITATION: _("Solicitation opened"),
    Action.PROPOSE: _("Project proposed"),
    Action.PROMOTE_CASE: _("Opinion promoted to a proposal"),
    Action.CLOSE_SOLICITATION: _("Solicitation closed"),
    Action.EDIT_CANDIDATES: _("Candidates edited"),
    Action.SEND_TO_DELIBERATION: _("Sent to deliberation"),
    Action.MEETING_NOTE: _("Meeting notes"),
    Action.COMMENT: _("Deputy's comment"),
    Action.OPEN_BALLOT: _("Ballot opened"),
    Action.CLOSE_BALLOT: _("Ballot closed and counted"),
    Action.DECIDE: _("Decision on the ballot's result"),
    Action.START_IMPLEMENTATION: _("Implementation started"),
    Action.PLAN: _("Project plan changed"),
    Action.PROGRESS: _("Progress report"),
    Action.URGE: _("Urged by a deputy"),
    Action.INSPECT: _("Inspection"),
    Action.MILESTONE_OVERDUE: _("Milestone overdue"),
    Action.OPEN_EVALUATION: _("Evaluation opened"),
    Action.RESPOND_SURVEY: _("Survey answered"),
    Action.START_LOOK_BACK: _("Look-back started"),
    Action.FOLLOW_UP_CASE: _("Follow-up case opened"),
    Action.CLOSE: _("Round closed"),
}


class Actor(StrEnum):
    OFFICE = "congress_office"  # the congress office of the round's place or above
    STATION_STAFF = "station_staff"  # staff of a station inside the round's place
    DEPUTY = "deputy"  # a deputy (or voter representative) whose station is inside the place
    DEPARTMENT = "department_handler"  # a handler of a project's lead department
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
_OFFICE = frozenset({R.OFFICE, R.ADMIN})
_BEFORE_BALLOT = frozenset({S.DRAFT, S.SOLICITING, S.SHORTLISTING, S.DELIBERATION})
_IMPLEMENTING_ON = frozenset({S.IMPLEMENTING, S.EVALUATING, S.LOOK_BACK})

TRANSITIONS: dict[Action, Transition] = {
    A.CREATE: Transition(frozenset(), S.DRAFT, _OFFICE),
    A.CONFIGURE: Transition(_BEFORE_BALLOT, None, _OFFICE),
    A.OPEN_SOLICITATION: Transition(frozenset({S.DRAFT}), S.SOLICITING, _OFFICE),
    A.PROPOSE: Transition(frozenset({S.SOLICITING}), None, _OFFICE | {R.STATION_STAFF, R.DEPUTY, R.CONSTITUENT}),
    A.PROMOTE_CASE: Transition(frozenset({S.SOLICITING, S.SHORTLISTING}), None, _OFFICE | {R.STATION_STAFF}),
    A.CLOSE_SOLICITATION: Transition(frozenset({S.SOLICITING}), S.SHORTLISTING, _OFFICE),
    A.EDIT_CANDIDATES: Transition(frozenset({S.SHORTLISTING, S.DELIBERATION}), None, _OFFICE),
    A.SEND_TO_DELIBERATION: Transition(frozenset({S.SHORTLISTING}), S.DELIBERATION, _OFFICE),
    A.MEETING_NOTE: Transition(frozenset({S.DELIBERATION}), None, _OFFICE),
    A.COMMENT: Transition(frozenset({S.SHORTLISTING, S.DELIBERATION}), None, _OFFICE | {R.DEPUTY}),
    A.OPEN_BALLOT: Transition(frozenset({S.DELIBERATION}), S.BALLOTING, _OFFICE),
    A.CLOSE_BALLOT: Transition(frozenset({S.BALLOTING}), S.COUNTED, _OFFICE),
    A.DECIDE: Transition(frozenset({S.COUNTED}), None, _OFFICE),
    A.START_IMPLEMENTATION: Transition(frozenset({S.COUNTED}), S.IMPLEMENTING, _OFFICE),
    A.PLAN: Transition(frozenset({S.IMPLEMENTING}), None, _OFFICE),
    A.PROGRESS: Transition(frozenset({S.IMPLEMENTING}), None, _OFFICE | {R.DEPARTMENT}),
    A.URGE: Transition(frozenset({S.IMPLEMENTING}), None, _OFFICE | {R.DEPUTY}),
    A.INSPECT: Transition(_IMPLEMENTING_ON, None, _OFFICE | {R.DEPUTY}),
    A.MILESTONE_OVERDUE: Transition(frozenset({S.IMPLEMENTING}), None, frozenset({R.SYSTEM})),
    A.OPEN_EVALUATION: Transition(frozenset({S.IMPLEMENTING}), S.EVALUATING, _OFFICE),
    A.RESPOND_SURVEY: Transition(frozenset({S.EVALUATING}), None, frozenset({R.CONSTITUENT, R.DEPUTY})),
    A.START_LOOK_BACK: Transition(frozenset({S.EVALUATING}), S.LOOK_BACK, _OFFICE),
    A.FOLLOW_UP_CASE: Transition(frozenset({S.LOOK_BACK}), None, _OFFICE | {R.DEPUTY}),
    A.CLOSE: Transition(frozenset({S.LOOK_BACK}), S.CLOSED, _OFFICE),
}


def can(action: Action, status: Status | None, actor: Actor) -> bool:
    rule = TRANSITIONS[action]
    source_ok = status is None if action is Action.CREATE else status in rule.sources
    return source_ok and actor in rule.actors


def target(action: Action, status: Status) -> Status:
    rule = TRANSITIONS[action]
    return rule.target if rule.target is not None else status


def actions_from(status: Status, actors: set[Actor]) -> list[Action]:
    return [a for a in TRANSITIONS if a is not Action.CREATE and any(can(a, status, r) for r in actors)]


# Order of the steps, for the staff page's progress bar.
ORDER = list(Status)
