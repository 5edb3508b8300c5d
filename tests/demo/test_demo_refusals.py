"""`manage.py demo_load` refusing before it writes, and the planner at full size (these tests
run on an empty database, apart from test_demo_load.py's loaded one)."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.management.base import CommandError

from lianxin.accounts.models import User
from lianxin.core import clock
from lianxin.demo.plan import minimum_cases
from lianxin.places.models import Place

from .test_demo_load import NOW, load


def test_a_demo_whose_user_names_are_taken_is_refused_before_writing(db):
    User.objects.create_user(username="admin", password="mine")
    with pytest.raises(CommandError, match="admin"):
        load()
    assert not Place.objects.filter(code="demo").exists()
    assert authenticate(username="admin", password="mine") is not None


def test_a_demo_too_small_to_show_every_state_is_refused_before_writing(db):
    with pytest.raises(CommandError, match=str(minimum_cases())):
        load(cases=minimum_cases() - 1)
    assert not Place.objects.filter(code="demo").exists()
    assert not User.objects.exists()


def test_every_repeated_report_plans_its_originals_problem_text_and_spot(db):
    """Planned at full size: each merged or likely duplicate repeats the same problem, in the
    same text, at the same building or road as the report it repeats."""
    import random

    from faker import Faker

    from lianxin.demo.district import build_district
    from lianxin.demo.plan import Planner

    rng, fake = random.Random(11), Faker("zh_CN")
    fake.seed_instance(11)
    with clock.frozen_at(NOW - timedelta(days=400)):
        district = build_district(rng, fake)
    repeats = [p for p in Planner(district, rng, fake, NOW).plans(2000) if p.original is not None]
    assert len(repeats) >= 30
    for plan in repeats:
        original = plan.original
        assert (plan.problem, plan.variant, plan.loc) == (original.problem, original.variant, original.loc)
