"""The round's services before the ballot: creation, scope, the 差额 rule, solicitation,
promotion of a case, merging, deliberation."""

from decimal import Decimal

import pytest
from django.http import Http404

from lianxin.core.errors import ApplicationError
from lianxin.notifications.models import Notification
from lianxin.projects import selectors, services
from lianxin.projects.ballot import check_ratio, electors, round_open_ballot
from lianxin.projects.models import ProposalKind, ProposalSource, Remark, RoundEvent
from lianxin.projects.services import required_candidates
from lianxin.projects.workflow import Status

from .conftest import at_status, soliciting_in_window


def test_office_creates_round_and_timeline_records_it(round_, world):
    event = RoundEvent.objects.get(round=round_)
    assert (event.action, event.actor, event.actor_role, event.to_status) == (
        "create",
        world.office1,
        "congress_office",
        "draft",
    )
    assert round_.min_ratio == Decimal("0.20")


def test_another_towns_office_cannot_create_or_touch_the_round(round_, world):
    with pytest.raises(ApplicationError) as error:
        services.round_create(place=world.town1, year=2027, title="别镇的", actor=world.office2)
    assert error.value.code == "forbidden"
    with pytest.raises(ApplicationError) as error:
        services.round_open_solicitation(round_=round_, actor=world.office2)
    assert error.value.code == "not_found"
    with pytest.raises(Http404):
        selectors.round_get_for_user(world.office2, round_.pk)


def test_district_office_sees_and_acts_on_a_towns_round(round_, world):
    assert selectors.round_get_for_user(world.district_office, round_.pk) == round_
    services.round_open_solicitation(round_=round_, actor=world.district_office)


def test_station_staff_and_deputies_of_the_town_see_its_round(round_, world):
    assert selectors.round_get_for_user(world.staff1, round_.pk) == round_
    assert selectors.round_get_for_user(world.deputy_user, round_.pk) == round_
    assert not selectors.round_list_for_user(world.outsider).exists()


def test_one_round_per_place_and_year(round_, world):
    with pytest.raises(ApplicationError) as error:
        services.round_create(place=world.town1, year=2026, title="重复", actor=world.office1)
    assert error.value.code == "duplicate"


@pytest.mark.parametrize(("seats", "needed"), [(5, 6), (7, 9), (1, 2), (10, 12)])
def test_twenty_percent_more_candidates(seats, needed):
    assert required_candidates(seats, Decimal("0.20")) == needed


def test_ratio_below_the_rounds_rule_is_refused(round_, world):
    with pytest.raises(ApplicationError) as error:
        services.round_configure(round_=round_, actor=world.office1, ratio="0.19")
    assert error.value.code == "ratio_below_rule"
    services.round_configure(round_=round_, actor=world.office1, ratio="0.30", seats=5)
    round_.refresh_from_db()
    assert round_.ratio == Decimal("0.30")


def test_ratio_is_checked_against_the_rule_even_if_raised_later(round_, world):
    services.round_configure(round_=round_, actor=world.office1, seats=5)
    with pytest.raises(ApplicationError) as error:
        check_ratio(round_, 5)
    assert error.value.code == "too_few_candidates"
    check_ratio(round_, 6)
    services.round_configure(round_=round_, actor=world.office1, seats=7)
    with pytest.raises(ApplicationError):
        check_ratio(round_, 8)
    check_ratio(round_, 9)


def test_ballot_with_too_few_candidates_is_refused_when_it_opens(round_, world):
    services.round_configure(round_=round_, actor=world.office1, seats=5)
    at_status(round_, Status.SHORTLISTING)
    for i in range(5):
        services.candidate_create(round_=round_, actor=world.office1, title=f"项目{i}")
    services.round_send_to_deliberation(round_=round_, actor=world.office1)
    with pytest.raises(ApplicationError) as error:
        round_open_ballot(round_=round_, actor=world.office1)
    assert error.value.code == "too_few_candidates"
    round_.refresh_from_db()
    assert round_.status == Status.DELIBERATION


def test_opening_solicitation_tells_the_places_deputies(round_, world, town_deputies):
    services.round_open_solicitation(round_=round_, actor=world.office1)
    told = set(Notification.objects.filter(kind="project_solicitation").values_list("recipient_id", flat=True))
    assert told == {d.user_id for d in town_deputies} | {world.deputy_user.pk}


def test_resident_proposes_only_while_soliciting(round_, world):
    with pytest.raises(ApplicationError) as error:
        services.proposal_submit(round_=round_, title="加装电梯", reason="老小区没有电梯，老人上下楼困难。")
    assert error.value.code == "transition_not_allowed"
    services.round_open_solicitation(round_=round_, actor=world.office1)
    proposal, created = services.proposal_submit(
        round_=round_, title="加装电梯", reason="老小区没有电梯，老人上下楼困难。", idempotency_key="k1"
    )
    again, created_again = services.proposal_submit(
        round_=round_, title="加装电梯", reason="老小区没有电梯，老人上下楼困难。", idempotency_key="k1"
    )
    assert created and not created_again and again == proposal
    assert proposal.source == ProposalSource.RESIDENT and proposal.kind == ProposalKind.DAILY


def test_proposal_in_the_pre_meeting_window_is_marked_so(round_, world, now):
    soliciting_in_window(round_, world, now, days_left=1)
    proposal, _ = services.proposal_submit(
        round_=round_, title="修缮凉亭", reason="公园凉亭年久失修存在安全隐患。", actor=world.deputy_user
    )
    assert proposal.kind == ProposalKind.PRE_MEETING and proposal.source == ProposalSource.DEPUTY
    assert proposal.deputy == world.deputy


def test_case_is_promoted_to_a_proposal_keeping_the_link(round_, world):
    case = world.opinion()
    services.round_open_solicitation(round_=round_, actor=world.office1)
    proposal = services.proposal_from_case(round_=round_, case=case, actor=world.office1, title="修路灯")
    assert proposal.case == case and proposal.source == ProposalSource.CASE and proposal.reason == case.text
    assert case.project_proposals.get() == proposal
    with pytest.raises(ApplicationError) as error:
        services.proposal_from_case(round_=round_, case=case, actor=world.office1)
    assert error.value.code == "case_twice"


def test_case_from_another_town_cannot_be_promoted(round_, world):
    case = world.opinion(place=world.community2)
    services.round_open_solicitation(round_=round_, actor=world.office1)
    with pytest.raises(ApplicationError) as error:
        services.proposal_from_case(round_=round_, case=case, actor=world.district_office)
    assert error.value.code == "case_outside"


def test_deputy_cannot_promote_a_case(round_, world):
    services.round_open_solicitation(round_=round_, actor=world.office1)
    with pytest.raises(ApplicationError) as error:
        services.proposal_from_case(round_=round_, case=world.opinion(), actor=world.deputy_user)
    assert error.value.code == "forbidden"


def test_similar_proposals_are_merged_into_one_candidate(round_, world):
    services.round_open_solicitation(round_=round_, actor=world.office1)
    a, _ = services.proposal_submit(round_=round_, title="加装电梯", reason="三号楼老人上下楼困难需要电梯。")
    b, _ = services.proposal_submit(round_=round_, title="老楼电梯", reason="五号楼也希望加装电梯方便老人。")
    services.round_close_solicitation(round_=round_, actor=world.office1)
    candidate = services.candidate_create(round_=round_, actor=world.office1, title="老旧小区加装电梯", proposals=[a])
    services.proposals_merge(candidate=candidate, actor=world.office1, proposals=[b])
    assert set(candidate.proposals.all()) == {a, b}
    services.candidate_update(
        candidate=candidate,
        actor=world.office1,
        title="老旧小区加装电梯",
        cost="120.5",
        department=world.dept_a,
        feasibility="可行",
    )
    candidate.refresh_from_db()
    assert candidate.cost == Decimal("120.50") and candidate.department == world.dept_a
    assert RoundEvent.objects.filter(project=candidate).count() == 3


def test_bad_cost_gets_a_clear_message(round_, world):
    at_status(round_, Status.SHORTLISTING)
    candidate = services.candidate_create(round_=round_, actor=world.office1, title="口袋公园")
    with pytest.raises(ApplicationError) as error:
        services.candidate_update(candidate=candidate, actor=world.office1, title="口袋公园", cost="很多")
    assert error.value.code == "money_invalid"


def test_deliberation_notes_and_deputies_comments(round_, world):
    at_status(round_, Status.SHORTLISTING)
    candidate = services.candidate_create(round_=round_, actor=world.office1, title="口袋公园")
    services.round_send_to_deliberation(round_=round_, actor=world.office1)
    services.remark_add(
        round_=round_, actor=world.office1, kind=Remark.Kind.MEETING_NOTE, text="会议审议了候选项目清单。"
    )
    remark = services.remark_add(
        round_=round_, actor=world.deputy_user, kind=Remark.Kind.COMMENT, text="建议增加健身器材。", candidate=candidate
    )
    assert remark.deputy == world.deputy
    with pytest.raises(ApplicationError) as error:
        services.remark_add(round_=round_, actor=world.deputy_user, kind=Remark.Kind.MEETING_NOTE, text="不是我的事")
    assert error.value.code == "forbidden"


def test_electors_are_the_congress_deputies_of_the_place(round_, world, town_deputies):
    from lianxin.deputies.models import DeputyKind

    town_deputies[2].kind = DeputyKind.VOTER_REPRESENTATIVE
    town_deputies[2].save()
    assert list(electors(round_)) == town_deputies[:2]  # district-level 王代表 votes in the district's round
