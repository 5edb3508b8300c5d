"""The ballot's steps as a table: which step is possible in which state, and for whom.
Pure data; checked as a truth table in tests/ballots/test_workflow.py."""

from enum import StrEnum


class State(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Step(StrEnum):
    CAST = "cast"  # an elector votes on the phone (electronic ballots, inside the window)
    PRESENCE = "presence"  # the chair records who is present
    PAPER_ENTER = "paper_enter"  # teller 1 enters a sheet, or corrects one
    PAPER_CONFIRM = "paper_confirm"  # teller 2 re-enters it
    CLOSE = "close"
    RESULTS = "results"


class Role(StrEnum):
    OFFICE = "office"  # congress office of the ballot's place (chair, tellers)
    ELECTOR = "elector"


ALLOWED: dict[Step, tuple[frozenset[State], frozenset[Role]]] = {
    Step.CAST: (frozenset({State.OPEN}), frozenset({Role.ELECTOR})),
    Step.PRESENCE: (frozenset({State.OPEN}), frozenset({Role.OFFICE})),
    # Paper sheets are counted after the box is closed, so tellers may still enter them then.
    Step.PAPER_ENTER: (frozenset({State.OPEN, State.CLOSED}), frozenset({Role.OFFICE})),
    Step.PAPER_CONFIRM: (frozenset({State.OPEN, State.CLOSED}), frozenset({Role.OFFICE})),
    Step.CLOSE: (frozenset({State.OPEN}), frozenset({Role.OFFICE})),
    Step.RESULTS: (frozenset({State.CLOSED}), frozenset({Role.OFFICE, Role.ELECTOR})),
}


def can(step: Step, state: str, roles: set[Role] | frozenset[Role]) -> bool:
    states, who = ALLOWED[step]
    return State(state) in states and bool(who & set(roles))
