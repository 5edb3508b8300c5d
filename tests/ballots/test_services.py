"""Opening, casting, closing and reading results through the services."""

from datetime import timedelta
from decimal import Decimal

import pytest

from lianxin.ballots import services
from lianxin.ballots.models import Ballot, BallotEvent, BallotSlot, Elector
from lianxin.core import clock
from lianxin.core.errors import ApplicationError
from lianxin.notifications.models import Notification

from .conftest import OPTIONS, open_ballot, rules


def _vote_all(ballot, town, choices):
    cast = services.ballot_cast
    return [cast(ballot=ballot, deputy_user=u, marks=m) for u, m in zip(town.users, choices, strict=False)]


def test_opening_makes_one_empty_slot_per_elector_and_tells_each_elector(town):
    ballot = open_ballot(town)
    assert Elector.objects.filter(ballot=ballot).count() == 5
    assert BallotSlot.objects.filter(ballot=ballot, filled=False).count() == 5
    assert len(set(BallotSlot.objects.filter(ballot=ballot).values_list("receipt_code", flat=True))) == 5
    sent = Notification.objects.filter(kind="ballot_opened", channel="in_app")
    assert {n.recipient_id for n in sent} == {u.pk for u in town.users}
    assert BallotEvent.objects.filter(ballot=ballot, action="opened").count() == 1


def test_casting_returns_the_receipt_of_a_filled_slot(ballot, town):
    code = services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={"p1": "for", "p2": "for"})
    slot = BallotSlot.objects.get(ballot=ballot, receipt_code=code)
    assert slot.filled and slot.marks == "FF--"
    assert Elector.objects.get(ballot=ballot, deputy=town.deputies[0]).voted


def test_full_round_adopts_the_options_over_half_of_all_electors(ballot, town):
    choices = [{"p1": "for", "p2": "for", "p3": "for"}] * 3 + [{"p1": "for", "p4": "for"}] * 2
    codes = _vote_all(ballot, town, choices)
    services.ballot_close(ballot=ballot, actor=town.office)
    results = services.ballot_results(ballot)
    assert [r.ref for r in results.adopted] == ["p1", "p2", "p3"]
    assert results.receipts == tuple(sorted(codes))
    assert results.tally.cast == results.tally.valid == 5
    assert {r.ref: r.votes_for for r in results.rows} == {"p1": 5, "p2": 3, "p3": 3, "p4": 2}


def test_a_second_ballot_of_the_same_deputy_is_refused(ballot, town):
    services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={"p1": "for"})
    with pytest.raises(ApplicationError) as error:
        services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={"p2": "for"})
    assert error.value.code == "already_voted"
    assert BallotSlot.objects.filter(ballot=ballot, filled=True).count() == 1


def test_more_approvals_than_places_are_refused_with_the_numbers(ballot, town):
    with pytest.raises(ApplicationError) as error:
        services.ballot_cast(
            ballot=ballot, deputy_user=town.users[0], marks=dict.fromkeys(["p1", "p2", "p3", "p4"], "for")
        )
    assert error.value.code == "too_many" and "4" in error.value.message and "3" in error.value.message
    assert not Elector.objects.filter(ballot=ballot, voted=True).exists()


def test_outsiders_and_voter_representatives_cannot_vote(ballot, town):
    for user in (town.world.outsider, town.world.office1, town.world.deputy_user):
        with pytest.raises(ApplicationError) as error:
            services.ballot_cast(ballot=ballot, deputy_user=user, marks={"p1": "for"})
        assert error.value.code == "not_elector"


def test_voting_outside_the_window_is_refused_with_the_time(ballot, town):
    with clock.frozen_at(ballot.opens_at - timedelta(minutes=5)), pytest.raises(ApplicationError) as error:
        services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={"p1": "for"})
    assert error.value.code == "not_yet_open"
    with clock.frozen_at(ballot.closes_at), pytest.raises(ApplicationError) as error:
        services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={"p1": "for"})
    assert error.value.code == "window_ended"


def test_unknown_candidates_and_marks_are_refused(ballot, town):
    for marks in ({"p9": "for"}, {"p1": "against"}, {"p1": "yes"}):
        with pytest.raises(ApplicationError):
            services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks=marks)


def test_no_results_while_the_ballot_is_open(ballot, town):
    _vote_all(ballot, town, [{"p1": "for"}] * 5)
    with pytest.raises(ApplicationError) as error:
        services.ballot_results(ballot)
    assert error.value.code == "ballot_open"


def test_closing_early_needs_every_elector_to_have_voted(ballot, town):
    _vote_all(ballot, town, [{"p1": "for"}] * 4)
    with pytest.raises(ApplicationError) as error:
        services.ballot_close(ballot=ballot, actor=town.office)
    assert error.value.code == "window_open"
    with clock.frozen_at(ballot.closes_at):
        services.ballot_close(ballot=ballot, actor=town.office)
    results = services.ballot_results(ballot)
    assert results.tally.cast == 4 and results.tally.electors == 5


def test_results_are_refused_when_ballots_do_not_match_turnout(ballot, town):
    _vote_all(ballot, town, [{"p1": "for"}] * 5)
    services.ballot_close(ballot=ballot, actor=town.office)
    Elector.objects.filter(ballot=ballot, deputy=town.deputies[0]).update(voted=False)  # tampering
    with pytest.raises(ApplicationError) as error:
        services.ballot_results(ballot)
    assert error.value.code == "count_mismatch"


def test_only_the_office_of_the_place_opens_and_closes(town):
    for actor in (town.world.office2, town.world.leader, town.users[0], town.world.staff1):
        with pytest.raises(ApplicationError) as error:
            services.ballot_open(
                title="t",
                place=town.place,
                electors=town.deputies,
                options=OPTIONS,
                rules=rules(),
                opens_at=clock.now(),
                closes_at=clock.now() + timedelta(hours=1),
                actor=actor,
            )
        assert error.value.code == "not_allowed"
    ballot = open_ballot(town)
    services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={})  # counts toward "all voted"
    with pytest.raises(ApplicationError) as error:
        services.ballot_close(ballot=ballot, actor=town.world.office2)
    assert error.value.code == "not_found"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"seats": 0}, "bad_seats"),
        ({"threshold_basis": "most"}, "bad_basis"),
        ({"min_ratio": Decimal("-0.1")}, "bad_ratio"),
    ],
)
def test_bad_rules_are_refused(town, changes, code):
    with pytest.raises(ApplicationError) as error:
        open_ballot(town, **changes)
    assert error.value.code == code


def test_bad_window_and_empty_electors_are_refused(town):
    now = clock.now()
    base = {"title": "t", "place": town.place, "options": OPTIONS, "rules": rules(), "actor": town.office}
    with pytest.raises(ApplicationError) as error:
        services.ballot_open(**base, electors=town.deputies, opens_at=now, closes_at=now)
    assert error.value.code == "bad_window"
    with pytest.raises(ApplicationError) as error:
        services.ballot_open(**base, electors=[], opens_at=now, closes_at=now + timedelta(hours=1))
    assert error.value.code == "no_electors"


def test_voter_representatives_cannot_be_electors(town):
    from lianxin.deputies.services import deputy_create

    rep = deputy_create(name="李选民代表", station=town.world.station1, kind="voter_representative")
    with pytest.raises(ApplicationError) as error:
        services.ballot_open(
            title="t",
            place=town.place,
            electors=[*town.deputies, rep],
            options=OPTIONS,
            rules=rules(),
            opens_at=clock.now(),
            closes_at=clock.now() + timedelta(hours=1),
            actor=town.office,
        )
    assert error.value.code == "not_a_deputy" and "李选民代表" in error.value.message


def test_rules_are_frozen_at_opening(town):
    source = {"seats": 3, "ratio": Decimal("0.20")}
    ballot = open_ballot(town, seats=source["seats"], min_ratio=source["ratio"])
    source["seats"] = 1  # the round changes its mind afterwards
    fresh = Ballot.objects.get(pk=ballot.pk)
    assert (fresh.seats, fresh.min_ratio, fresh.threshold_basis) == (3, Decimal("0.20"), "all")
    assert services.rules_of(fresh).seats == 3


def test_naive_times_and_a_missing_place_are_refused(town):
    from datetime import datetime

    base = {"title": "t", "electors": town.deputies, "options": OPTIONS, "rules": rules(), "actor": town.office}
    with pytest.raises(ApplicationError) as error:
        services.ballot_open(
            **base, place=town.place, opens_at=datetime(2030, 1, 1, 9), closes_at=datetime(2030, 1, 1, 11)
        )
    assert error.value.code == "bad_window"
    with pytest.raises(ApplicationError) as error:
        services.ballot_open(**base, place=None, opens_at=clock.now(), closes_at=clock.now() + timedelta(hours=1))
    assert error.value.code == "no_place"


def test_closing_tells_the_electors_where_the_result_is(ballot, town):
    _vote_all(ballot, town, [{"p1": "for"}] * 5)
    services.ballot_close(ballot=ballot, actor=town.office)
    sent = Notification.objects.filter(kind="ballot_closed", channel="in_app")
    assert {n.recipient_id for n in sent} == {u.pk for u in town.users}
    assert all(n.link.endswith(f"/ballots/{ballot.pk}/results/") for n in sent)


def test_too_few_candidates_message_says_how_many_are_needed(town):
    options = [(f"c{i}", f"项目{i}") for i in range(8)]
    with pytest.raises(ApplicationError) as error:
        open_ballot(town, options=options, seats=7)
    assert error.value.code == "too_few_options"
    assert "9" in error.value.message and "8" in error.value.message
    assert error.value.extra == {"needed": 9, "count": 8}
    assert open_ballot(town, options=[*options, ("c8", "项目8")], seats=7).options.count() == 9


@pytest.mark.parametrize(("count", "allowed"), [(5, False), (6, True)])
def test_five_places_need_six_candidates(town, count, allowed):
    options = [(f"c{i}", f"项目{i}") for i in range(count)]
    if allowed:
        assert open_ballot(town, options=options, seats=5).seats == 5
        return
    with pytest.raises(ApplicationError) as error:
        open_ballot(town, options=options, seats=5)
    assert error.value.extra == {"needed": 6, "count": 5}


def test_threshold_of_those_present_counts_phone_voters_as_present(town):
    ballot = open_ballot(town, threshold_basis="present", seats=1)
    services.presence_record(ballot=ballot, actor=town.office, present_deputy_ids=[d.pk for d in town.deputies[:2]])
    for user in town.users[1:4]:  # one of them recorded present, two more present by voting
        services.ballot_cast(ballot=ballot, deputy_user=user, marks={"p1": "for"})
    with clock.frozen_at(ballot.closes_at):
        services.ballot_close(ballot=ballot, actor=town.office)
    result = services.ballot_results(ballot).tally
    assert (result.electors, result.present, result.cast, result.threshold) == (5, 4, 3, 3)
    assert result.adopted == ("p1",)


def test_results_use_the_rules_frozen_in_the_ballot_not_the_caller_s(town):
    import dataclasses

    given = rules(seats=3)
    ballot = open_ballot(town, seats=given.seats)
    changed = dataclasses.replace(given, seats=1, threshold_basis="present")  # the source changes later
    for user in town.users:
        services.ballot_cast(ballot=ballot, deputy_user=user, marks={"p1": "for", "p2": "for", "p3": "for"})
    services.ballot_close(ballot=ballot, actor=town.office)
    results = services.ballot_results(ballot)
    assert results.rules.seats == 3 != changed.seats and len(results.adopted) == 3
