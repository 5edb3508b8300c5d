"""One ballot per deputy, even when the same deputy's ballot arrives twice at once."""

import threading

import pytest
from django.db import connection, connections

from lianxin.ballots import services
from lianxin.ballots.models import BallotSlot, Elector
from lianxin.core.errors import ApplicationError

from .conftest import make_town, open_ballot

PARALLEL = 4


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database serialises writers with table locks and reports "
    "'database table is locked' instead of waiting; the sequential test covers SQLite",
)
@pytest.mark.django_db(transaction=True)
def test_parallel_requests_of_one_deputy_cast_one_ballot():
    from tests.factories import World

    town = make_town(World())
    ballot = open_ballot(town)
    barrier = threading.Barrier(PARALLEL)
    outcomes: list[str] = []
    lock = threading.Lock()

    def cast(choice: str) -> None:
        try:
            barrier.wait()
            services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={choice: "for"})
            outcome = "cast"
        except ApplicationError as error:
            outcome = error.code
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=cast, args=(f"p{1 + i % 4}",)) for i in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already_voted"] * (PARALLEL - 1) + ["cast"]
    assert BallotSlot.objects.filter(ballot=ballot, filled=True).count() == 1
    assert Elector.objects.filter(ballot=ballot, voted=True).count() == 1


def test_sequential_second_ballot_is_refused_and_changes_nothing(ballot, town):
    services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={"p1": "for"})
    before = list(BallotSlot.objects.filter(ballot=ballot).values_list("id", "filled", "marks"))
    for marks in ({"p2": "for"}, {"p1": "for"}, {}):
        with pytest.raises(ApplicationError) as error:
            services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks=marks)
        assert error.value.code == "already_voted"
    assert list(BallotSlot.objects.filter(ballot=ballot).values_list("id", "filled", "marks")) == before


def test_the_conditional_update_is_what_refuses(ballot, town):
    """Even if the elector row was read as 'not voted' before, the UPDATE ... WHERE voted =
    false changes no row the second time, and the cast is refused."""
    services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={"p1": "for"})
    assert Elector.objects.filter(ballot=ballot, deputy=town.deputies[0], voted=False).update(voted=True) == 0
