"""转为民生实事建议 on the case page: offered to the office and station staff while a round of
the case's place takes proposals; it calls the projects app's promote service."""

import pytest
from django.urls import reverse

from lianxin.projects import services
from lianxin.projects import services_implementation as impl
from lianxin.projects.models import Proposal, ProposalSource
from lianxin.projects.workflow import Status

from .conftest import adopted_project, at_status

FORM = 'id="promote-to-project"'


@pytest.fixture
def soliciting(world, round_):
    services.round_open_solicitation(round_=round_, actor=world.office1)
    return round_


def _page(client, user, case) -> str:
    client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_office_promotes_an_opinion_from_the_case_page(client, world, soliciting):
    case = world.opinion()
    assert FORM in _page(client, world.office1, case)
    url = reverse("cases:promote_to_project", args=[case.pk])
    response = client.post(url, {"promote-round": soliciting.pk, "promote-title": "路灯补装"})
    assert response.status_code == 302
    proposal = Proposal.objects.get(case=case)
    assert (proposal.round, proposal.source, proposal.title) == (soliciting, ProposalSource.CASE, "路灯补装")
    assert FORM not in _page(client, world.office1, case)  # once per round


def test_station_staff_may_promote_while_shortlisting(client, world, soliciting):
    at_status(soliciting, Status.SHORTLISTING)
    case = world.opinion()
    assert FORM in _page(client, world.staff1, case)
    response = client.post(reverse("cases:promote_to_project", args=[case.pk]), {"promote-round": soliciting.pk})
    assert response.status_code == 302 and Proposal.objects.get(case=case).title == case.text[:40]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.DELIBERATION, Status.IMPLEMENTING])
def test_not_offered_when_the_round_takes_no_proposals(client, world, round_, status):
    at_status(round_, status)
    case = world.opinion()
    assert FORM not in _page(client, world.office1, case)
    response = client.post(reverse("cases:promote_to_project", args=[case.pk]), {"promote-round": round_.pk})
    assert response.status_code == 403 and not Proposal.objects.exists()


def test_not_offered_to_deputies_nor_for_another_towns_case(client, world, soliciting):
    case = world.opinion()
    assert FORM not in _page(client, world.deputy_user, case)
    assert (
        client.post(reverse("cases:promote_to_project", args=[case.pk]), {"promote-round": soliciting.pk}).status_code
        == 403
    )
    elsewhere = world.opinion(place=world.community2)
    assert FORM not in _page(client, world.district_office, elsewhere)
    response = client.post(reverse("cases:promote_to_project", args=[elsewhere.pk]), {"promote-round": soliciting.pk})
    assert response.status_code == 403 and not Proposal.objects.exists()


@pytest.mark.parametrize("title", ["路", "路" * 101])
def test_a_refused_title_comes_back_with_its_message_and_what_was_typed(client, world, soliciting, title):
    case = world.opinion()
    client.force_login(world.office1)
    response = client.post(
        reverse("cases:promote_to_project", args=[case.pk]), {"promote-round": soliciting.pk, "promote-title": title}
    )
    page = response.content.decode()
    assert response.status_code == 400 and not Proposal.objects.exists()
    assert FORM in page and f'value="{title}"' in page and ('role="alert"' in page or "field-error" in page)


def test_the_case_page_links_the_round_it_was_proposed_in(client, world, soliciting):
    case = world.opinion()
    services.proposal_from_case(round_=soliciting, case=case, actor=world.office1, title="路灯补装")
    page = _page(client, world.office1, case)
    assert 'id="livelihood-projects"' in page
    assert f'href="{reverse("projects:round", args=[soliciting.pk])}"' in page


def test_the_follow_up_case_of_a_look_back_links_its_project(client, world, round_):
    project = adopted_project(round_, world)
    at_status(round_, Status.LOOK_BACK)
    inspection = impl.inspection_record(project=project, actor=world.office1, findings="健身器材有破损。")
    case = impl.follow_up_case(inspection=inspection, actor=world.office1, text="请街道更换破损器材。")
    page = _page(client, world.office1, case)
    assert f'<a href="{reverse("projects:project", args=[project.pk])}">{project.title}</a>' in page
    # Another town's office may see neither the case nor the project.
    client.force_login(world.office2)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_case_without_projects_shows_no_such_section(client, world):
    assert 'id="livelihood-projects"' not in _page(client, world.office1, world.opinion())


def test_the_residents_tracking_page_leads_to_the_proposal_made_of_the_opinion(client, world, soliciting):
    case = world.opinion()
    assert 'id="became-proposal"' not in client.get(f"/t/{case.tracking_code}").content.decode()
    proposal = services.proposal_from_case(round_=soliciting, case=case, actor=world.office1, title="路灯补装")
    client.logout()
    page = client.get(f"/t/{case.tracking_code}").content.decode()
    link = reverse("projects_public:proposal", args=[proposal.tracking_code])
    assert 'id="became-proposal"' in page and f'href="{link}">{proposal.display_code}</a>' in page
