"""The cockpit's 民生实事项目 panel: this year's rounds of the shown place's subtree with their
adopted projects' progress (milestones done of total, overdue ones), read by one selector in
a fixed number of queries and linked to the project pages."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.core import clock
from lianxin.projects import services
from lianxin.projects.models import Candidate, CandidateStatus, Milestone
from lianxin.projects.selectors import cockpit_projects
from lianxin.projects.workflow import Status

from .conftest import NOW, adopted_project, at_status


@pytest.fixture
def implementing(world, round_):
    at_status(round_, Status.IMPLEMENTING)
    lift = adopted_project(round_, world)
    Milestone.objects.create(project=lift, title="完成设计", due_on=date(2026, 2, 1), done_at=NOW)
    Milestone.objects.create(project=lift, title="开工建设", due_on=date(2026, 2, 20))  # overdue on 2 March
    Milestone.objects.create(project=lift, title="完工验收", due_on=date(2026, 9, 1))
    Candidate.objects.create(round=round_, title="口袋公园", status=CandidateStatus.NOT_ADOPTED)
    return round_


def _second_round(world, year=2026):
    with clock.frozen_at(NOW):
        return services.round_create(place=world.town2, year=year, title="西山镇民生实事项目", actor=world.office2)


def test_a_project_reports_milestones_done_and_overdue(world, implementing, now):
    panel = cockpit_projects(world.district_office, place=world.town1, year=2026)
    assert panel.rounds == [implementing]
    (lift,) = panel.projects
    assert (lift.title, lift.milestones_total, lift.milestones_done, lift.milestones_overdue) == (
        "东湖社区加装电梯",
        3,
        1,
        1,
    )


def test_the_panel_holds_the_subtree_of_the_place_and_this_year_only(world, implementing, now):
    other = _second_round(world)
    with clock.frozen_at(NOW):
        services.round_create(place=world.town1, year=2025, title="东湖街道2025年", actor=world.office1)
    assert cockpit_projects(world.district_office, place=world.district, year=2026).rounds == [implementing, other]
    assert cockpit_projects(world.district_office, place=world.town2, year=2026).rounds == [other]
    assert cockpit_projects(world.office1, place=None, year=2026).rounds == [implementing]  # not another town's
    assert cockpit_projects(world.leader, place=None, year=2026).rounds == [implementing, other]


def test_the_panel_reads_in_a_fixed_number_of_queries(world, implementing, now):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            cockpit_projects(world.leader, place=world.district, year=2026)
        return len(captured)

    queries()  # the user's scope is read once per request (cached on the user)
    few = queries()
    other = _second_round(world)
    at_status(other, Status.IMPLEMENTING)
    for i in range(4):
        project = adopted_project(other, world, title=f"项目{i}")
        Milestone.objects.create(project=project, title="开工", due_on=date(2026, 1, 1))
    assert queries() == few == 2


def test_the_cockpit_shows_the_panel_with_links_to_the_projects(client, world, implementing, now):
    client.force_login(world.leader)
    response = client.get(reverse("cockpit:home"), {"place": world.town1.pk})
    assert response.status_code == 200
    (shown,) = response.context["project_rounds"]
    assert shown["url"] == reverse("projects:round", args=[implementing.pk])
    (project,) = shown["projects"]
    assert (project["done"], project["total"], project["overdue"]) == (1, 3, 1)
    page = response.content.decode()
    lift = Candidate.objects.get(title="东湖社区加装电梯")
    assert reverse("projects:project", args=[lift.pk]) in page and "1 / 3" in page
    assert client.get(reverse("projects:project", args=[lift.pk])).status_code == 200


def test_a_place_without_a_round_says_so(client, world, implementing, now):
    client.force_login(world.office2)
    response = client.get(reverse("cockpit:home"))
    assert response.status_code == 200 and response.context["project_rounds"] == []
    assert "data-projects" in response.content.decode()
