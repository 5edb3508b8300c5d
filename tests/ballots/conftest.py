"""A town office, five deputies with phones, and a ballot for 3 places among 4 candidates."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest

from lianxin.ballots import services
from lianxin.ballots.services import BallotRules
from lianxin.core import clock
from lianxin.deputies.services import deputy_create
from tests.factories import UserFactory, World

OPTIONS = [("p1", "老旧小区加装电梯"), ("p2", "农贸市场改造"), ("p3", "社区食堂"), ("p4", "口袋公园")]


@dataclass
class Town:
    world: World
    deputies: list
    users: list

    @property
    def office(self):
        return self.world.office1

    @property
    def place(self):
        return self.world.town1


def make_town(world: World, count: int = 5) -> Town:
    users, deputies = [], []
    for i in range(count):
        user = UserFactory(username=f"elector-{i}")
        deputies.append(deputy_create(name=f"代表{i}", station=world.station1, user=user))
        users.append(user)
    return Town(world=world, deputies=deputies, users=users)


def rules(**overrides) -> BallotRules:
    values = {
        "seats": 3,
        "min_ratio": Decimal("0.20"),
        "threshold_basis": "all",
        "separate_marks": False,
        "paper": False,
    }
    values.update(overrides)
    return BallotRules(**values)


def open_ballot(town: Town, *, options=OPTIONS, hours: int = 2, **rule_overrides):
    now = clock.now()
    return services.ballot_open(
        title="2027年民生实事项目票决",
        place=town.place,
        electors=town.deputies,
        options=options,
        rules=rules(**rule_overrides),
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=hours),
        actor=town.office,
        ref="round:1",
    )


@pytest.fixture
def town(world) -> Town:
    return make_town(world)


@pytest.fixture
def ballot(town):
    return open_ballot(town)
