"""The transition table as a truth table: every (action, status, actor) triple is checked
against the expected table written out here by hand, independently of workflow.py."""

import itertools

import pytest

from lianxin.cases.workflow import (
    ANSWERING_ACTIONS,
    AWAITING_REPLY,
    OPEN_STATUSES,
    TRANSITIONS,
    Action,
    Actor,
    Status,
    actions_from,
    can,
    target,
)

S, A, R = Status, Action, Actor
OFFICE = {R.STATION_STAFF, R.CONGRESS_OFFICE, R.ADMIN}
OPEN = {S.SUBMITTED, S.TRIAGED, S.ASSIGNED, S.RETURNED, S.IN_PROGRESS, S.MERGED}
TRIAGE_FROM = {S.SUBMITTED, S.TRIAGED, S.RETURNED}

# action: (allowed source statuses, target status or None for "unchanged", allowed actors)
EXPECTED = {
    A.TRIAGE: (TRIAGE_FROM, S.TRIAGED, OFFICE | {R.SYSTEM}),
    A.LINK_DUPLICATE: (TRIAGE_FROM, S.MERGED, OFFICE),
    A.ASSIGN: ({S.TRIAGED, S.RETURNED}, S.ASSIGNED, OFFICE | {R.SYSTEM}),
    A.REASSIGN: ({S.ASSIGNED, S.IN_PROGRESS}, S.ASSIGNED, OFFICE),
    A.ACCEPT: ({S.ASSIGNED}, S.IN_PROGRESS, {R.DEPARTMENT_HANDLER}),
    A.RETURN: ({S.ASSIGNED}, S.RETURNED, {R.DEPARTMENT_HANDLER}),
    A.PROGRESS: ({S.IN_PROGRESS}, None, {R.DEPARTMENT_HANDLER, R.HELPER_HANDLER}),
    A.REPLY: ({S.IN_PROGRESS}, S.REPLIED, {R.DEPARTMENT_HANDLER}),
    A.RATE: ({S.REPLIED}, S.RATED, {R.CONSTITUENT}),
    A.REOPEN: ({S.REPLIED}, S.IN_PROGRESS, {R.CONSTITUENT, R.CONGRESS_OFFICE}),
    A.CLOSE: ({S.REPLIED, S.RATED}, S.CLOSED, OFFICE | {R.CONSTITUENT, R.SYSTEM}),
    A.RESOLVE_ON_SPOT: (TRIAGE_FROM, S.CLOSED, OFFICE | {R.DEPUTY}),
    A.REJECT: (TRIAGE_FROM, S.CLOSED, OFFICE),
    A.URGE: (OPEN, None, {R.DEPUTY, R.CONGRESS_OFFICE}),
    A.FOLLOW: (set(Status), None, {R.DEPUTY}),
    A.NOTE: (set(Status), None, OFFICE | {R.DEPARTMENT_HANDLER, R.HELPER_HANDLER, R.DEPUTY}),
    A.REMIND: (OPEN, None, {R.SYSTEM}),
    A.ESCALATE: (OPEN, None, {R.SYSTEM}),
    A.ADOPT: ({S.REPLIED, S.RATED, S.CLOSED}, None, OFFICE | {R.DEPARTMENT_HANDLER}),
    A.SUGGEST: (OPEN, None, {R.SYSTEM}),
    A.SHARE_REPLY: ({S.MERGED}, S.REPLIED, {R.SYSTEM}),
    A.SHARE_CLOSE: ({S.MERGED}, S.CLOSED, {R.SYSTEM}),
    A.REJOIN: ({S.REPLIED}, S.MERGED, {R.CONSTITUENT, R.SYSTEM}),
    A.GROUP_REOPEN: ({S.REPLIED, S.RATED, S.CLOSED}, S.IN_PROGRESS, {R.SYSTEM}),
}


def test_every_action_but_submit_is_in_the_expected_table():
    assert set(TRANSITIONS) - {A.SUBMIT} == set(EXPECTED)


@pytest.mark.parametrize(
    ("action", "status", "actor"), list(itertools.product(EXPECTED, Status, Actor)), ids=lambda v: str(v)
)
def test_transition_truth_table(action, status, actor):
    sources, to, actors = EXPECTED[action]
    allowed = status in sources and actor in actors
    assert can(action, status, actor) is allowed
    if allowed:
        assert target(action, status) == (to or status)


def test_submit_is_only_possible_for_a_new_case():
    assert can(A.SUBMIT, None, R.CONSTITUENT)
    assert not any(can(A.SUBMIT, s, R.CONSTITUENT) for s in Status)


def test_leader_can_take_no_action_in_any_state():
    assert all(actions_from(s, {R.LEADER}) == [] for s in Status)


def test_closed_case_allows_only_notes_follows_and_adoption():
    people = set(Actor) - {R.SYSTEM}
    assert set(actions_from(S.CLOSED, people)) == {A.FOLLOW, A.NOTE, A.ADOPT}
    # Only the system reopens a closed original, when a resident of its merged group is unsatisfied.
    assert set(actions_from(S.CLOSED, {R.SYSTEM})) == {A.GROUP_REOPEN}


def test_a_merged_duplicate_has_no_reply_clock_but_stays_open():
    assert S.MERGED in OPEN_STATUSES and S.MERGED not in AWAITING_REPLY
    assert set(AWAITING_REPLY) == set(OPEN_STATUSES) - {S.MERGED}


def test_only_the_system_answers_a_merged_duplicate():
    people = set(Actor) - {R.SYSTEM}
    assert set(actions_from(S.MERGED, people)) == {A.URGE, A.FOLLOW, A.NOTE}
    assert {A.SHARE_REPLY, A.SHARE_CLOSE} <= ANSWERING_ACTIONS


def test_every_status_can_reach_closed():
    reachable = {S.CLOSED}
    changed = True
    while changed:
        changed = False
        for rule in TRANSITIONS.values():
            if rule.target in reachable:
                new = set(rule.sources) - reachable
                if new:
                    reachable |= new
                    changed = True
    assert reachable == set(Status)
