"""Paper ballots: the chair records who is present, teller 1 enters each sheet, teller 2
re-enters it; a mismatch blocks the result until corrected and confirmed."""

import pytest

from lianxin.ballots import services
from lianxin.ballots.models import BallotSlot, EntryStatus
from lianxin.core.errors import ApplicationError
from tests.factories import member

from .conftest import open_ballot


@pytest.fixture
def paper(town):
    town.teller2 = member("congress_office", place=town.place)
    return open_ballot(town, paper=True, threshold_basis="present")


def _present(paper, town, count):
    return services.presence_record(
        ballot=paper, actor=town.office, present_deputy_ids=[d.pk for d in town.deputies[:count]]
    )


def _enter_and_confirm(paper, town, marks):
    entry = services.paper_entry_add(ballot=paper, actor=town.office, marks=marks)
    assert services.paper_entry_confirm(entry=entry, actor=town.teller2, marks=marks)
    return entry


def test_paper_ballots_have_no_slots_and_cannot_be_cast_on_phones(paper, town):
    assert not BallotSlot.objects.filter(ballot=paper).exists()
    with pytest.raises(ApplicationError) as error:
        services.ballot_cast(ballot=paper, deputy_user=town.users[0], marks={"p1": "for"})
    assert error.value.code == "paper_ballot"


def test_confirmed_sheets_are_counted_against_those_present(paper, town):
    assert _present(paper, town, 4) == 4
    for marks in ({"p1": "for", "p2": "for"}, {"p1": "for"}, {"p1": "for", "p3": "for"}, {"p2": "for"}):
        _enter_and_confirm(paper, town, marks)
    services.ballot_close(ballot=paper, actor=town.office)
    results = services.ballot_results(paper)
    assert (results.tally.electors, results.tally.present, results.tally.cast) == (5, 4, 4)
    assert results.tally.threshold == 3  # more than half of the 4 present
    assert [r.ref for r in results.adopted] == ["p1"]
    assert results.tally.shortfall == 2 and results.receipts == ()


def test_a_teller_mismatch_blocks_the_result_until_corrected(paper, town):
    _present(paper, town, 3)
    _enter_and_confirm(paper, town, {"p1": "for"})
    entry = services.paper_entry_add(ballot=paper, actor=town.office, marks={"p2": "for"})
    assert not services.paper_entry_confirm(entry=entry, actor=town.teller2, marks={"p3": "for"})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.MISMATCH
    services.ballot_close(ballot=paper, actor=town.office)
    with pytest.raises(ApplicationError) as error:
        services.ballot_results(paper)
    assert error.value.code == "entries_unconfirmed" and "1" in error.value.message
    services.paper_entry_correct(entry=entry, actor=town.teller2, marks={"p3": "for"})
    with pytest.raises(ApplicationError) as error:  # the corrector cannot confirm himself
        services.paper_entry_confirm(entry=entry, actor=town.teller2, marks={"p3": "for"})
    assert error.value.code == "same_teller"
    assert services.paper_entry_confirm(entry=entry, actor=town.office, marks={"p3": "for"})
    results = services.ballot_results(paper)
    assert {r.ref: r.votes_for for r in results.rows} == {"p1": 1, "p2": 0, "p3": 1, "p4": 0}


def test_the_same_teller_cannot_confirm_his_own_entry(paper, town):
    _present(paper, town, 2)
    entry = services.paper_entry_add(ballot=paper, actor=town.office, marks={"p1": "for"})
    with pytest.raises(ApplicationError) as error:
        services.paper_entry_confirm(entry=entry, actor=town.office, marks={"p1": "for"})
    assert error.value.code == "same_teller"


def test_more_sheets_than_present_are_refused(paper, town):
    _present(paper, town, 2)
    _enter_and_confirm(paper, town, {"p1": "for"})
    _enter_and_confirm(paper, town, {"p1": "for"})
    with pytest.raises(ApplicationError) as error:
        services.paper_entry_add(ballot=paper, actor=town.office, marks={"p1": "for"})
    assert error.value.code == "more_than_present"


def test_a_sheet_with_too_many_approvals_is_entered_and_counted_invalid(paper, town):
    _present(paper, town, 2)
    _enter_and_confirm(paper, town, dict.fromkeys(["p1", "p2", "p3", "p4"], "for"))
    _enter_and_confirm(paper, town, {"p1": "for"})
    services.ballot_close(ballot=paper, actor=town.office)
    results = services.ballot_results(paper)
    assert (results.tally.cast, results.tally.valid, results.tally.invalid) == (2, 1, 1)


def test_only_electors_can_be_present_and_only_the_office_records_it(paper, town):
    with pytest.raises(ApplicationError):
        services.presence_record(ballot=paper, actor=town.office, present_deputy_ids=[town.world.deputy.pk])
    with pytest.raises(ApplicationError) as error:
        services.presence_record(ballot=paper, actor=town.users[0], present_deputy_ids=[])
    assert error.value.code == "not_allowed"
    with pytest.raises(ApplicationError) as error:
        services.paper_entry_add(ballot=paper, actor=town.world.office2, marks={})
    assert error.value.code == "not_found"


def test_phone_ballots_take_no_paper_entries(ballot, town):
    with pytest.raises(ApplicationError) as error:
        services.paper_entry_add(ballot=ballot, actor=town.office, marks={})
    assert error.value.code == "not_paper"
