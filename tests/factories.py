"""Factories for tests: a small district built through the real services."""

import factory

from lianxin.accounts.models import Membership, Role, User
from lianxin.cases.services import case_submit
from lianxin.deputies.services import deputy_create
from lianxin.places.categories import ensure_default_categories
from lianxin.places.models import Category
from lianxin.places.services import department_create, place_create, station_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pass-1234")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(role: str, **anchor) -> User:
    user = UserFactory(username=f"{role}-{UserFactory._meta.model.objects.count()}")
    Membership.objects.create(user=user, role=role, **anchor)
    return user


class World:
    """District → two towns → a community each (with a grid); a station per community;
    two district departments; a persona for every role."""

    def __init__(self) -> None:
        self.district = place_create(code="d", name="示范区")
        self.town1 = place_create(code="t1", name="东湖街道", parent=self.district)
        self.town2 = place_create(code="t2", name="西山镇", parent=self.district)
        self.community1 = place_create(code="c1", name="东湖社区", parent=self.town1)
        self.community2 = place_create(code="c2", name="西山村", parent=self.town2)
        self.grid1 = place_create(code="g1", name="东湖一网格", parent=self.community1)
        self.station1 = station_create(code="s1", name="东湖联络站", place=self.community1)
        self.station2 = station_create(code="s2", name="西山联络站", place=self.community2)
        self.dept_a = department_create(code="housing", name="区住建局", place=self.district)
        self.dept_b = department_create(code="env", name="区生态环境局", place=self.district)
        # Transactional tests flush the tables, categories from the data migration included.
        ensure_default_categories(Category)
        self.category = Category.objects.get(code="urban_construction")
        self.office1 = member(Role.CONGRESS_OFFICE, place=self.town1)
        self.office2 = member(Role.CONGRESS_OFFICE, place=self.town2)
        self.district_office = member(Role.CONGRESS_OFFICE, place=self.district)
        self.staff1 = member(Role.STATION_STAFF, station=self.station1)
        self.handler_a = member(Role.DEPARTMENT_HANDLER, department=self.dept_a)
        self.handler_b = member(Role.DEPARTMENT_HANDLER, department=self.dept_b)
        self.leader = member(Role.LEADER, place=self.district)
        self.deputy_user = UserFactory(username="deputy-1")
        self.deputy = deputy_create(name="王代表", station=self.station1, grids=[self.grid1], user=self.deputy_user)
        self.admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
        self.outsider = UserFactory(username="outsider")

    def opinion(self, *, place=None, text: str = "小区门口路灯坏了三个月，晚上出行很不方便。", **kwargs):
        place = place or self.community1
        station = self.station1 if place == self.community1 else self.station2
        kwargs.setdefault("channel", "station_qr")
        case, _ = case_submit(place=place, station=station, text=text, **kwargs)
        return case
