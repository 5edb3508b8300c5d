"""Fixtures of the hotspots tests: opinions taken in with their after-commit task run, and a
group driven through the real case services."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation

from lianxin.cases import services
from lianxin.cases.models import Case

LAMP = "东湖社区3幢门口的路灯坏了三个月，晚上出行很不方便，希望尽快修好。"
LAMP_AGAIN = "东湖社区3幢门口路灯坏了快三个月了，晚上出门很不方便，请尽快修好！"
OTHER = "西山村菜市场有摊位缺斤短两，我买了两斤排骨回家一称才一斤六两。"
REPLY = "经核查，东湖社区3幢门口路灯线路老化，已于今日更换并通电，欢迎监督。"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """Pages in English, like the messages checked (the site's default language is Chinese)."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def take_in(world, django_capture_on_commit_callbacks) -> Callable[..., Case]:
    """Submit an opinion and run what its commit queues (the tasks run at once in tests)."""

    def submit(text: str = LAMP, **kwargs) -> Case:
        with django_capture_on_commit_callbacks(execute=True):
            return world.opinion(text=text, **kwargs)

    return submit


def handle_to_reply(world, case: Case, text: str = REPLY) -> Case:
    """The original's usual path: triage, assign, accept, reply."""
    services.case_triage(case=case, actor=world.office1, category=world.category)
    services.case_assign(case=case, actor=world.office1, department=world.dept_a)
    services.case_accept(case=case, actor=world.handler_a)
    return services.case_reply(case=case, actor=world.handler_a, text=text)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)
