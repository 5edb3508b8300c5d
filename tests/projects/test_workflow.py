"""The round's state table as a truth table: every (action, status, actor) triple checked
against a copy written out here by hand, independently of workflow.py."""

import itertools

import pytest

from lianxin.projects.workflow import TRANSITIONS, Action, Actor, Status, actions_from, can, target

S, A, R = Status, Action, Actor
OFFICE = {R.OFFICE, R.ADMIN}
IMPL_ON = {S.IMPLEMENTING, S.EVALUATING, S.LOOK_BACK}

# action: (allowed sources, target or None for "unchanged", allowed actors)
EXPECTED = {
    A.CONFIGURE: ({S.DRAFT, S.SOLICITING, S.SHORTLISTING, S.DELIBERATION}, None, OFFICE),
    A.OPEN_SOLICITATION: ({S.DRAFT}, S.SOLICITING, OFFICE),
    A.PROPOSE: ({S.SOLICITING}, None, OFFICE | {R.STATION_STAFF, R.DEPUTY, R.CONSTITUENT}),
    A.PROMOTE_CASE: ({S.SOLICITING, S.SHORTLISTING}, None, OFFICE | {R.STATION_STAFF}),
    A.CLOSE_SOLICITATION: ({S.SOLICITING}, S.SHORTLISTING, OFFICE),
    A.EDIT_CANDIDATES: ({S.SHORTLISTING, S.DELIBERATION}, None, OFFICE),
    A.SEND_TO_DELIBERATION: ({S.SHORTLISTING}, S.DELIBERATION, OFFICE),
    A.MEETING_NOTE: ({S.DELIBERATION}, None, OFFICE),
    A.COMMENT: ({S.SHORTLISTING, S.DELIBERATION}, None, OFFICE | {R.DEPUTY}),
    A.OPEN_BALLOT: ({S.DELIBERATION}, S.BALLOTING, OFFICE),
    A.CLOSE_BALLOT: ({S.BALLOTING}, S.COUNTED, OFFICE),
    A.DECIDE: ({S.COUNTED}, None, OFFICE),
    A.START_IMPLEMENTATION: ({S.COUNTED}, S.IMPLEMENTING, OFFICE),
    A.PLAN: ({S.IMPLEMENTING}, None, OFFICE),
    A.PROGRESS: ({S.IMPLEMENTING}, None, OFFICE | {R.DEPARTMENT}),
    A.URGE: ({S.IMPLEMENTING}, None, OFFICE | {R.DEPUTY}),
    A.INSPECT: (IMPL_ON, None, OFFICE | {R.DEPUTY}),
    A.MILESTONE_OVERDUE: ({S.IMPLEMENTING}, None, {R.SYSTEM}),
    A.OPEN_EVALUATION: ({S.IMPLEMENTING}, S.EVALUATING, OFFICE),
    A.RESPOND_SURVEY: ({S.EVALUATING}, None, {R.CONSTITUENT, R.DEPUTY}),
    A.START_LOOK_BACK: ({S.EVALUATING}, S.LOOK_BACK, OFFICE),
    A.FOLLOW_UP_CASE: ({S.LOOK_BACK}, None, OFFICE | {R.DEPUTY}),
    A.CLOSE: ({S.LOOK_BACK}, S.CLOSED, OFFICE),
}


def test_every_action_is_in_the_expected_table():
    assert set(EXPECTED) | {A.CREATE} == set(TRANSITIONS)


@pytest.mark.parametrize(("action", "status", "actor"), list(itertools.product(EXPECTED, Status, Actor)))
def test_truth_table(action, status, actor):
    sources, _target, actors = EXPECTED[action]
    assert can(action, status, actor) is (status in sources and actor in actors)


@pytest.mark.parametrize("action", list(EXPECTED))
def test_targets(action):
    sources, expected, _actors = EXPECTED[action]
    for status in sources:
        assert target(action, status) == (expected or status)


@pytest.mark.parametrize("actor", list(Actor))
def test_only_the_office_creates_a_round(actor):
    assert can(A.CREATE, None, actor) is (actor in OFFICE)
    assert not can(A.CREATE, S.DRAFT, actor)


def test_the_round_walks_from_draft_to_closed_through_office_steps():
    path = [
        A.OPEN_SOLICITATION,
        A.CLOSE_SOLICITATION,
        A.SEND_TO_DELIBERATION,
        A.OPEN_BALLOT,
        A.CLOSE_BALLOT,
        A.START_IMPLEMENTATION,
        A.OPEN_EVALUATION,
        A.START_LOOK_BACK,
        A.CLOSE,
    ]
    status = S.DRAFT
    for action in path:
        assert can(action, status, R.OFFICE)
        status = target(action, status)
    assert status is S.CLOSED


def test_leaders_and_closed_rounds_have_no_actions():
    assert actions_from(S.CLOSED, set(Actor)) == []
    for status in Status:
        assert actions_from(status, {R.LEADER}) == []
