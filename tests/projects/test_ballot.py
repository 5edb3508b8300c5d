"""The round and the ballots app together: open with the candidates, the electors and the
frozen rules; deputies cast through lianxin.ballots; close; candidates marked. Ties and
shortfalls wait for staff's recorded decision."""

import pytest

from lianxin.ballots.services import ballot_cast
from lianxin.core.errors import ApplicationError
from lianxin.projects import services
from lianxin.projects import services_implementation as impl
from lianxin.projects.ballot import round_close_ballot, round_decide, round_open_ballot
from lianxin.projects.models import CandidateStatus
from lianxin.projects.workflow import Status

from .conftest import at_status


@pytest.fixture
def on_ballot(world, round_, town_deputies):
    services.round_configure(round_=round_, actor=world.office1, seats=2)
    at_status(round_, Status.SHORTLISTING)
    names = ["加装电梯", "口袋公园", "农贸市场改造"]
    cands = [services.candidate_create(round_=round_, actor=world.office1, title=n) for n in names]
    services.round_send_to_deliberation(round_=round_, actor=world.office1)
    round_open_ballot(round_=round_, actor=world.office1)
    round_.refresh_from_db()
    return cands


def _cast(round_, deputies, choices):
    from lianxin.ballots.models import Ballot

    ballot = Ballot.objects.get(pk=round_.ballot_id)
    for deputy, chosen in zip(deputies, choices, strict=True):
        ballot_cast(ballot=ballot, deputy_user=deputy.user, marks={c.option_ref: "for" for c in chosen})


def test_open_cast_close_marks_candidates(world, round_, town_deputies, on_ballot):
    a, b, c = on_ballot
    assert round_.status == Status.BALLOTING
    assert round_.ballot_rules["electors"] == [d.pk for d in town_deputies]
    _cast(round_, town_deputies, [(a, b), (a, b), (a, c)])
    round_close_ballot(round_=round_, actor=world.office1)
    round_.refresh_from_db()
    statuses = {x.title: (x.status, x.votes) for x in round_.candidates.all()}
    assert statuses == {
        "加装电梯": (CandidateStatus.ADOPTED, 3),
        "口袋公园": (CandidateStatus.ADOPTED, 2),
        "农贸市场改造": (CandidateStatus.NOT_ADOPTED, 1),
    }
    assert round_.status == Status.COUNTED and not round_.needs_decision
    impl.round_start_implementation(round_=round_, actor=world.office1)


def test_a_tie_waits_for_staffs_decision(world, round_, town_deputies, on_ballot):
    a, b, c = on_ballot
    _cast(round_, town_deputies, [(a, b), (a, c), (b, c)])
    round_close_ballot(round_=round_, actor=world.office1)
    round_.refresh_from_db()
    assert round_.needs_decision and round_.results["ties"]
    assert set(round_.candidates.values_list("status", flat=True)) == {CandidateStatus.UNDECIDED}
    with pytest.raises(ApplicationError) as error:
        impl.round_start_implementation(round_=round_, actor=world.office1)
    assert error.value.code == "decision_missing"
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    round_decide(
        round_=round_, actor=world.office1, note="会上再次投票：加装电梯、口袋公园当选。", adopt=[a, b], reject=[c]
    )
    impl.round_start_implementation(round_=round_, actor=world.office1)
    assert set(round_.candidates.filter(status=CandidateStatus.ADOPTED).values_list("title", flat=True)) == {
        "加装电梯",
        "口袋公园",
    }


def test_a_shortfall_waits_for_staffs_decision(world, round_, town_deputies, on_ballot):
    a, b, _c = on_ballot
    _cast(round_, town_deputies, [(a,), (a,), (b,)])
    round_close_ballot(round_=round_, actor=world.office1)
    round_.refresh_from_db()
    assert round_.results["shortfall"] == 1 and round_.needs_decision
    with pytest.raises(ApplicationError):
        impl.round_start_implementation(round_=round_, actor=world.office1)
    round_decide(round_=round_, actor=world.office1, note="只票决产生一个项目，其余空缺由下次会议补充。")
    impl.round_start_implementation(round_=round_, actor=world.office1)


def test_closing_before_everyone_voted_inside_the_window_is_refused(world, round_, town_deputies, on_ballot):
    a, b, _c = on_ballot
    _cast(round_, town_deputies[:1], [(a, b)])
    with pytest.raises(ApplicationError):
        round_close_ballot(round_=round_, actor=world.office1)
    round_.refresh_from_db()
    assert round_.status == Status.BALLOTING


def test_ballot_refused_with_too_few_candidates_for_n(world, round_, town_deputies):
    services.round_configure(round_=round_, actor=world.office1, seats=5)
    at_status(round_, Status.SHORTLISTING)
    for i in range(5):
        services.candidate_create(round_=round_, actor=world.office1, title=f"项目{i}")
    services.round_send_to_deliberation(round_=round_, actor=world.office1)
    with pytest.raises(ApplicationError) as error:
        round_open_ballot(round_=round_, actor=world.office1)
    assert error.value.code == "too_few_candidates"
    services.candidate_create(round_=round_, actor=world.office1, title="项目5")
    round_open_ballot(round_=round_, actor=world.office1)
    round_.refresh_from_db()
    assert round_.status == Status.BALLOTING and round_.ballot_id


def test_round_page_links_the_ballot_and_shows_the_tie(client, world, round_, town_deputies, on_ballot):
    from django.urls import reverse

    a, b, c = on_ballot
    client.force_login(town_deputies[0].user)
    page = client.get(reverse("projects:round", args=[round_.pk])).content.decode()
    assert reverse("ballots:vote", args=[round_.ballot_id]) in page
    _cast(round_, town_deputies, [(a, b), (a, c), (b, c)])
    client.force_login(world.office1)
    client.post(reverse("projects:act", args=[round_.pk, "close_ballot"]))
    page = client.get(reverse("projects:round", args=[round_.pk])).content.decode()
    assert 'name="decide-note"' in page
    response = client.post(
        reverse("projects:act", args=[round_.pk, "decide"]),
        {"decide-note": "会上重新投票决定。", "decide-adopt": [a.pk, b.pk], "decide-reject": [c.pk]},
    )
    assert response.status_code == 302
    assert client.post(reverse("projects:act", args=[round_.pk, "start_implementation"])).status_code == 302
    round_.refresh_from_db()
    assert round_.status == Status.IMPLEMENTING
