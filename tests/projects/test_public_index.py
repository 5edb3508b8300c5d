"""The residents' index of livelihood projects (/p/) and its card on the home page: rounds
taking proposals, projects open for rating, this year's and last year's adopted projects,
found without a QR code."""

from datetime import timedelta

import pytest
from django.urls import reverse

from lianxin.projects import services
from lianxin.projects import services_implementation as impl
from lianxin.projects.models import Candidate, CandidateStatus
from lianxin.projects.workflow import Status

from .conftest import adopted_project, at_status, soliciting_in_window

INDEX = "/p/"


@pytest.fixture
def en(client):
    """English, so that assertions on wording survive the Chinese catalogue being filled in."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def other_round(world, now):
    return services.round_create(place=world.town2, year=2026, title="西山镇2026年民生实事项目", actor=world.office2)


def test_index_is_the_projects_public_index():
    assert reverse("projects_public:index") == INDEX


def test_index_lists_a_soliciting_round_with_its_link_and_not_a_draft_one(client, world, round_, other_round):
    services.round_open_solicitation(round_=round_, actor=world.office1)
    response = client.get(INDEX)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="/p/{round_.public_token}/"' in body and round_.title in body and "东湖街道" in body
    assert other_round.title not in body and other_round.public_token not in body


def test_index_shows_when_the_pre_meeting_window_closes(en, world, round_, now):
    soliciting_in_window(round_, world, now, days_left=8)
    assert "Pre-meeting solicitation until 2026-03-10 10:00" in en.get(INDEX).content.decode()


def test_index_says_so_when_nothing_is_collected_or_adopted(en, world, round_):
    body = en.get(INDEX).content.decode()
    assert "No round is collecting project proposals now." in body
    assert "No project has been adopted yet." in body
    assert round_.title not in body


def test_adopted_projects_appear_and_other_candidates_do_not(en, world, round_, now):
    at_status(round_, Status.IMPLEMENTING)
    project = adopted_project(round_, world)
    done = impl.milestone_add(project=project, actor=world.office1, title="完成设计", due_on=now.date())
    impl.milestone_add(project=project, actor=world.office1, title="完成施工", due_on=now.date() + timedelta(days=60))
    impl.milestone_done(milestone=done, actor=world.office1)
    impl.progress_report(project=project, actor=world.handler_a, text="设计方案已通过。", percent_done=30)
    for status in (CandidateStatus.NOT_ADOPTED, CandidateStatus.WITHDRAWN, CandidateStatus.CANDIDATE):
        Candidate.objects.create(round=round_, title=f"候选-{status}", status=status)
    body = en.get(INDEX).content.decode()
    assert f'href="/p/projects/{project.pk}/"' in body and project.title in body and "区住建局" in body
    assert "1 of 2 done" in body and "30%" in body and "2026-03-02" in body
    assert "候选-" not in body and "No project has been adopted yet." not in body


def test_projects_older_than_last_year_are_left_out(client, world, now):
    old = services.round_create(place=world.town2, year=2024, title="西山镇2024年民生实事项目", actor=world.office2)
    last_year = services.round_create(
        place=world.town1, year=2025, title="东湖街道2025年民生实事项目", actor=world.office1
    )
    for round_ in (old, last_year):
        at_status(round_, Status.CLOSED)
    adopted_project(old, world, title="旧项目")
    adopted_project(last_year, world, title="去年的项目")
    body = client.get(INDEX).content.decode()
    assert "去年的项目" in body and "旧项目" not in body


def test_projects_open_for_rating_are_linked_while_the_survey_window_is_open(en, world, round_, now):
    at_status(round_, Status.IMPLEMENTING)
    project = adopted_project(round_, world)
    impl.round_open_evaluation(
        round_=round_, actor=world.office1, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=10)
    )
    body = en.get(INDEX).content.decode()
    assert "Under evaluation: your rating is welcome" in body
    assert body.count(f'href="/p/projects/{project.pk}/"') == 2  # to rate it, and in the year's list


def test_no_rating_call_once_the_survey_window_has_closed(en, world, round_, now):
    at_status(round_, Status.IMPLEMENTING)
    project = adopted_project(round_, world)
    impl.round_open_evaluation(
        round_=round_, actor=world.office1, opens_at=now - timedelta(days=10), closes_at=now - timedelta(hours=1)
    )
    body = en.get(INDEX).content.decode()
    assert "Under evaluation" not in body and body.count(f'href="/p/projects/{project.pk}/"') == 1


def test_place_filter_shows_only_that_places_rounds(client, world, round_, other_round):
    for r in (round_, other_round):
        services.round_open_solicitation(round_=r, actor=world.office1 if r == round_ else world.office2)
    body = client.get(INDEX, {"place": world.town2.pk}).content.decode()
    assert other_round.public_token in body and round_.public_token not in body
    assert f'href="?place={world.town1.pk}"' in body  # the other place stays one tap away


@pytest.mark.parametrize("value", ["abc", "999999", "-1", "1 OR 1=1", "", "１", "\x00"])
def test_a_bad_place_is_ignored(client, world, round_, value):
    services.round_open_solicitation(round_=round_, actor=world.office1)
    response = client.get(INDEX, {"place": value})
    assert response.status_code == 200 and round_.public_token in response.content.decode()


def test_a_place_without_rounds_is_ignored(client, world, round_):
    services.round_open_solicitation(round_=round_, actor=world.office1)
    response = client.get(INDEX, {"place": world.community2.pk})
    assert response.status_code == 200 and round_.public_token in response.content.decode()


def test_index_needs_no_login_no_javascript_and_takes_no_post(client, world, round_):
    response = client.get(INDEX)
    assert response.status_code == 200 and "<script" not in response.content.decode()
    assert client.head(INDEX).status_code == 200
    assert client.post(INDEX).status_code == 405


def test_index_costs_a_fixed_number_of_queries(client, world, round_, now, django_assert_max_num_queries):
    at_status(round_, Status.IMPLEMENTING)
    for i in range(6):
        project = adopted_project(round_, world, title=f"项目{i}")
        impl.milestone_add(project=project, actor=world.office1, title="节点", due_on=now.date())
        impl.progress_report(project=project, actor=world.handler_a, text="进展顺利。", percent_done=10)
    impl.round_open_evaluation(
        round_=round_, actor=world.office1, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=10)
    )
    # places, soliciting rounds, rounds under survey and their projects, the year's projects
    with django_assert_max_num_queries(5):
        assert client.get(INDEX).status_code == 200


# --- the home page's card -------------------------------------------------------------------


def test_home_links_to_the_index_and_names_the_soliciting_round(en, world, round_):
    services.round_open_solicitation(round_=round_, actor=world.office1)
    body = en.get("/").content.decode()
    assert f'href="{INDEX}"' in body
    assert f'href="/p/{round_.public_token}/"' in body
    assert "东湖街道 is collecting proposals for its 2026 livelihood projects" in body


def test_home_does_not_announce_a_round_that_is_not_soliciting(en, world, round_):
    body = en.get("/").content.decode()
    assert f'href="{INDEX}"' in body
    assert round_.public_token not in body and "is collecting proposals" not in body
