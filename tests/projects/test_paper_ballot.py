"""The office chooses, when it opens the ballot, whether the deputies vote on their phones or
on paper (two tellers enter and confirm each sheet); the choice is kept on the round and
frozen, and the round page links the tellers' page."""

import pytest
from django.urls import reverse

from lianxin.ballots import services as ballots
from lianxin.ballots.models import Ballot, BallotSlot
from lianxin.core.errors import ApplicationError
from lianxin.projects import services
from lianxin.projects.ballot import round_close_ballot, round_open_ballot
from lianxin.projects.models import CandidateStatus
from lianxin.projects.workflow import Status
from tests.factories import member

from .conftest import at_status


@pytest.fixture
def deliberating(world, round_, town_deputies):
    services.round_configure(round_=round_, actor=world.office1, seats=1, threshold_basis="present")
    at_status(round_, Status.SHORTLISTING)
    for title in ("加装电梯", "口袋公园"):
        services.candidate_create(round_=round_, actor=world.office1, title=title)
    services.round_send_to_deliberation(round_=round_, actor=world.office1)
    return round_


def _ballot(round_) -> Ballot:
    round_.refresh_from_db()
    return Ballot.objects.get(pk=round_.ballot_id)


def test_a_paper_ballot_is_kept_on_the_round_and_frozen(world, deliberating, town_deputies):
    round_open_ballot(round_=deliberating, actor=world.office1, paper=True)
    ballot = _ballot(deliberating)
    assert deliberating.paper_ballot and deliberating.ballot_rules["paper"] is True
    assert ballot.paper and not BallotSlot.objects.filter(ballot=ballot).exists()
    with pytest.raises(ApplicationError):  # no phone vote on a paper ballot
        ballots.ballot_cast(ballot=ballot, deputy_user=town_deputies[0].user, marks={})
    with pytest.raises(ApplicationError) as error:  # nothing about the ballot changes once open
        services.round_configure(round_=deliberating, actor=world.office1, seats=2)
    assert error.value.code == "transition_not_allowed"


def test_electronic_stays_the_default(world, deliberating):
    round_open_ballot(round_=deliberating, actor=world.office1)
    assert not deliberating.paper_ballot and not _ballot(deliberating).paper
    assert deliberating.ballot_rules["paper"] is False


def test_office_chooses_paper_on_the_page_and_finds_the_tellers_page(client, world, deliberating):
    client.force_login(world.office1)
    page = client.get(reverse("projects:round", args=[deliberating.pk])).content.decode()
    assert 'name="open_ballot-method" value="paper"' in page
    response = client.post(
        reverse("projects:act", args=[deliberating.pk, "open_ballot"]), {"open_ballot-method": "paper"}
    )
    assert response.status_code == 302
    ballot = _ballot(deliberating)
    assert ballot.paper
    page = client.get(reverse("projects:round", args=[deliberating.pk])).content.decode()
    assert reverse("ballots:paper", args=[ballot.pk]) in page
    assert reverse("ballots:vote", args=[ballot.pk]) not in page
    assert client.get(reverse("ballots:paper", args=[ballot.pk])).status_code == 200


def test_a_bad_method_is_refused_in_place(client, world, deliberating):
    client.force_login(world.office1)
    response = client.post(
        reverse("projects:act", args=[deliberating.pk, "open_ballot"]), {"open_ballot-method": "fax"}
    )
    assert response.status_code == 400
    deliberating.refresh_from_db()
    assert deliberating.status == Status.DELIBERATION


def test_paper_sheets_entered_by_two_tellers_are_counted_on_the_round(world, deliberating, town_deputies):
    teller2 = member("congress_office", place=world.town1)
    round_open_ballot(round_=deliberating, actor=world.office1, paper=True)
    ballot = _ballot(deliberating)
    with pytest.raises(ApplicationError) as error:  # no sheet yet: nothing is counted
        round_close_ballot(round_=deliberating, actor=world.office1)
    assert error.value.code == "no_sheets"
    ballots.presence_record(ballot=ballot, actor=world.office1, present_deputy_ids=[d.pk for d in town_deputies])
    lift, park = (f"candidate:{pk}" for pk in deliberating.ballot_rules["candidates"])
    for marks in ({lift: "for"}, {lift: "for"}, {park: "for"}):
        entry = ballots.paper_entry_add(ballot=ballot, actor=world.office1, marks=marks)
        assert ballots.paper_entry_confirm(entry=entry, actor=teller2, marks=marks)
    ballots.ballot_close(ballot=ballot, actor=world.office1)  # the ballot box closed on the ballot's page
    round_close_ballot(round_=deliberating, actor=world.office1)
    deliberating.refresh_from_db()
    statuses = dict(deliberating.candidates.values_list("title", "status"))
    assert statuses == {"加装电梯": CandidateStatus.ADOPTED, "口袋公园": CandidateStatus.NOT_ADOPTED}
    assert deliberating.status == Status.COUNTED and deliberating.results["cast"] == 3


def test_an_unconfirmed_sheet_keeps_the_round_waiting(world, deliberating, town_deputies):
    round_open_ballot(round_=deliberating, actor=world.office1, paper=True)
    ballot = _ballot(deliberating)
    ballots.presence_record(ballot=ballot, actor=world.office1, present_deputy_ids=[town_deputies[0].pk])
    ballots.paper_entry_add(ballot=ballot, actor=world.office1, marks={})
    with pytest.raises(ApplicationError) as error:
        round_close_ballot(round_=deliberating, actor=world.office1)
    assert error.value.code == "entries_unconfirmed"
    deliberating.refresh_from_db()
    assert deliberating.status == Status.BALLOTING and _ballot(deliberating).status == "open"
