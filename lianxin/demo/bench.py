"""Synthetic cases in bulk for benchmarks (`manage.py seed_bench`).

A new city (district → town → community places, a station and a few deputies per town,
departments per district) is made through the places and deputies services. Its cases and
their timelines are generated in plain Python and written straight to the database in
batches: the same columns and timeline events cases.services would have written, step by
step along workflow.py's table, but without notifications, hotspot signatures, routing
suggestions or search tokens. Times are whole seconds since the epoch until written.
"""

import contextlib
import json
import multiprocessing
import os
import random
import time
from bisect import bisect
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate
from queue import Empty

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction

from lianxin.accounts.models import Membership, Role, User
from lianxin.cases import sla
from lianxin.cases.deadlines import rule_for, work_calendar
from lianxin.cases.models import Case, CaseEvent, CaseFollow, CaseKind, Channel, Resolution, Urgency
from lianxin.cases.workflow import AWAITING_REPLY, REOPEN_BELOW_STARS, Action, Actor, Status, target
from lianxin.core import clock
from lianxin.core.codes import ALPHABET, format_tracking_code
from lianxin.deputies.models import DeputyKind, DeputyLevel
from lianxin.deputies.services import deputy_create
from lianxin.places.categories import ensure_default_categories
from lianxin.places.models import Category, Place, PlaceKind
from lianxin.places.services import department_create, place_create, place_path, station_create

from . import phrases
from .district import CATEGORY_LEADS, DEPARTMENTS, _ensure_sla_rules
from .problems import Problem, catalogue

CODE_PREFIX = "bench-"
MIN, HOUR, DAY = 60, 3600, 86400
LOCAL = 8 * HOUR  # Asia/Shanghai has no daylight saving time
DEPUTIES_PER_STATION = 3

DISTRICT_NAMES = ("东城", "西城", "南湖", "北山", "滨江", "高新", "临港", "青山", "龙泉", "新城", "金沙", "云台")
TOWN_ROOTS = [
    "长宁",
    "和平",
    "建设",
    "胜利",
    "新华",
    "光明",
    "朝阳",
    "红星",
    "永安",
    "太平",
    "兴隆",
    "东风",
    "前进",
    "团结",
    "幸福",
    "民主",
    "安乐",
    "平安",
]
COMMUNITY_ROOTS = [
    "桂花",
    "翠竹",
    "梧桐",
    "海棠",
    "紫荆",
    "丁香",
    "银杏",
    "芙蓉",
    "玉兰",
    "杨柳",
    "石榴",
    "樱桃",
    "香樟",
    "枫林",
    "荷塘",
    "梅园",
]
SPOTS = ("小区东门", "3号楼", "菜市场旁", "幼儿园门口", "公交站台", "主干道", "老街", "8栋楼下", "停车场")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ("建国", "秀英", "丽娟", "志强", "海燕", "伟", "芳", "军", "敏", "磊", "静", "洋", "婷", "斌", "桂兰")
CHANNELS = (
    (Channel.DEPUTY_QR, 30),
    (Channel.STATION_QR, 18),
    (Channel.HOTLINE, 12),
    (Channel.STATION_VISIT, 10),
    (Channel.HOME_VISIT, 8),
    (Channel.PHONE, 6),
    (Channel.WEB, 6),
    (Channel.OPEN311, 5),
    (Channel.GRID, 5),
)
SELF_SERVICE = {Channel.DEPUTY_QR, Channel.STATION_QR, Channel.WEB, Channel.OPEN311}
TICKET_CHANNELS = {Channel.HOTLINE, Channel.GRID}
WEEKDAY_SHARE = (1.0, 1.0, 1.0, 1.0, 0.95, 0.55, 0.45)  # Monday first: fewer on weekends
HOUR_SHARE = (1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 16, 12, 9, 11, 14, 14, 13, 12, 11, 12, 11, 8, 5, 2)
# Steps that do not go through services._move, so they leave updated_at alone.
NOT_MOVES = {Action.FOLLOW, Action.URGE, Action.NOTE, Action.ADOPT, Action.REMIND, Action.ESCALATE}
EMPTY = "{}"
STARS = (55, 80, 90, 96, 100)  # cumulative weights of 5, 4, 3, 2, 1 stars
STARS_NOT_LOW = (60, 88, 100, 100, 100)


@dataclass(frozen=True)
class BenchOptions:
    cases: int
    districts: int = 6
    towns: int = 12
    communities: int = 8
    years: int = 3
    seed: int = 0
    batch: int = 20_000
    parallel: bool = hasattr(os, "fork")  # generate in a child process (see _in_child)


@dataclass
class BenchTown:
    place_id: int
    name: str
    communities: list[tuple[int, str]]
    station_id: int
    office_id: int  # the town's congress office user
    staff_id: int  # the station's staff user
    deputies: list[tuple[int, int]]  # (deputy id, user id)
    departments: dict[str, tuple[int, str]]  # the district's: key → (id, name)
    originals: deque = field(default_factory=lambda: deque(maxlen=40))  # recent cases others may repeat


@dataclass
class BenchCity:
    run: int
    root: Place
    towns: list[BenchTown]
    categories: dict[str, int]  # code → id
    handlers: dict[int, int]  # department id → handler user id
    places: int = 0
    departments: int = 0
    deputies: int = 0
    categories_created: int = 0


@dataclass
class BenchResult:
    city: BenchCity
    cases: int = 0
    events: int = 0
    follows: int = 0
    overdue_now: int = 0
    statuses: Counter = field(default_factory=Counter)
    setup_seconds: float = 0.0
    case_seconds: float = 0.0

    def add(self, chunk: "Chunk", *, seconds: float) -> None:
        self.cases += len(chunk.cases)
        self.events += len(chunk.events)
        self.follows += len(chunk.follows)
        self.statuses += chunk.statuses
        self.overdue_now += chunk.overdue_now
        self.case_seconds = seconds


# --- the city -------------------------------------------------------------------------------


def next_run() -> int:
    """1 + the highest run number among earlier bench cities (`bench-<run>`)."""
    codes = Place.objects.filter(parent__isnull=True, code__startswith=CODE_PREFIX).values_list("code", flat=True)
    runs = [int(code[len(CODE_PREFIX) :]) for code in codes if code[len(CODE_PREFIX) :].isdigit()]
    return max(runs, default=0) + 1


@transaction.atomic
def build_city(options: BenchOptions, run: int, rng: random.Random) -> BenchCity:
    """Places, stations, departments, users and deputies of a new city, through the services."""
    created = _ensure_categories()
    _ensure_sla_rules()
    root = place_create(code=f"{CODE_PREFIX}{run}", name=f"基准市{run}")
    city = BenchCity(run, root, [], _categories(), {}, places=1, categories_created=created)
    password = make_password(None)  # unusable: these logins are actors in the timeline only
    for d in range(options.districts):
        lap, name = divmod(d, len(DISTRICT_NAMES))
        name = f"{DISTRICT_NAMES[name]}{lap + 1 if lap else ''}区"
        district = _district(root, code=f"{root.code}-d{d + 1}", name=name)
        departments = _departments(city, district)
        for t in range(options.towns):
            city.towns.append(_town(city, options, district, t, departments, rng, password))
        city.places += 1
    return city


def _district(root: Place, *, code: str, name: str) -> Place:
    """PlaceKind has no city: the city is a top-level district and its districts are districts
    too, one level down (place_create would make them towns), so towns and communities keep
    their kinds."""
    path = place_path(code=code, parent=root)
    return Place.objects.create(code=code, name=name, kind=PlaceKind.DISTRICT, parent=root, path=path, depth=1)


def _ensure_categories() -> int:
    """Reuse the standard categories, adding any that an administrator removed; how many were added."""
    before = Category.objects.count()
    ensure_default_categories(Category)
    return Category.objects.count() - before


def _categories() -> dict[str, int]:
    return dict(Category.objects.filter(code__in=CATEGORY_LEADS).values_list("code", "pk"))


def _departments(city: BenchCity, district: Place) -> dict[str, tuple[int, str]]:
    departments = {}
    for key, name, town_key in DEPARTMENTS:
        if town_key:
            continue  # the demo's street office belongs to one demo town
        department = department_create(code=f"{district.code}-{key}", name=district.name + name[1:], place=district)
        departments[key] = (department.pk, department.name)
        city.departments += 1
    return departments


def _town(
    city: BenchCity,
    options: BenchOptions,
    district: Place,
    t: int,
    departments: dict[str, tuple[int, str]],
    rng: random.Random,
    password: str,
) -> BenchTown:
    street = t < (options.towns * 2 + 2) // 3
    root_name = TOWN_ROOTS[(len(city.towns) + t) % len(TOWN_ROOTS)]
    town = place_create(
        code=f"{district.code}-t{t + 1}", name=f"{root_name}{'街道' if street else '镇'}", parent=district
    )
    communities = []
    for c in range(options.communities):
        suffix = "社区" if street or c % 2 == 0 else "村"
        name = f"{COMMUNITY_ROOTS[(t + c) % len(COMMUNITY_ROOTS)]}{suffix}"
        communities.append(place_create(code=f"{town.code}-c{c + 1}", name=name, parent=town))
    city.places += 1 + len(communities)
    station = station_create(
        code=f"{town.code}-s", name=f"{town.name}人大代表联络站", place=town, served=communities or [town]
    )
    prefix = f"bench{city.run}-{district.code.rsplit('-', 1)[1]}t{t + 1}"
    office, staff, *deputy_users = User.objects.bulk_create(
        [
            User(username=f"{prefix}-{role}", display_name=_name(rng), password=password)
            for role in ("office", "staff", *(f"deputy{i + 1}" for i in range(DEPUTIES_PER_STATION)))
        ]
    )
    memberships = [
        Membership(user=office, role=Role.CONGRESS_OFFICE, place=town),
        Membership(user=staff, role=Role.STATION_STAFF, station=station),
    ]
    if t == 0:  # one handler per district department, made with the district's first town
        handlers = User.objects.bulk_create(
            [User(username=f"{prefix}-{key}", display_name=_name(rng), password=password) for key in departments]
        )
        for (pk, _department), handler in zip(departments.values(), handlers, strict=True):
            memberships.append(Membership(user=handler, role=Role.DEPARTMENT_HANDLER, department_id=pk))
            city.handlers[pk] = handler.pk
    Membership.objects.bulk_create(memberships)
    deputies = []
    for i, user in enumerate(deputy_users):
        level = DeputyLevel.DISTRICT if i == 0 else DeputyLevel.TOWN
        deputy = deputy_create(name=user.display_name, station=station, kind=DeputyKind.DEPUTY, level=level, user=user)
        deputies.append((deputy.pk, user.pk))
    city.deputies += len(deputies)
    return BenchTown(
        town.pk,
        town.name,
        [(c.pk, c.name) for c in communities],
        station.pk,
        office.pk,
        staff.pk,
        deputies,
        departments,
    )


def _name(rng: random.Random) -> str:
    return _pick(rng, SURNAMES) + _pick(rng, GIVEN)


# --- when cases arrive ----------------------------------------------------------------------


def submission_times(options: BenchOptions, now: int, rng: random.Random) -> Iterator[int]:
    """`options.cases` submission times in order over the last `years` up to `now`: the volume
    triples over the period, with fewer cases at weekends and at night."""
    last_day = (now + LOCAL) // DAY  # local day number (day 0 was Thursday 1 January 1970)
    days = range(last_day - options.years * 365 + 1, last_day + 1)
    span = max(1, len(days) - 1)
    weights = [(1 + 2 * i / span) * WEEKDAY_SHARE[(d + 3) % 7] for i, d in enumerate(days)]
    today_seconds = (now + LOCAL) % DAY
    weights[-1] *= today_seconds / DAY
    total = sum(weights)
    hours = list(accumulate(HOUR_SHARE))
    done = 0
    for day, cumulative in zip(days, accumulate(weights), strict=True):
        count = round(options.cases * cumulative / total) - done
        done += count
        cap = today_seconds if day == last_day else DAY
        seconds = [_second_of_day(rng, hours, cap) for _ in range(count)]
        for second in sorted(seconds):
            yield day * DAY - LOCAL + second


def _second_of_day(rng: random.Random, hours: list[int], cap: int) -> int:
    second = bisect(hours, rng.random() * hours[-1]) * HOUR + rng.randrange(HOUR)
    return second if second < cap else rng.randrange(max(1, cap))


def tracking_code(run: int, index: int) -> str:
    """A unique 8-symbol code per (run, index < 10**8): a fixed bijection of the alphabet's
    number space, so bench codes never repeat and look as scattered as random ones."""
    space = len(ALPHABET) ** 8
    number = ((run * 10**8 + index) * 2654435761 + 12345) % space  # the factor is prime to 28
    symbols = []
    for _ in range(8):
        number, digit = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[digit])
    return "".join(symbols)


# --- one case and its timeline --------------------------------------------------------------


class Timeline:
    """A case's columns and events, changed step by step as the services would change them.
    A step later than `now` is not taken, nor any after it: the case waits where it is."""

    __slots__ = ("case", "events", "follows", "last", "now", "status", "stopped")

    def __init__(self, case: dict, now: int):
        self.case, self.now = case, now
        self.events: list[tuple] = []
        self.follows: list[tuple] = []
        self.status: Status | None = None
        self.last = case["created_at"]
        self.stopped = False

    def step(
        self,
        action: Action,
        at: int,
        role: Actor,
        actor: int | None = None,
        *,
        note: str = "",
        public: bool = True,
        department: int | None = None,
        data: str = EMPTY,
        stamp: tuple[str, ...] = (),
        **fields,
    ) -> int | None:
        """Take the step at `at` (never before the previous one); its time, or None if too late."""
        at = max(at, self.last)
        if self.stopped or at > self.now:
            self.stopped = True
            return None
        old = self.status
        new = Status.SUBMITTED if old is None else target(action, old)
        old_value = old.value if old else ""  # plain strings: cheaper to hand to the writing process
        event = (
            self.case["id"],
            at,
            actor,
            role.value,
            action.value,
            old_value,
            new.value,
            note,
            public,
            department,
            data,
        )
        self.events.append(event)
        fields.update(dict.fromkeys(stamp, at))
        if action not in NOT_MOVES:
            fields.update(status=new, updated_at=at)
        self.case.update(fields)
        self.status, self.last = new, at
        return at

    def rate_low(self, at: int, *, stars: int, comment: str, due: int) -> int | None:
        """1–2 stars (services._reopen): the case moves once, two events record it."""
        at = max(at, self.last)
        if self.stopped or at > self.now:
            self.stopped = True
            return None
        case, old, new = self.case, self.status, Status.IN_PROGRESS
        rate = (case["id"], at, None, "constituent", "rate", old.value, new.value, comment, True, None, _STARS[stars])
        reopen_data = _due_data(due)
        department = case["lead_department_id"]
        reopen = (case["id"], at, None, "system", "reopen", old.value, new.value, "", True, department, reopen_data)
        self.events += [rate, reopen]
        case.update(
            status=new,
            updated_at=at,
            rating=stars,
            rating_comment=comment,
            rated_at=at,
            due_at=due,
            reopen_count=case["reopen_count"] + 1,
            reminded_at=None,
            escalated_at=None,
        )
        self.status, self.last = new, at
        return at


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


_STARS = {n: json.dumps({"stars": n}) for n in range(1, 6)}
_CHANNEL = {c.value: json.dumps({"channel": c.value}) for c in Channel}


def _due_data(due: int) -> str:
    return f'{{"due_at": "{_iso(due)}"}}'  # json.dumps, faster: the value needs no escaping


def _pick(rng: random.Random, items: Sequence):
    """rng.choice, faster (with a slightly different draw)."""
    return items[int(rng.random() * len(items))]


def _span(rng: random.Random, low: int, high: int) -> int:
    """A whole number in [low, high), faster than rng.randint."""
    return low + int(rng.random() * (high - low))


@dataclass(slots=True)
class Original:
    """What a later duplicate needs of an earlier case of its town."""

    case_id: int
    code: str
    created: int
    category: str
    problem: Problem
    variant: int
    replied: int | None
    reply_text: str
    department: int | None
    loc: str


class CaseMaker:
    """Draws one case after another for a city: who wrote, about what, and what happened next."""

    def __init__(self, city: BenchCity, now: int, rng: random.Random):
        self.city, self.now, self.rng = city, now, rng
        self.problems = catalogue()
        self.problem_weights = list(accumulate(p.weight for p in self.problems))
        self.channels = [c.value for c, _w in CHANNELS]
        self.channel_weights = list(accumulate(w for _c, w in CHANNELS))
        self.defaults = {f.attname: f.get_default() for f in Case._meta.concrete_fields}
        self.calendar = work_calendar()
        self.rules = {  # read now: the maker may run in a child process without the database
            (kind, category): rule_for(kind=kind, category=category)
            for kind in CaseKind.values
            for category in (None, *city.categories.values())
        }
        self.triage_data: dict[tuple[str, str], str] = {}
        self.remind_before = settings.SLA_REMIND_BEFORE_HOURS * HOUR
        self.auto_close = settings.AUTO_CLOSE_UNRATED_DAYS * DAY

    # -- intake --

    def make(self, case_id: int, code: str, t0: int) -> Timeline:
        rng, town = self.rng, _pick(self.rng, self.city.towns)
        community_id, community = _pick(rng, town.communities)
        problem = rng.choices(self.problems, cum_weights=self.problem_weights)[0]
        deputy_id, deputy_user = _pick(rng, town.deputies)
        suggestion = rng.random() < 0.03
        channel = Channel.WEB if suggestion else rng.choices(self.channels, cum_weights=self.channel_weights)[0]
        kind = CaseKind.DEPUTY_SUGGESTION if suggestion else CaseKind.OPINION
        kind = CaseKind.TICKET if channel in TICKET_CHANNELS else kind
        loc = community + _pick(rng, SPOTS)
        text, variant = phrases.resident_text(rng, problem, loc)
        named = rng.random() < 0.6
        case = dict(self.defaults)
        case.update(
            id=case_id,
            tracking_code=code,
            created_at=t0,
            updated_at=t0,
            kind=kind,
            channel=channel,
            place_id=town.place_id if suggestion else community_id,
            station_id=None if suggestion or channel in TICKET_CHANNELS else town.station_id,
            deputy_id=deputy_id if suggestion or channel in (Channel.DEPUTY_QR, Channel.HOME_VISIT) else None,
            text=text,
            address="" if suggestion else loc,
            contact_name=_name(rng) if named else "",
            contact_phone=f"100{rng.randrange(10**8):08d}" if named else "",  # no real mobile prefix
            publish_consent=rng.random() < 0.5,
            client_name="随手拍" if channel == Channel.OPEN311 else "",
            due_at=self.due(kind, None, t0),
        )
        tl = Timeline(case, self.now)
        role, submitter = self._submitter(channel, town, deputy_user, suggestion)
        tl.step(Action.SUBMIT, t0, role, submitter, data=_CHANNEL[channel], submitted_by_id=submitter)
        hello = phrases.salutation(case["contact_name"], rng.random() < 0.5)
        story = Story(tl, town, problem, variant, deputy_user, hello)
        self._play(story, suggestion, community, loc)
        return tl

    def _play(self, story: "Story", suggestion: bool, community: str, loc: str) -> None:
        rng, tl, channel = self.rng, story.tl, story.tl.case["channel"]
        r = rng.random()
        originals = story.town.originals
        if suggestion:
            self._handle(story, community, suggestion=True)
        elif r < 0.02:
            self._reject(story, loc)
        elif r < 0.09 and channel in (Channel.DEPUTY_QR, Channel.HOME_VISIT, Channel.STATION_VISIT):
            self._on_spot(story)
        elif r >= 0.95 and originals and originals[-1].created > tl.case["created_at"] - 30 * DAY:
            self._duplicate(story, _pick(rng, [o for o in originals if o.created > tl.last - 30 * DAY]))
        else:
            self._handle(story, community, suggestion=False)
            case = tl.case
            if case["reopen_count"] == 0:
                original = Original(
                    case["id"],
                    case["tracking_code"],
                    case["created_at"],
                    story.problem.category,
                    story.problem,
                    story.variant,
                    case["replied_at"],
                    case["reply_text"],
                    case["lead_department_id"] if case["replied_at"] else None,
                    loc,
                )
                originals.append(original)

    def _submitter(self, channel: str, town: BenchTown, deputy_user: int, suggestion: bool) -> tuple[Actor, int | None]:
        if suggestion or channel == Channel.HOME_VISIT:
            return Actor.DEPUTY, deputy_user
        if channel in SELF_SERVICE:
            return Actor.CONSTITUENT, None
        return Actor.STATION_STAFF, town.staff_id

    # -- the stories --

    def _handle(self, story: "Story", community: str, *, suggestion: bool) -> None:
        """Triage, assignment (now and then returned and reassigned), acceptance, reply, rating."""
        rng, tl, town, problem = self.rng, story.tl, story.town, story.problem
        case, t0 = tl.case, tl.case["created_at"]
        role, actor = self._office(town)
        quick = actor is None
        if case["deputy_id"] and rng.random() < 0.1 and self._follow(story, t0 + _span(rng, MIN, 20 * MIN)) is None:
            return
        delay = _span(rng, MIN, 10 * MIN) if quick else int(rng.triangular(15 * MIN, 10 * HOUR, 2 * HOUR))
        self._triage(tl, t0 + delay, role, actor, problem.category, problem)
        lead_key = problem.department or CATEGORY_LEADS[problem.category]
        lead = town.departments[lead_key]
        at = tl.last + (_span(rng, 10, 5 * MIN) if quick else _span(rng, 5 * MIN, 3 * HOUR))
        if rng.random() < 0.04:
            role, actor = Actor.CONGRESS_OFFICE, town.office_id  # who triages again after the return
            at = self._misassign(story, at, role, actor, lead_key)
        self._assign(tl, at, role, actor, lead)
        handler = self.city.handlers[lead[0]]
        at = self._sweep(tl, tl.last + _span(rng, 10 * MIN, 10 * HOUR))
        tl.step(
            Action.ACCEPT,
            at,
            Actor.DEPARTMENT_HANDLER,
            handler,
            note=_pick(rng, phrases.ACCEPT_NOTES),
            department=lead[0],
        )
        reply_at = max(t0 + self._reply_delay(suggestion), tl.last + _span(rng, 30 * MIN, 4 * HOUR))
        if rng.random() < 0.25:
            at = self._sweep(tl, (tl.last + reply_at) // 2)
            note = phrases.progress_note(rng, suggestion=suggestion)
            tl.step(Action.PROGRESS, at, Actor.DEPARTMENT_HANDLER, handler, note=note, department=lead[0])
        if reply_at - tl.last > DAY and rng.random() < 0.3:
            at = self._sweep(tl, (tl.last + reply_at) // 2)
            self._urge(story, at, lead[0])
        at = self._sweep(tl, reply_at)
        when = datetime.fromtimestamp(at, sla.SHANGHAI)
        unit = phrases.unit_word(lead[1])
        kwargs = {"hello": story.hello, "place": community, "unit": unit, "channel": case["channel"], "when": when}
        text = phrases.reply_text(rng, problem, story.variant, **kwargs)
        if self._reply(tl, at, handler, lead[0], text) is not None:
            self._feedback(story, handler, lead, allow_low=True, adopt=0.3 if suggestion else 0.03)

    def _feedback(
        self, story: "Story", handler: int | None, lead: tuple[int, str] | None, *, allow_low: bool, adopt: float
    ) -> None:
        """Most residents rate within days, mostly 4–5 stars; 1–2 stars reopen the case once;
        a reply nobody rates is closed by the sweep after AUTO_CLOSE_UNRATED_DAYS."""
        rng, tl = self.rng, story.tl
        if rng.random() < 0.7:
            at = tl.last + _span(rng, 10 * MIN, 3 * DAY)
            stars = rng.choices((5, 4, 3, 2, 1), cum_weights=STARS if allow_low else STARS_NOT_LOW)[0]
            comment = phrases.rating_comment(rng, stars)
            if stars < REOPEN_BELOW_STARS:
                self._reopen(story, handler, lead, at, stars=stars, comment=comment, adopt=adopt)
                return
            rated = {"rating": stars, "rating_comment": comment}
            tl.step(Action.RATE, at, Actor.CONSTITUENT, note=comment, data=_STARS[stars], stamp=("rated_at",), **rated)
            tl.step(Action.CLOSE, at, Actor.SYSTEM, resolution=Resolution.ANSWERED, stamp=("closed_at",))
        else:
            at = tl.last + self.auto_close + _span(rng, MIN, 15 * MIN)
            tl.step(Action.CLOSE, at, Actor.SYSTEM, data=UNRATED, resolution=Resolution.UNRATED, stamp=("closed_at",))
        if tl.status == Status.CLOSED and handler and rng.random() < adopt:
            at = tl.last + _span(rng, DAY, 20 * DAY)
            tl.step(
                Action.ADOPT, at, Actor.DEPARTMENT_HANDLER, handler, note=_pick(rng, phrases.ADOPT_NOTES), adopted=True
            )

    def _misassign(self, story: "Story", at: int, role: Actor, actor: int, lead_key: str) -> int:
        """Assigned to the wrong department, which returns it (退回); the office triages it again.
        Returns when the right department can be assigned."""
        rng, tl, town = self.rng, story.tl, story.town
        lead = town.departments[lead_key]
        wrong = _pick(rng, [d for key, d in town.departments.items() if key != lead_key])
        self._assign(tl, at, *self._office(town), wrong)
        at = self._sweep(tl, tl.last + _span(rng, HOUR, 20 * HOUR))
        reason = phrases.RETURN_REASON.format(right=lead[1], unit=phrases.unit_word(wrong[1]))
        kwargs = {"note": reason, "public": False, "department": wrong[0], "lead_department_id": None}
        tl.step(Action.RETURN, at, Actor.DEPARTMENT_HANDLER, self.city.handlers[wrong[0]], **kwargs)
        category = story.problem.category
        self._triage(tl, tl.last + _span(rng, 30 * MIN, 6 * HOUR), role, actor, category, story.problem)
        return tl.last + _span(rng, 5 * MIN, 2 * HOUR)

    def _reopen(
        self, story: "Story", handler: int, lead: tuple[int, str], at: int, *, stars: int, comment: str, adopt: float
    ) -> None:
        """1–2 stars: the case goes back to its department (重办), which replies again."""
        rng, tl = self.rng, story.tl
        due = self.due(tl.case["kind"], tl.case["category_id"], at)
        if tl.rate_low(at, stars=stars, comment=comment, due=due) is None:
            return
        at = self._sweep(tl, tl.last + _span(rng, DAY, 5 * DAY))
        unit = phrases.unit_word(lead[1])
        text = phrases.reopen_reply_text(rng, story.problem, story.variant, hello=story.hello, unit=unit)
        if self._reply(tl, at, handler, lead[0], text) is not None:
            self._feedback(story, handler, lead, allow_low=False, adopt=adopt)

    def _reject(self, story: "Story", loc: str) -> None:
        rng, tl, town = self.rng, story.tl, story.town
        category, text, reason = _pick(rng, phrases.NOT_ADMISSIBLE)
        tl.case["text"] = text.format(loc=loc)
        role, actor = Actor.CONGRESS_OFFICE, town.office_id
        if rng.random() < 0.5:
            self._triage(tl, tl.last + int(rng.triangular(15 * MIN, 10 * HOUR, 2 * HOUR)), role, actor, category, None)
        at = self._sweep(tl, tl.last + _span(rng, HOUR, 30 * HOUR))
        fields = {"closing_reason": reason, "resolution": Resolution.NOT_ADMISSIBLE}
        tl.step(Action.REJECT, at, role, actor, note=reason, stamp=_answering(tl, "closed_at"), **fields)

    def _on_spot(self, story: "Story") -> None:
        rng, tl = self.rng, story.tl
        if tl.case["deputy_id"]:
            role, actor = Actor.DEPUTY, story.deputy_user
        else:
            role, actor = Actor.STATION_STAFF, story.town.staff_id
        reason = _pick(rng, phrases.ON_SPOT)
        fields = {"closing_reason": reason, "resolution": Resolution.ON_SPOT}
        at = tl.last + _span(rng, 10 * MIN, 6 * HOUR)
        tl.step(Action.RESOLVE_ON_SPOT, at, role, actor, note=reason, stamp=_answering(tl, "closed_at"), **fields)

    def _duplicate(self, story: "Story", original: Original) -> None:
        """Another resident reports the same problem: linked to the original, answered with it."""
        rng, tl, town = self.rng, story.tl, story.town
        tl.case["text"], _variant = phrases.resident_text(rng, original.problem, original.loc, variant=original.variant)
        tl.case["address"] = original.loc
        role, actor = Actor.CONGRESS_OFFICE, town.office_id
        self._triage(
            tl, tl.last + int(rng.triangular(15 * MIN, 8 * HOUR, 2 * HOUR)), role, actor, original.category, None
        )
        at = self._sweep(tl, tl.last + _span(rng, MIN, 30 * MIN))
        link = f'{{"original": "{original.code}"}}'
        note = phrases.DUPLICATE_NOTE.format(code=format_tracking_code(original.code))
        fields = {"duplicate_of_id": original.case_id, "due_at": None}
        if tl.step(Action.LINK_DUPLICATE, at, role, actor, note=note, public=False, data=link, **fields) is None:
            return
        if original.replied is None:
            return  # not answered yet: the duplicate waits with its original
        fields = {"reply_text": original.reply_text}
        at = max(tl.last, original.replied)
        stamp = _answering(tl, "replied_at")
        kwargs = {"note": original.reply_text, "department": original.department, "data": link, "stamp": stamp}
        if tl.step(Action.SHARE_REPLY, at, Actor.SYSTEM, **kwargs, **fields) is not None:
            self._feedback(story, None, None, allow_low=False, adopt=0)

    # -- steps shared by the stories --

    def _office(self, town: BenchTown) -> tuple[Actor, int | None]:
        """Who triages and assigns: the routing rules (the system), the station or the town office."""
        r = self.rng.random()
        if r < 0.25:
            return Actor.SYSTEM, None
        if r < 0.4:
            return Actor.STATION_STAFF, town.staff_id
        return Actor.CONGRESS_OFFICE, town.office_id

    def _triage(
        self, tl: Timeline, at: int, role: Actor, actor: int | None, category: str, problem: Problem | None
    ) -> None:
        case = tl.case
        category_id = self.city.categories[category]
        fields = {"category_id": category_id}
        if problem is not None and problem.urgent and self.rng.random() < 0.5:
            fields["urgency"] = Urgency.URGENT
        if case["category_id"] != category_id and case["first_answered_at"] is None:
            fields["due_at"] = self.due(case["kind"], category_id, case["created_at"])
        urgency = fields.get("urgency", case["urgency"])
        data = self.triage_data.get((category, urgency))
        if data is None:
            data = self.triage_data[category, urgency] = json.dumps({"category": category, "urgency": urgency})
        tl.step(Action.TRIAGE, at, role, actor, data=data, **fields)

    def _assign(self, tl: Timeline, at: int, role: Actor, actor: int | None, department: tuple[int, str]) -> None:
        due = tl.case["due_at"]
        data = f'{{"helpers": [], "due_at": "{_iso(due)}"}}' if due else '{"helpers": [], "due_at": null}'
        tl.step(Action.ASSIGN, at, role, actor, department=department[0], data=data, lead_department_id=department[0])

    def _reply(self, tl: Timeline, at: int, handler: int, department: int, text: str) -> int | None:
        stamp = _answering(tl, "replied_at")
        return tl.step(
            Action.REPLY,
            at,
            Actor.DEPARTMENT_HANDLER,
            handler,
            note=text,
            department=department,
            reply_text=text,
            stamp=stamp,
        )

    def _follow(self, story: "Story", at: int) -> int | None:
        at = story.tl.step(Action.FOLLOW, at, Actor.DEPUTY, story.deputy_user, public=False)
        if at is not None:
            story.tl.follows.append((story.tl.case["id"], story.deputy_user, at))
        return at

    def _urge(self, story: "Story", at: int, department: int) -> None:
        tl, note = story.tl, _pick(self.rng, phrases.URGE_NOTES)
        at = tl.step(Action.URGE, at, Actor.DEPUTY, story.deputy_user, note=note, department=department)
        if at is not None and not tl.follows:
            tl.follows.append((tl.case["id"], story.deputy_user, at))

    def _sweep(self, tl: Timeline, until: int) -> int:
        """The SLA sweep (cases.tasks.sla_sweep, every few minutes) until `until`: a reminder
        SLA_REMIND_BEFORE_HOURS before the deadline, an escalation after it. Returns `until`."""
        case, due = tl.case, tl.case["due_at"]
        if tl.stopped or due is None or tl.status not in AWAITING_REPLY:
            return until
        limit = min(until, self.now)
        data = None
        if case["reminded_at"] is None:
            at = max(due - self.remind_before, tl.last) + _span(self.rng, MIN, 15 * MIN)
            if at < due and at < limit:
                data = _due_data(due)
                kwargs = {"department": case["lead_department_id"], "public": False, "stamp": ("reminded_at",)}
                tl.step(Action.REMIND, at, Actor.SYSTEM, data=data, **kwargs)
        if case["escalated_at"] is None:
            at = max(due, tl.last) + _span(self.rng, MIN, 15 * MIN)
            if at < limit:
                data = data or _due_data(due)
                kwargs = {"department": case["lead_department_id"], "public": False, "stamp": ("escalated_at",)}
                tl.step(Action.ESCALATE, at, Actor.SYSTEM, data=data, **kwargs)
        return until

    def _reply_delay(self, suggestion: bool) -> int:
        """Seconds from intake to reply: most within 48 hours, some days late, a few weeks late."""
        rng = self.rng
        if suggestion:
            return _span(rng, 5 * DAY, 25 * DAY)
        r = rng.random()
        if r < 0.01:
            return _span(rng, 6 * DAY, 30 * DAY)
        if r < 0.09:
            return _span(rng, 48 * HOUR, 6 * DAY)
        return int(rng.triangular(2 * HOUR, 47 * HOUR, 16 * HOUR))

    def due(self, kind: str, category_id: int | None, start: int) -> int:
        """The reply deadline the services would set (cases.deadlines), rules read once."""
        hours, working_days = self.rules[kind, category_id]
        if not working_days:
            return start + hours * HOUR
        moment = datetime.fromtimestamp(start, UTC)
        return int(sla.due_at(moment, hours=hours, working_days=True, calendar=self.calendar).timestamp())


@dataclass(slots=True)
class Story:
    tl: Timeline
    town: BenchTown
    problem: Problem
    variant: int
    deputy_user: int
    hello: str


def _answering(tl: Timeline, *names: str) -> tuple[str, ...]:
    """The time fields an answering step sets: first_answered_at only the first time."""
    return (*names, "first_answered_at") if tl.case["first_answered_at"] is None else names


UNRATED = json.dumps({"reason": "unrated"})


# --- writing --------------------------------------------------------------------------------


@dataclass
class Chunk:
    """One batch of rows, made by the generator and inserted in one transaction."""

    cases: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    follows: list[tuple] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    overdue_now: int = 0


CASE_TIMES = ("created_at", "updated_at", "due_at", "first_answered_at", "reminded_at", "escalated_at")
CASE_TIMES += ("replied_at", "closed_at", "rated_at")
CASE_CHOICES = ("kind", "channel", "status", "resolution", "urgency")
EVENT_COLUMNS = ("case_id", "at", "actor_id", "actor_role", "action", "from_status", "to_status", "note")
EVENT_COLUMNS += ("public", "department_id", "data")


class BulkWriter:
    """Inserts rows in one transaction per batch (COPY on PostgreSQL, executemany elsewhere);
    times become what Django would store (naive UTC text on SQLite, aware datetimes elsewhere)."""

    def __init__(self):
        self.sqlite = connection.vendor == "sqlite"
        self.days: dict[int, str] = {}
        self.clock = [f"{s // HOUR:02d}:{s // MIN % 60:02d}:{s % 60:02d}" for s in range(DAY)] if self.sqlite else []
        events = tuple(f.column for f in CaseEvent._meta.concrete_fields if not f.primary_key)
        if events != EVENT_COLUMNS:  # a new column: the generator must learn to fill it
            raise RuntimeError(f"CaseEvent columns changed: {events}")
        self.case_columns = [f.attname for f in Case._meta.concrete_fields]
        self.case_sql = _insert_sql(Case, [f.column for f in Case._meta.concrete_fields])
        self.event_sql = _insert_sql(CaseEvent, EVENT_COLUMNS)
        self.follow_sql = _insert_sql(CaseFollow, ("case_id", "user_id", "created_at"))

    def db_time(self, ts: int | None):
        if ts is None:
            return None
        if self.sqlite:
            day, second = divmod(ts, DAY)
            text = self.days.get(day)
            if text is None:
                text = self.days[day] = time.strftime("%Y-%m-%d ", time.gmtime(day * DAY))
            return text + self.clock[second]
        return datetime.fromtimestamp(ts, UTC)

    def next_case_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(Case._meta.db_table)}")  # noqa: S608
            return (cursor.fetchone()[0] or 0) + 1

    def rows(self, timelines: list[Timeline], now: int) -> "Chunk":
        """The batch as rows to insert, and its counts; no database access (see _in_child)."""
        t, chunk = self.db_time, Chunk()
        for tl in timelines:
            case = tl.case
            chunk.statuses[tl.status] += 1
            chunk.overdue_now += tl.status in AWAITING_REPLY and case["due_at"] is not None and case["due_at"] < now
            for name in CASE_TIMES:
                case[name] = t(case[name])
            for name in CASE_CHOICES:
                case[name] = str(case[name])  # enum members: plain strings are cheaper to hand over
            chunk.cases.append(tuple(case[c] for c in self.case_columns))
            chunk.events += [(e[0], t(e[1]), *e[2:]) for e in tl.events]
            chunk.follows += [(c, u, t(at)) for c, u, at in tl.follows]
        return chunk

    def write(self, chunk: "Chunk") -> None:
        tables = ((self.case_sql, chunk.cases), (self.event_sql, chunk.events), (self.follow_sql, chunk.follows))
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, rows in tables:
                if not rows:
                    continue
                if connection.vendor == "postgresql":
                    _copy(cursor, sql, rows)
                else:
                    cursor.executemany(sql, rows)

    def finish(self) -> None:
        """Explicit ids were inserted: move PostgreSQL's id sequence past them."""
        statements = connection.ops.sequence_reset_sql(no_style(), [Case])
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


def _copy(cursor, insert_sql: str, rows: list[tuple]) -> None:
    """PostgreSQL's COPY, several times faster than executemany, for the columns of the INSERT."""
    target = insert_sql.removeprefix("INSERT INTO ").split(" VALUES ")[0]
    with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert_sql(model, columns) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608


FAST_SQLITE = {"synchronous": "OFF", "cache_size": "-262144"}  # no fsync, a 256 MiB page cache


@contextlib.contextmanager
def fast_sqlite() -> Iterator[None]:
    """On SQLite, skip fsync and widen the page cache for the block, then restore both (not
    inside a transaction, where SQLite refuses to change them: tests, or a caller's atomic)."""
    saved = {}
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for name, value in FAST_SQLITE.items():
                cursor.execute(f"PRAGMA {name}")
                saved[name] = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        if saved:
            with connection.cursor() as cursor:
                for name, value in saved.items():
                    cursor.execute(f"PRAGMA {name} = {int(value)}")


# --- the whole run --------------------------------------------------------------------------


def seed_bench(
    options: BenchOptions, *, now: datetime | None = None, progress: Callable[[BenchResult], None] | None = None
) -> BenchResult:
    """Make a new city and `options.cases` cases with timelines up to `now` (default: the clock)."""
    started = time.monotonic()
    now_ts = int((now or clock.now()).timestamp())
    run = next_run()
    with clock.frozen_at(datetime.fromtimestamp(now_ts - options.years * 365 * DAY - DAY, UTC)):
        city = build_city(options, run, random.Random(options.seed))
    result = BenchResult(city, setup_seconds=time.monotonic() - started)
    started = time.monotonic()
    rng = random.Random(options.seed)
    maker, writer = CaseMaker(city, now_ts, rng), BulkWriter()
    first_id = writer.next_case_id()

    def chunks() -> Iterator[Chunk]:
        batch = []
        for index, t0 in enumerate(submission_times(options, now_ts, rng)):
            batch.append(maker.make(first_id + index, tracking_code(run, index), t0))
            if len(batch) >= options.batch:
                yield writer.rows(batch, now_ts)
                batch = []
        if batch:
            yield writer.rows(batch, now_ts)

    with fast_sqlite():
        for chunk in _in_child(chunks) if options.parallel else chunks():
            writer.write(chunk)
            result.add(chunk, seconds=time.monotonic() - started)
            if progress:
                progress(result)
    writer.finish()
    return result


def _in_child(chunks: Callable[[], Iterator[Chunk]]) -> Iterator[Chunk]:
    """Run the generator in a forked process while this one writes: generating and inserting
    take about as long, and each gets a core. The child never touches the database (the
    maker read its rules and calendar beforehand) and hands over pickled chunks, two at most."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=2)

    def produce() -> None:
        try:
            for chunk in chunks():
                queue.put(chunk)
            queue.put(None)
        except BaseException as error:  # handed to the parent, which raises it
            queue.put(error)

    child = context.Process(target=produce, daemon=True)
    child.start()
    try:
        while (item := _next_from(queue, child)) is not None:
            if isinstance(item, BaseException):
                raise RuntimeError("The case generator failed.") from item
            yield item
    finally:
        child.join(timeout=5)
        if child.is_alive():
            child.terminate()


def _next_from(queue, child):
    while True:
        try:
            return queue.get(timeout=1)
        except Empty:
            if not child.is_alive():
                raise RuntimeError("The case generator stopped unexpectedly.") from None
