"""The step table as a truth table: state × role → allowed."""

import pytest

from lianxin.ballots.workflow import ALLOWED, Role, State, Step, can

EXPECTED = {
    # step: (open: office, elector), (closed: office, elector)
    Step.CAST: ((False, True), (False, False)),
    Step.PRESENCE: ((True, False), (False, False)),
    Step.PAPER_ENTER: ((True, False), (True, False)),
    Step.PAPER_CONFIRM: ((True, False), (True, False)),
    Step.CLOSE: ((True, False), (False, False)),
    Step.RESULTS: ((False, False), (True, True)),
}


@pytest.mark.parametrize("step", list(Step))
@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("role", list(Role))
def test_step_table(step, state, role):
    row = EXPECTED[step][0 if state == State.OPEN else 1]
    assert can(step, state, {role}) is row[0 if role == Role.OFFICE else 1]


def test_nobody_can_do_anything_without_a_role():
    assert not any(can(step, state, set()) for step in Step for state in State)


def test_every_step_is_in_the_table():
    assert set(ALLOWED) == set(Step)
