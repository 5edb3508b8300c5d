"""What happens to each demo case, decided up front from a seeded random generator:
its scenario (the state it ends in), when it was submitted, where, through which channel,
by whom and about what. No database writes here; story.py plays the plans."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from faker import Faker

from lianxin.cases.models import Case, CaseKind, Channel
from lianxin.deputies.models import Deputy, DeputyLevel
from lianxin.places.models import Place

from . import phrases
from .district import DISTRICT_NAME, Community, District
from .problems import ANY, RURAL, SUMMER, URBAN, Problem, catalogue
from .problems_people import SUGGESTIONS

# Open scenarios: (share of all cases, minimum, age range in hours). They are the newest cases;
# the shares match the intake rate near "now" (about 8 a day for 2,000 cases a year), so the
# last days do not show a spike.
OPEN = {
    "submitted": (0.0015, 2, (1, 30)),
    "triaged": (0.0015, 2, (3, 30)),
    "assigned": (0.0015, 2, (4, 36)),
    "in_progress": (0.003, 3, (6, 40)),
    "returned": (0.0005, 1, (8, 36)),
    "replied": (0.004, 2, (36, 156)),
    "overdue_assigned": (0.002, 1, (72, 216)),
    "overdue_in_progress": (0.003, 2, (72, 288)),
    # Another resident's report of an open case's problem: merged into it and waiting (并单), or
    # just arrived and found as a likely duplicate for staff to confirm. Their times follow the
    # open case they repeat (see Planner._repeats).
    "merged": (0.001, 1, (0, 0)),
    "likely_duplicate": (0.001, 2, (0, 0)),
}
# The scenarios whose plans repeat another plan's problem, made by the planner after the others.
REPEATS = ("duplicate", "merged", "likely_duplicate")
# Open cases whose problem a merged or likely duplicate repeats.
REPEATED_OPEN = ("in_progress", "overdue_assigned", "overdue_in_progress")
# Closed scenarios: (share, minimum, minimum age in days); "rated" takes the rest.
CLOSED = {
    "reopened": (0.030, 1, 10),
    "unrated": (0.080, 2, 10),
    "on_spot": (0.070, 2, 1),
    "rejected": (0.015, 1, 2),
    "duplicate": (0.030, 1, 4),
    "suggestion": (0.015, 1, 25),
}
RATED_MIN_AGE_DAYS = 2
YEAR_DAYS = 365

CHANNELS = (
    (Channel.DEPUTY_QR, 38),
    (Channel.STATION_QR, 20),
    (Channel.STATION_VISIT, 12),
    (Channel.HOME_VISIT, 10),
    (Channel.PHONE, 8),
    (Channel.WEB, 6),
    (Channel.OPEN311, 4),
)
SELF_SERVICE_CHANNELS = ((Channel.DEPUTY_QR, 38), (Channel.STATION_QR, 20), (Channel.WEB, 6), (Channel.OPEN311, 4))
ON_SPOT_CHANNELS = ((Channel.DEPUTY_QR, 5), (Channel.HOME_VISIT, 3), (Channel.STATION_VISIT, 2))
ASSISTED = {Channel.STATION_VISIT, Channel.PHONE, Channel.HOME_VISIT}
# Hours at which residents write (7:00–22:59), busiest in the evening.
RESIDENT_HOURS = (7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22)
RESIDENT_HOUR_WEIGHTS = (3, 6, 7, 7, 6, 5, 4, 5, 5, 5, 6, 7, 9, 10, 8, 4)
OFFICE_HOURS = (9, 10, 11, 14, 15, 16)
TOWN_WEIGHTS = {"dh": 1.3, "ns": 1.0, "qs": 0.8}
# Problems whose place reads naturally with a building number ("3幢门前的路灯").
BUILDING_SUBJECTS = {
    "路灯不亮",
    "违章搭建",
    "雨污管道堵塞",
    "老旧小区加装电梯",
    "空调外机噪声",
    "物业服务不到位",
    "电梯故障",
    "屋顶漏水维修",
    "高空抛物",
    "电动车违规充电",
    "消防器材过期",
    "群租房安全隐患",
    "邻里纠纷",
    "独居老人无人照看",
    "适老化改造",
    "困难家庭救助",
    "垃圾清运不及时",
    "窨井盖缺失",
}
GROUPS = ("一组", "二组", "三组", "四组", "五组", "六组")


@dataclass
class Plan:
    scenario: str
    t0: datetime
    community: Community
    channel: str
    problem: Problem
    deputy: Deputy | None = None
    place: Place | None = None  # a grid or the community (the town for a deputy suggestion)
    place_label: str = ""  # how a reply names the place
    text: str = ""
    variant: int = 0  # which of the problem's texts the resident's words follow
    loc: str = ""  # where the resident says it is (a building, a road, the community)
    address: str = ""
    kind: str = CaseKind.OPINION
    contact_name: str = ""
    contact_phone: str = ""
    female: bool = False
    publish_consent: bool = False
    adopt: bool = False  # a deputy suggestion the department adopts
    original: "Plan | None" = None  # the case this one repeats (merged into it, or a likely duplicate)
    duplicates: list["Plan"] = field(default_factory=list, repr=False)  # merged into this one
    case: Case | None = field(default=None, repr=False)

    @property
    def station(self):
        if self.channel == Channel.OPEN311:
            return None
        return self.deputy.station if self.deputy else self.community.station


class Planner:
    def __init__(self, district: District, rng: random.Random, fake: Faker, now: datetime) -> None:
        self.district, self.rng, self.fake = district, rng, fake
        self.now = timezone.localtime(now)
        self.problems = catalogue()
        self.roads = {c.place.pk: [fake.street_name() for _ in range(2)] for c in district.communities}

    def plans(self, n: int) -> list[Plan]:
        names = scenario_list(n)
        plans = [self._plan(s) for s in names if s not in REPEATS]
        suggestions = [p for p in plans if p.scenario == "suggestion"]
        for i, plan in enumerate(suggestions):
            plan.adopt = i == 0 or self.rng.random() < 0.5  # at least one adopted suggestion
        plans += self._repeats(plans, names)
        return sorted(plans, key=lambda p: p.t0)

    def _repeats(self, plans: list[Plan], names: list[str]) -> list[Plan]:
        old_enough = CLOSED["duplicate"][2] + 2
        rated = [p for p in plans if p.scenario == "rated"]
        originals = [p for p in rated if self._age_days(p.t0) > old_enough] or rated
        repeats = [self._duplicate_of(self.rng.choice(originals)) for _ in range(names.count("duplicate"))]
        waiting = [p for p in plans if p.scenario in REPEATED_OPEN]
        waiting.sort(key=lambda p: p.t0)  # the oldest open cases, so that a repeat fits after them
        for i in range(names.count("merged")):
            original = waiting[i % len(waiting)]
            t0 = original.t0 + (self.now - original.t0) * self.rng.uniform(0.2, 0.5)
            repeats.append(self._duplicate_of(original, scenario="merged", t0=t0))
        for i in range(names.count("likely_duplicate")):
            original = waiting[-1 - i % len(waiting)]
            t0 = self.now - (self.now - original.t0) * self.rng.uniform(0.05, 0.15)
            repeats.append(self._duplicate_of(original, scenario="likely_duplicate", t0=t0))
        return repeats

    # --- when ---------------------------------------------------------------------------

    def _age_days(self, moment: datetime) -> float:
        return (self.now - moment).total_seconds() / 86400

    def _t0(self, scenario: str) -> datetime:
        if scenario in OPEN:
            low, high = OPEN[scenario][2]
            return self.now - timedelta(hours=self.rng.uniform(low, high))
        minimum = CLOSED[scenario][2] if scenario in CLOSED else RATED_MIN_AGE_DAYS
        while True:
            moment = self._sample_day()
            if self._age_days(moment) >= minimum:
                return moment

    def _sample_day(self) -> datetime:
        """A day in the last year, more often recent (the platform grew), at a resident's hour."""
        while True:
            age = self.rng.uniform(0, YEAR_DAYS)
            if self.rng.random() < (1.5 - age / YEAR_DAYS) / 1.5:
                break
        day = (self.now - timedelta(days=age)).date()
        hour = self.rng.choices(RESIDENT_HOURS, RESIDENT_HOUR_WEIGHTS)[0]
        return timezone.make_aware(
            datetime(day.year, day.month, day.day, hour, self.rng.randint(0, 59), self.rng.randint(0, 59))
        )

    # --- where, how, what ---------------------------------------------------------------

    def _plan(self, scenario: str) -> Plan:
        t0 = self._t0(scenario)
        if scenario == "suggestion":
            return self._suggestion(t0)
        community = self.rng.choices(
            self.district.communities, [TOWN_WEIGHTS[c.town_key] for c in self.district.communities]
        )[0]
        channel = _pick(self.rng, ON_SPOT_CHANNELS if scenario == "on_spot" else CHANNELS)
        if channel in ASSISTED:
            # Visits and calls happen while the station is open; the newest cases keep their
            # age (it decides their stage), so they came in through a QR code.
            if scenario in OPEN:
                channel = _pick(self.rng, SELF_SERVICE_CHANNELS)
            else:
                t0 = self._office_hour(t0)
        problem = self._rejectable() if scenario == "rejected" else self._problem(community, t0)
        return self._describe(Plan(scenario, t0, community, channel, problem))

    def _rejectable(self) -> Problem:
        """Something the platform cannot take (a lawsuit, a private quarrel, no place given)."""
        category, text, reason = self.rng.choice(phrases.NOT_ADMISSIBLE)
        return Problem(category, "", (text,), (reason,), ("",))

    def _office_hour(self, moment: datetime) -> datetime:
        local = timezone.localtime(moment)
        if local.hour in OFFICE_HOURS:
            return moment
        candidate = local.replace(hour=self.rng.choice(OFFICE_HOURS), minute=self.rng.randint(0, 59))
        return candidate if candidate < self.now else moment

    def _deputy(self, community: Community) -> Deputy:
        at_station = [d for d in self.district.deputies if d.station_id == community.station.pk]
        main = self.district.main_deputy
        if main in at_station and self.rng.random() < 0.45:
            return main
        return self.rng.choice(at_station)

    def _problem(self, community: Community, t0: datetime) -> Problem:
        setting = RURAL if community.rural else URBAN
        fitting = [p for p in self.problems if p.setting in (setting, ANY)]
        return self.rng.choices(fitting, [p.weight * _season_factor(p, t0) for p in fitting])[0]

    def _describe(self, plan: Plan, *, like: Plan | None = None) -> Plan:
        """The resident's words, place and contact; `like`: the same problem at the same spot
        as an earlier report, in the resident's own phrasing of it."""
        community = plan.community
        if plan.channel in (Channel.DEPUTY_QR, Channel.HOME_VISIT):
            plan.deputy = self._deputy(community)
        loc = like.loc if like else self._loc(community, plan.problem)
        plan.place = self.rng.choice(community.grids) if self.rng.random() < 0.6 else community.place
        plan.place_label = community.place.name
        variant = like.variant if like else None
        plan.text, plan.variant = phrases.resident_text(self.rng, plan.problem, loc, variant=variant)
        plan.loc = loc
        where = loc if loc.startswith(community.place.name) else community.place.name + loc
        plan.address = f"{DISTRICT_NAME}{community.town.name}{where}"
        self._contact(plan)
        return plan

    def _loc(self, community: Community, problem: Problem) -> str:
        name, rng = community.place.name, self.rng
        if community.rural:
            return name + rng.choice(GROUPS) if rng.random() < 0.5 else name
        if problem.subject in BUILDING_SUBJECTS and rng.random() < 0.7:
            building = f"{name}{rng.randint(1, 36)}幢"
            return building + f"{rng.randint(1, 4)}单元" if rng.random() < 0.3 else building
        return rng.choice(self.roads[community.place.pk]) if rng.random() < 0.4 else name

    def _contact(self, plan: Plan) -> None:
        """About half give a name and phone (most of those recorded by staff or a deputy)."""
        named = self.rng.random() < (0.8 if plan.channel in ASSISTED else 0.4)
        plan.publish_consent = self.rng.random() < 0.6
        if not named:
            return
        plan.female = self.rng.random() < 0.5
        first = self.fake.first_name_female() if plan.female else self.fake.first_name_male()
        plan.contact_name = self.fake.last_name() + first
        plan.contact_phone = self.fake.phone_number()

    def _suggestion(self, t0: datetime) -> Plan:
        """A district deputy's written suggestion about his or her station's town."""
        category, text, reply = self.rng.choice(SUGGESTIONS)
        deputy = self.rng.choice([d for d in self.district.deputies if d.level == DeputyLevel.DISTRICT])
        community = next(c for c in self.district.communities if c.station == deputy.station)
        town = community.town
        problem = Problem(category, "代表建议", (text,), ("",), (reply,), suggestion=True)
        plan = Plan("suggestion", self._office_hour(t0), community, Channel.WEB, problem, deputy=deputy)
        plan.kind, plan.place, plan.place_label = CaseKind.DEPUTY_SUGGESTION, town, town.name
        plan.text = text.format(town=town.name)
        return plan

    def _duplicate_of(self, original: Plan, *, scenario: str = "duplicate", t0: datetime | None = None) -> Plan:
        """Another resident reports the same problem at the same spot a few hours later, in the
        same kind of words (the problem's same text), as staff would see it suggested."""
        t0 = t0 or original.t0 + timedelta(hours=self.rng.uniform(1, 20))
        channel = _pick(self.rng, SELF_SERVICE_CHANNELS)
        plan = Plan(scenario, t0, original.community, channel, original.problem)
        plan.original = original
        self._describe(plan, like=original)
        if scenario != "likely_duplicate":
            original.duplicates.append(plan)
        return plan


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _season_factor(problem: Problem, moment: datetime) -> float:
    if not problem.season:
        return 1.0
    month = timezone.localtime(moment).month
    in_season = month in (6, 7, 8, 9) if problem.season == SUMMER else month in (12, 1, 2)
    return 3.0 if in_season else 0.15


def _quotas(n: int) -> list[str]:
    chosen: list[str] = []
    for name, (share, minimum, _) in (OPEN | CLOSED).items():
        chosen += [name] * max(minimum, round(share * n))
    return chosen


def minimum_cases() -> int:
    """The smallest demo that still shows every scenario."""
    return next(n for n in range(1, 10_000) if len(_quotas(n)) < n)


def scenario_list(n: int) -> list[str]:
    """Scenario names for n cases: quotas with minimums (so a small demo has every state), then
    "rated" for the rest (at least one, as the original of the duplicates)."""
    chosen = _quotas(n)
    if len(chosen) >= n:
        raise ValueError(f"At least {minimum_cases()} cases are needed to show every state.")
    return chosen + ["rated"] * (n - len(chosen))
