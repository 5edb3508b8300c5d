"""A town's history with known timestamps, built through the real services at frozen times.

T is Monday 10 March 2025, 09:00 in Asia/Shanghai; the cockpit is looked at on NOW, 15 June
2025. Town 1 (东湖街道, community 东湖社区 and its grid) receives, in the default period:

  A  T        station QR   urban construction  reply T+47h (in time), rated 5 → closed
  B  T        deputy QR    urban construction  at the grid; reply T+49h (late), rated 2 →
                                              reopened, replied again, rated 4 → closed
  C  T        website      environment         resolved on the spot at T+1h → closed
  D  T        phone        environment         reply T+2h (in time), rated 1 → reopened,
                                              replied at T+80h, rated 3 → closed, then adopted
  E  1 April 00:30 (still 31 March in UTC)  urban construction, assigned, never answered: overdue
  F  NOW−2h   station QR   not classified      not answered yet, under 48 h: pending

Outside that: G in town 2 (resolved on the spot at T+1h), and H in town 1 received on
1 May 2024, before the period, assigned and never answered (overdue now).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from lianxin.cases import services
from lianxin.cases.models import Case
from lianxin.core import clock
from lianxin.places.models import Category
from tests.factories import World

SHANGHAI = ZoneInfo("Asia/Shanghai")
T = datetime(2025, 3, 10, 9, 0, tzinfo=SHANGHAI)
NOW = datetime(2025, 6, 15, 10, 0, tzinfo=SHANGHAI)
HOUR = timedelta(hours=1)


@dataclass
class History:
    world: World
    urban: Category
    environment: Category
    cases: dict[str, Case]


def submit(world: World, when: datetime, *, place=None, station=None, **kwargs) -> Case:
    place = place or world.community1
    station = station or (world.station2 if place == world.community2 else world.station1)
    kwargs.setdefault("channel", "station_qr")
    with clock.frozen_at(when):
        case, _ = services.case_submit(place=place, station=station, text="小区门口路灯坏了三个月。", **kwargs)
    return case


def step(when: datetime, service: Callable, **kwargs):
    with clock.frozen_at(when):
        return service(**kwargs)


def assigned(world: World, when: datetime, category: Category, **kwargs) -> Case:
    case = submit(world, when, **kwargs)
    step(when + HOUR, services.case_triage, case=case, actor=world.office1, category=category)
    step(when + HOUR, services.case_assign, case=case, actor=world.office1, department=world.dept_a)
    step(when + 2 * HOUR, services.case_accept, case=case, actor=world.handler_a)
    return case


def reply(world: World, case: Case, when: datetime) -> None:
    step(when, services.case_reply, case=case, actor=world.handler_a, text="已安排维修人员更换路灯。")


def rate(case: Case, when: datetime, stars: int) -> None:
    step(when, services.case_rate, case=case, stars=stars)


def build_history(world: World) -> History:
    urban = world.category
    environment = Category.objects.get(code="environment")
    a = assigned(world, T, urban)
    reply(world, a, T + 47 * HOUR)
    rate(a, T + 50 * HOUR, 5)

    b = assigned(world, T, urban, place=world.grid1, channel="deputy_qr")
    reply(world, b, T + 49 * HOUR)
    rate(b, T + 50 * HOUR, 2)
    reply(world, b, T + 60 * HOUR)
    rate(b, T + 61 * HOUR, 4)

    c = submit(world, T, channel="web", category=environment)
    step(T + HOUR, services.case_resolve_on_spot, case=c, actor=world.office1, reason="代表当场协调解决。")

    d = assigned(world, T, environment, channel="phone")
    reply(world, d, T + 2 * HOUR)
    rate(d, T + 3 * HOUR, 1)
    reply(world, d, T + 80 * HOUR)
    rate(d, T + 81 * HOUR, 3)
    step(T + 82 * HOUR, services.case_mark_adopted, case=d, actor=world.office1)

    e = assigned(world, datetime(2025, 4, 1, 0, 30, tzinfo=SHANGHAI), urban)
    f = submit(world, NOW - 2 * HOUR)

    g = submit(world, T, place=world.community2, category=urban)
    step(T + HOUR, services.case_resolve_on_spot, case=g, actor=world.office2, reason="镇人大当场答复。")
    h = assigned(world, datetime(2024, 5, 1, 10, 0, tzinfo=SHANGHAI), urban)
    cases = {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h}
    return History(world=world, urban=urban, environment=environment, cases=cases)


@pytest.fixture
def history(world: World) -> History:
    return build_history(world)


@pytest.fixture
def at_now():
    with clock.frozen_at(NOW):
        yield NOW


@pytest.fixture
def client() -> Client:
    # Pages are Chinese by default; tests read the English msgids so they survive the catalogue.
    return Client(headers={"accept-language": "en"})
