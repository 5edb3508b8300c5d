"""The demo district's reference data: places, stations, departments, users and deputies,
made through the places and deputies services."""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from faker import Faker

from lianxin.accounts.models import Membership, Role, User
from lianxin.cases.models import CaseKind, SlaRule
from lianxin.deputies.models import Deputy, DeputyKind, DeputyLevel
from lianxin.deputies.services import deputy_create
from lianxin.places.models import Category, Department, Place, Station
from lianxin.places.services import department_create, place_create, station_create

from .problems import Problem

ROOT_CODE = "demo"
DISTRICT_NAME = "示范区"
PASSWORD = "lianxin-demo"  # noqa: S105 (published: the demo prints it)

# (key, name, communities); a community whose name ends in 村 is a village (rural).
TOWNS = (
    (
        "dh",
        "东湖街道",
        ("东湖社区", "湖滨社区", "望湖社区", "柳岸社区", "文昌社区", "锦绣社区", "新桥社区", "春晖社区"),
    ),
    ("ns", "南山街道", ("南山社区", "松林社区", "翠屏社区", "云溪社区", "茶园社区", "石桥社区", "金竹社区")),
    ("qs", "青石镇", ("青石社区", "青石村", "上湾村", "下湾村", "桃源村", "枫树岭村")),
)
GRID_NAMES = ("一网格", "二网格", "三网格")

# (code suffix, name, town key or "" for the district seat, [(town key, community indexes)], central)
STATIONS = (
    ("s0", "示范区人大代表联络总站", "", (("dh", (0, 1, 2, 3)),), True),
    ("s1", "东湖街道人大代表联络站", "dh", (("dh", (4, 5, 6, 7)),), False),
    ("s2", "南山街道松林人大代表联络站", "ns", (("ns", (0, 1, 2, 3)),), False),
    ("s3", "南山街道云溪人大代表联络站", "ns", (("ns", (4, 5, 6)),), False),
    ("s4", "青石镇人大代表联络站", "qs", (("qs", (0, 1, 2)),), False),
    ("s5", "青石镇桃源人大代表联络站", "qs", (("qs", (3, 4, 5)),), False),
)
MAIN_STATION = "s1"  # the station of the `station_staff` login and of the `deputy` login

# (key, name, town key or "" for a district department)
DEPARTMENTS = (
    ("housing", "区住建局", ""),
    ("env", "区生态环境局", ""),
    ("education", "区教育局", ""),
    ("health", "区卫健委", ""),
    ("civil", "区民政局", ""),
    ("transport", "区交通运输局", ""),
    ("market", "区市场监管局", ""),
    ("urban", "区城管局", ""),
    ("agri", "区农业农村局", ""),
    ("justice", "区司法局", ""),
    ("emergency", "区应急管理局", ""),
    ("donghu", "东湖街道办事处", "dh"),
)
# Category.code → demo department key: the default lead department (主办) of each category.
CATEGORY_LEADS = {
    "urban_construction": "housing",
    "environment": "env",
    "education_culture_health": "education",
    "rule_of_law": "justice",
    "economy": "market",
    "agriculture_rural": "agri",
    "property_management": "housing",
    "elderly_care": "civil",
    "transport": "transport",
    "social_security": "civil",
    "fire_safety": "emergency",
    "other": "urban",
}
# In the seat street, the street office handles property and miscellaneous matters itself (内循环).
STREET_OFFICE_TOWN, STREET_OFFICE_CATEGORIES = "dh", ("property_management", "other")

DEPUTY_TITLES = (
    "{community}党委书记",
    "{community}居委会主任",
    "区人民医院主治医师",
    "东湖实验小学教师",
    "示范区建设集团工程师",
    "个体工商户",
    "律师事务所律师",
    "退休教师",
    "农业专业合作社理事长",
    "电子科技有限公司总经理",
    "{community}网格员",
    "物流公司驾驶员",
)


@dataclass
class Community:
    place: Place
    town: Place
    town_key: str
    grids: list[Place]
    rural: bool
    station: Station | None = None


@dataclass
class District:
    root: Place
    towns: dict[str, Place]
    communities: list[Community]
    stations: dict[str, Station]
    departments: dict[str, Department]
    categories: dict[str, Category]
    users: dict[str, User] = field(default_factory=dict)  # user name → user
    deputies: list[Deputy] = field(default_factory=list)
    station_staff: dict[int, User] = field(default_factory=dict)  # station id → staff user
    town_offices: dict[int, User] = field(default_factory=dict)  # town place id → office user
    handlers: dict[int, User] = field(default_factory=dict)  # department id → handler user

    def lead_for(self, problem: Problem, town_key: str) -> Department:
        """The problem's own department, else the street office for its matters, else the
        category's default lead."""
        if problem.department:
            return self.departments[problem.department]
        if town_key == STREET_OFFICE_TOWN and problem.category in STREET_OFFICE_CATEGORIES:
            return self.departments["donghu"]
        return self.departments[CATEGORY_LEADS[problem.category]]

    @property
    def main_deputy(self) -> Deputy:
        return next(d for d in self.deputies if d.user and d.user.username == "deputy")


def demo_exists() -> bool:
    return Place.objects.filter(code=ROOT_CODE).exists()


def build_district(rng: random.Random, fake: Faker) -> District:
    root = place_create(code=ROOT_CODE, name=DISTRICT_NAME)
    towns, communities = _build_places(rng, root)
    district = District(
        root=root,
        towns=towns,
        communities=communities,
        stations=_build_stations(fake, root, towns, communities),
        departments=_build_departments(root, towns),
        categories={c.code: c for c in Category.objects.filter(code__in=CATEGORY_LEADS)},
    )
    _set_category_leads(district)
    _ensure_sla_rules()
    _build_users(district, fake)
    _build_deputies(district, rng, fake)
    return district


def _build_places(rng: random.Random, root: Place) -> tuple[dict[str, Place], list[Community]]:
    towns: dict[str, Place] = {}
    communities: list[Community] = []
    for key, name, community_names in TOWNS:
        town = towns[key] = place_create(code=f"{ROOT_CODE}-{key}", name=name, parent=root)
        for i, community_name in enumerate(community_names, start=1):
            place = place_create(code=f"{town.code}-{i:02d}", name=community_name, parent=town)
            grids = [
                place_create(code=f"{place.code}-g{g + 1}", name=f"{community_name}{GRID_NAMES[g]}", parent=place)
                for g in range(rng.randint(1, 3))
            ]
            communities.append(Community(place, town, key, grids, rural=community_name.endswith("村")))
    return towns, communities


def _build_stations(fake: Faker, root: Place, towns: dict[str, Place], communities: list[Community]):
    stations: dict[str, Station] = {}
    for suffix, name, town_key, served_spec, central in STATIONS:
        served = [_in_town(communities, key)[i] for key, indexes in served_spec for i in indexes]
        place = root if central else served[0].place
        station = station_create(
            code=f"{ROOT_CODE}-{suffix}",
            name=name,
            place=place,
            served=[c.place for c in served],
            address=_address(fake, towns[town_key].name if town_key else ""),
            is_central=central,
        )
        for community in served:
            community.station = station
        stations[suffix] = station
    return stations


def _address(fake: Faker, town: str) -> str:
    return f"{DISTRICT_NAME}{town}{fake.street_name()}{fake.random_int(1, 300)}号"


def _in_town(communities: list[Community], town_key: str) -> list[Community]:
    return [c for c in communities if c.town_key == town_key]


def _build_departments(root: Place, towns: dict[str, Place]) -> dict[str, Department]:
    return {
        key: department_create(code=f"{ROOT_CODE}-{key}", name=name, place=towns[town] if town else root)
        for key, name, town in DEPARTMENTS
    }


def _set_category_leads(district: District) -> None:
    """Give each category its demo lead department, unless an administrator already chose one."""
    for code, key in CATEGORY_LEADS.items():
        Category.objects.filter(code=code, default_department__isnull=True).update(
            default_department=district.departments[key]
        )


def _ensure_sla_rules() -> None:
    """48 hours for opinions (the seeds' promise); 15 working days for deputy suggestions."""
    SlaRule.objects.get_or_create(kind=CaseKind.OPINION, category=None, defaults={"hours": 48})
    SlaRule.objects.get_or_create(
        kind=CaseKind.DEPUTY_SUGGESTION, category=None, defaults={"hours": 15 * 24, "working_days": True}
    )


# --- users --------------------------------------------------------------------------------


def town_office_name(number: int) -> str:
    return "town_office" if number == 1 else f"town_office{number}"


def station_staff_name(suffix: str) -> str:
    return "station_staff" if suffix == MAIN_STATION else f"station_staff_{suffix}"


def other_deputy_name(number: int) -> str:
    return f"deputy_{number:02d}"


def demo_usernames() -> list[str]:
    """Every login the demo creates, in the order it creates them."""
    return [
        "admin",
        "district_office",
        "leader",
        *(town_office_name(i) for i in range(1, len(TOWNS) + 1)),
        *(station_staff_name(suffix) for suffix, *_rest in STATIONS),
        *(f"handler_{key}" for key, *_rest in DEPARTMENTS),
        "deputy",
        *(other_deputy_name(n) for n in range(1, 5 * len(STATIONS))),
        # Three more town deputies of the first town, made with its livelihood-projects round
        # (lianxin/projects/demo.py TOWN_DEPUTIES) so that its congress has five electors.
        *(other_deputy_name(n) for n in range(5 * len(STATIONS), 5 * len(STATIONS) + 3)),
    ]


def _build_users(district: District, fake: Faker) -> None:
    password = make_password(PASSWORD)  # hash once: every demo login shares it

    def user(username: str, role: str | None = None, **anchor) -> User:
        account = User.objects.create(username=username, display_name=fake.name(), password=password)
        if role:
            Membership.objects.create(user=account, role=role, **anchor)
        district.users[username] = account
        return account

    admin = user("admin")
    admin.is_superuser = admin.is_staff = True
    admin.save(update_fields=["is_superuser", "is_staff"])
    user("district_office", Role.CONGRESS_OFFICE, place=district.root)
    user("leader", Role.LEADER, place=district.root)
    for i, town in enumerate(district.towns.values(), start=1):
        district.town_offices[town.pk] = user(town_office_name(i), Role.CONGRESS_OFFICE, place=town)
    for suffix, station in district.stations.items():
        district.station_staff[station.pk] = user(station_staff_name(suffix), Role.STATION_STAFF, station=station)
    for key, department in district.departments.items():
        district.handlers[department.pk] = user(f"handler_{key}", Role.DEPARTMENT_HANDLER, department=department)


def _build_deputies(district: District, rng: random.Random, fake: Faker) -> None:
    """Five per station: district-level at the central station; elsewhere two district, two town
    deputies and one voter representative. Each has a login and one or two grids."""
    password = district.users["admin"].password
    number = 0
    for suffix, station in district.stations.items():
        served = [c for c in district.communities if c.station == station]
        for slot in range(5):
            main = suffix == MAIN_STATION and slot == 0
            number += 0 if main else 1
            username = "deputy" if main else other_deputy_name(number)
            kind, level = _deputy_kind(station.is_central, slot)
            community = rng.choice(served)
            grids = rng.sample([g for c in served for g in c.grids], k=min(2, rng.randint(1, 2)))
            account = User.objects.create(username=username, display_name=fake.name(), password=password)
            district.users[username] = account
            district.deputies.append(
                deputy_create(
                    name=account.display_name,
                    station=station,
                    kind=kind,
                    level=level,
                    grids=grids,
                    title=rng.choice(DEPUTY_TITLES).format(community=community.place.name),
                    user=account,
                )
            )


def _deputy_kind(central: bool, slot: int) -> tuple[str, str]:
    if central or slot < 2:
        return DeputyKind.DEPUTY, DeputyLevel.DISTRICT
    if slot < 4:
        return DeputyKind.DEPUTY, DeputyLevel.TOWN
    return DeputyKind.VOTER_REPRESENTATIVE, DeputyLevel.TOWN
