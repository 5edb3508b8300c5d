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
