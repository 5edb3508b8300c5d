from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lianxin.core.clock import frozen_at
from lianxin.deputies.models import DeputyLevel
from lianxin.deputies.services import deputy_create
from lianxin.projects import services
from lianxin.projects.models import Candidate, CandidateStatus, Round
from lianxin.projects.workflow import Status
from tests.factories import UserFactory

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=TZ)


@pytest.fixture
def now():
    with frozen_at(NOW):
        yield NOW


@pytest.fixture
def town_deputies(world):
    """Town-level deputies of 东湖街道 (electors of its round), one of them a voter representative."""
    made = []
    for i in range(3):
        user = UserFactory(username=f"town-deputy-{i}")
        made.append(deputy_create(name=f"镇代表{i}", station=world.station1, level=DeputyLevel.TOWN, user=user))
    return made


@pytest.fixture
def round_(world, now) -> Round:
    return services.round_create(place=world.town1, year=2026, title="东湖街道2026年民生实事项目", actor=world.office1)


def at_status(round_: Round, status: Status) -> Round:
    """Test shortcut: put the round in a state without walking every step."""
    Round.objects.filter(pk=round_.pk).update(status=status)
    round_.refresh_from_db()
    return round_


def adopted_project(round_: Round, world, title: str = "东湖社区加装电梯") -> Candidate:
    return Candidate.objects.create(round=round_, title=title, status=CandidateStatus.ADOPTED, department=world.dept_a)


def soliciting_in_window(round_: Round, world, now, *, days_left: int) -> Round:
    """Open the solicitation inside a pre-meeting window that opened yesterday."""
    services.round_configure(
        round_=round_,
        actor=world.office1,
        window_opens_at=now - timedelta(days=1),
        window_closes_at=now + timedelta(days=days_left),
    )
    services.round_open_solicitation(round_=round_, actor=world.office1)
    return round_
