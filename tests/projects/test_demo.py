"""The demo round runs through the real services, the ballot included, and is idempotent."""

from datetime import datetime
from zoneinfo import ZoneInfo

from lianxin.projects.demo import demo_round
from lianxin.projects.models import CandidateStatus, Proposal, SurveyResponse
from lianxin.projects.workflow import Status

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_demo_round_reaches_the_survey(world):
    world.opinion()
    args = {
        "place": world.district,
        "office": world.district_office,
        "departments": [world.dept_a, world.dept_b],
        "handlers": {world.dept_a.pk: world.handler_a, world.dept_b.pk: world.handler_b},
        "now": NOW,
    }
    round_ = demo_round(**args)
    assert round_.status == Status.EVALUATING
    assert round_.candidates.filter(status=CandidateStatus.ADOPTED).count() == 5
    assert Proposal.objects.filter(case__isnull=False).exists()
    assert SurveyResponse.objects.exists()
    assert demo_round(**args) is None


def test_every_page_of_the_demo_round_renders(world, client):
    from django.urls import reverse

    world.opinion()
    round_ = demo_round(
        place=world.district,
        office=world.district_office,
        departments=[world.dept_a, world.dept_b],
        handlers={world.dept_a.pk: world.handler_a},
        now=NOW,
    )
    project = round_.candidates.filter(status=CandidateStatus.ADOPTED).first()
    loser = round_.candidates.exclude(status=CandidateStatus.ADOPTED).first()
    for user in (world.district_office, world.deputy_user, world.handler_a, world.leader):
        client.force_login(user)
        assert client.get(reverse("projects:list")).status_code == 200
        assert client.get(reverse("projects:round", args=[round_.pk])).status_code == 200
        assert client.get(reverse("projects:project", args=[project.pk])).status_code == 200
    client.logout()
    assert client.get(reverse("projects_public:solicit", args=[round_.public_token])).status_code == 200
    page = client.get(reverse("projects_public:project", args=[project.pk]))
    assert page.status_code == 200 and "score_need" in page.content.decode()
    assert client.get(reverse("projects_public:project", args=[loser.pk])).status_code == 404
