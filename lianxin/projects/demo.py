"""The current year's round for a demo district, run through the real services at past
times: proposals (one from an opinion) in January, the shortlist and deliberation in
February, the ballot at the congress (every elector votes through lianxin.ballots), then
implementation with milestones, progress and urging, and the Q4 survey open now."""

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction

from lianxin.core.clock import frozen_at
from lianxin.places.models import Department, Place

from . import ballot, services
from . import services_implementation as impl
from .models import CandidateStatus, Remark, Round

IDEAS = (
    ("老旧小区加装电梯", "东湖社区3号楼等", "老楼没有电梯，老人上下楼困难，很多人常年不下楼。", "约600户"),
    ("口袋公园建设", "望湖社区闲置地块", "附近没有休闲场地，孩子和老人没有活动的地方。", "周边居民约3000人"),
    ("农贸市场提升改造", "青石镇农贸市场", "市场地面湿滑、排水差，夏天气味大。", "全镇居民"),
    ("社区居家养老服务中心", "南山社区", "独居老人多，吃饭、助浴没人帮忙。", "老人约400名"),
    ("背街小巷路灯补装", "文昌社区背街小巷", "晚上小巷一片漆黑，下夜班回家不安全。", "约1200户"),
    ("中小学上下学接送区", "锦绣小学门口", "上下学时段道路拥堵，家长车辆乱停。", "学生约1800名"),
    ("农村生活污水治理", "桃源村、上湾村", "生活污水直排小河，河水发黑发臭。", "两个村约2100人"),
)
# The demo district's department for each idea (lianxin/demo/district.py codes).
IDEA_DEPARTMENTS = ("housing", "urban", "market", "civil", "urban", "transport", "agri")
ADOPT = 5
MILESTONES = (("完成方案设计", 60), ("完成招标", 120), ("开工建设", 150), ("完工验收", 300))


def demo_round(
    *, place: Place, office, departments: list[Department], handlers: dict[int, object], now: datetime, seed: int = 2026
) -> Round | None:
    """Build the round once (None if the place already has this year's round)."""
    if Round.objects.filter(place=place, year=now.year).exists():
        return None
    rng = random.Random(seed)
    start = datetime(now.year, 1, 5, 9, 0, tzinfo=now.tzinfo)
    with transaction.atomic():
        round_ = _solicit(place, office, now, start)
        _shortlist(round_, office, departments, start + timedelta(days=20))
        _ballot(round_, office, start + timedelta(days=45))
        adopted = list(round_.candidates.filter(status=CandidateStatus.ADOPTED))
        _implement(round_, office, adopted, handlers, start + timedelta(days=50), now, rng)
        with frozen_at(now - timedelta(days=5)):
            impl.round_open_evaluation(
                round_=round_, actor=office, opens_at=now - timedelta(days=5), closes_at=now + timedelta(days=25)
            )
        _survey(adopted, now - timedelta(days=4), rng)
    return round_


def _solicit(place, office, now, start) -> Round:
    from lianxin.cases.models import Case

    with frozen_at(start):
        round_ = services.round_create(
            place=place, year=now.year, title=f"{place.name}{now.year}年民生实事项目", actor=office
        )
        services.round_configure(
            round_=round_,
            actor=office,
            seats=ADOPT,
            ratio="0.20",
            window_opens_at=start + timedelta(days=5),
            window_closes_at=start + timedelta(days=15),
        )
        services.round_open_solicitation(round_=round_, actor=office)
    for i, (title, where, why, benefit) in enumerate(IDEAS * 2):
        with frozen_at(start + timedelta(days=1 + i)):
            services.proposal_submit(round_=round_, title=title, location=where, reason=why, benefit=benefit)
    case = Case.objects.filter(place__path__startswith=place.path).order_by("created_at").first()
    if case is not None:
        with frozen_at(start + timedelta(days=16)):
            services.proposal_from_case(round_=round_, case=case, actor=office, title="群众反映问题集中整治")
    with frozen_at(start + timedelta(days=18)):
        services.round_close_solicitation(round_=round_, actor=office)
    return round_


def _shortlist(round_, office, departments, at) -> list:
    made = []
    with frozen_at(at):
        by_title: dict[str, list] = {}
        for p in round_.proposals.all():
            by_title.setdefault(p.title, []).append(p)
        for i, (title, where, why, _benefit) in enumerate(IDEAS):
            c = services.candidate_create(
                round_=round_,
                actor=office,
                title=title,
                description=why,
                location=where,
                proposals=by_title.get(title, []),
            )
            services.candidate_update(
                candidate=c,
                actor=office,
                title=title,
                description=why,
                location=where,
                cost=str(80 + 45 * i),
                department=_department(departments, i),
                feasibility="经部门论证，技术可行，资金可纳入年度预算。",
            )
            made.append(c)
        services.round_send_to_deliberation(round_=round_, actor=office)
    with frozen_at(at + timedelta(days=10)):
        services.remark_add(
            round_=round_,
            actor=office,
            kind=Remark.Kind.MEETING_NOTE,
            text="议政代表会审议了7个候选项目，代表们分组讨论并提出意见。",
        )
    return made


def _department(departments, i: int):
    """The idea's own department when the place has it, else one in turn."""
    by_code = {d.code.rsplit("-", 1)[-1]: d for d in departments}
    return by_code.get(IDEA_DEPARTMENTS[i]) or departments[i % len(departments)]


def _ballot(round_, office, at) -> None:
    from lianxin.ballots.models import Ballot
    from lianxin.ballots.services import ballot_cast

    with frozen_at(at):
        ballot.round_open_ballot(round_=round_, actor=office, opens_at=at, closes_at=at + timedelta(hours=1))
    round_.refresh_from_db()
    box = Ballot.objects.get(pk=round_.ballot_id)
    refs = [f"candidate:{pk}" for pk in round_.ballot_rules["candidates"]]
    from lianxin.deputies.models import Deputy

    for n, deputy in enumerate(Deputy.objects.filter(pk__in=round_.ballot_rules["electors"]).select_related("user")):
        chosen = [*refs[:4], refs[4 + n % 2]] if n % 3 else refs[:ADOPT]
        with frozen_at(at + timedelta(minutes=5 + n)):
            ballot_cast(ballot=box, deputy_user=deputy.user, marks=dict.fromkeys(chosen, "for"))
    with frozen_at(at + timedelta(minutes=50)):
        ballot.round_close_ballot(round_=round_, actor=office)
        round_.refresh_from_db()
        if round_.needs_decision:
            tied = list(round_.candidates.filter(status=CandidateStatus.UNDECIDED).order_by("pk"))
            seats = round_.results.get("tied_seats", 0)
            ballot.round_decide(
                round_=round_,
                actor=office,
                note="票数相同，会议当场再次投票决定。",
                adopt=tied[:seats],
                reject=tied[seats:],
            )
        impl.round_start_implementation(round_=round_, actor=office)


def _implement(round_, office, adopted, handlers, at, now, rng) -> None:
    from lianxin.deputies.models import Deputy

    electors = list(Deputy.objects.filter(pk__in=round_.ballot_rules["electors"]).order_by("pk"))
    for i, project in enumerate(adopted):
        with frozen_at(at):
            impl.project_plan(
                project=project,
                actor=office,
                department=project.department,
                budget=str(project.cost),
                supervisors=[electors[(i + k) % len(electors)] for k in range(3)],
            )
            for title, days in MILESTONES:
                impl.milestone_add(
                    project=project,
                    actor=office,
                    title=title,
                    due_on=date(now.year, 1, 1) + timedelta(days=days + 10 * i),
                )
        handler = handlers.get(project.department_id) or office
        done = 0
        for m in project.milestones.all():
            due = datetime.combine(m.due_on, datetime.min.time(), tzinfo=now.tzinfo)
            # The last project is behind: its start of works is overdue (the sweep tells its supervisors).
            if due > now or (i == len(adopted) - 1 and m.title == "开工建设"):
                break
            with frozen_at(due - timedelta(days=rng.randint(1, 5))):
                impl.milestone_done(milestone=m, actor=handler)
                done += 25
                impl.progress_report(project=project, actor=handler, text=f"{m.title}。", percent_done=min(done, 100))
        with frozen_at(at + timedelta(days=100)):
            supervisor = project.supervisors.first()
            if supervisor and supervisor.user and i == len(adopted) - 1:
                impl.project_urge(project=project, actor=supervisor.user, note="进度落后于计划，请主办部门加快推进。")
            if supervisor and supervisor.user:
                impl.inspection_record(
                    project=project, actor=supervisor.user, findings="现场查看施工进展，安全措施到位。"
                )
    with frozen_at(now):
        impl.milestones_overdue_sweep()


def _survey(adopted, at, rng) -> None:
    for project in adopted:
        for n in range(rng.randint(8, 15)):
            scores = {k: rng.choice((3, 4, 4, 5, 5)) for k in ("need", "quality", "timeliness", "effect")}
            with frozen_at(at + timedelta(hours=n)):
                impl.survey_respond(project=project, scores=scores)


# The town round, left open for proposals: a new user walks it from solicitation to progress.
TOWN_SEATS = 3
TOWN_PROPOSALS = (
    ("湖滨社区老楼加装电梯", "湖滨社区5号楼、6号楼", "六层老楼没有电梯，七八十岁的老人下楼看病很难。", "两栋楼约70户"),
    ("柳岸社区老旧小区加装电梯", "柳岸社区2号楼", "老人腿脚不便，爬楼梯很吃力，希望和其他小区一样装上电梯。", "约36户"),
    ("社区老年食堂", "文昌社区活动中心一楼", "独居老人做饭不方便，希望有个吃得起、离家近的食堂。", "周边老人约300名"),
    ("背街小巷路灯补装", "锦绣社区背街小巷", "小巷晚上没有路灯，下夜班回家的人摔倒过好几次。", "约800户"),
)
TOWN_DEPUTY_PROPOSAL = (
    "新桥社区口袋公园",
    "新桥社区闲置空地",
    "空地长期堆放垃圾，居民多次反映，建议改成有健身器材和座椅的小公园。",
    "周边居民约2000人",
)
# Town deputies of 东湖街道 added for its ballot, so that its congress has five electors with
# logins (the district's stations have two town deputies each).
TOWN_DEPUTIES = (
    ("deputy_30", "周建华", "东湖街道新桥社区居委会主任"),
    ("deputy_31", "吴秀兰", "东湖实验小学退休教师"),
    ("deputy_32", "郑志强", "个体工商户"),
)
TOWN_ELECTORS_WITH_LOGINS = 5


def demo_town_round(*, place: Place, office, now: datetime) -> Round | None:
    """This year's round of a town, left soliciting with a handful of proposals: residents',
    a deputy's, one promoted from an opinion (None if the town already has this year's round)."""
    from lianxin.cases.models import Case

    if Round.objects.filter(place=place, year=now.year).exists():
        return None
    start = now - timedelta(days=20)
    deputy_user = next((d.user for d in ballot.electors_for_place(place) if d.user), None)
    with transaction.atomic():
        with frozen_at(start):
            round_ = services.round_create(
                place=place, year=now.year, title=f"{place.name}{now.year}年民生实事项目", actor=office
            )
            services.round_configure(
                round_=round_,
                actor=office,
                seats=TOWN_SEATS,
                ratio="0.20",
                window_opens_at=start + timedelta(days=10),
                window_closes_at=now + timedelta(days=20),
            )
            services.round_open_solicitation(round_=round_, actor=office)
        for i, (title, where, why, benefit) in enumerate(TOWN_PROPOSALS):
            with frozen_at(start + timedelta(days=2 + 3 * i, hours=i)):
                services.proposal_submit(round_=round_, title=title, location=where, reason=why, benefit=benefit)
        if deputy_user is not None:
            title, where, why, benefit = TOWN_DEPUTY_PROPOSAL
            with frozen_at(start + timedelta(days=14)):
                services.proposal_submit(
                    round_=round_, title=title, location=where, reason=why, benefit=benefit, actor=deputy_user
                )
        case = Case.objects.filter(place__path__startswith=place.path).order_by("-created_at").first()
        if case is not None:
            with frozen_at(start + timedelta(days=16)):
                title = re.split("[，。！？,.!?]", case.text, maxsplit=1)[0][:40]
                services.proposal_from_case(round_=round_, case=case, actor=office, title=title)
    return round_


def _town_deputies(town: Place) -> None:
    """Give the town's congress enough deputies with demo logins to hold its ballot."""
    from django.contrib.auth.hashers import make_password

    from lianxin.accounts.models import User
    from lianxin.demo.district import PASSWORD
    from lianxin.deputies.models import DeputyLevel
    from lianxin.deputies.services import deputy_create
    from lianxin.places.models import Station

    have = sum(1 for d in ballot.electors_for_place(town) if d.user_id)
    station = Station.objects.filter(place__path__startswith=town.path).order_by("code").first()
    if station is None:
        return
    password = make_password(PASSWORD)
    for username, name, title in TOWN_DEPUTIES:
        if have >= TOWN_ELECTORS_WITH_LOGINS:
            return
        if User.objects.filter(username=username).exists():
            continue
        user = User.objects.create(username=username, display_name=name, password=password)
        deputy_create(name=name, station=station, level=DeputyLevel.TOWN, title=title, user=user)
        have += 1


def demo_projects(*, now: datetime) -> list[Round]:
    """The demo district's round (at the survey) and its first town's round (open for
    proposals), through lianxin/demo's names; the rounds made now (none if already loaded)."""
    from lianxin.accounts.models import Membership, Role
    from lianxin.demo.district import ROOT_CODE, TOWNS

    place = Place.objects.filter(code=ROOT_CODE).first()
    if place is None:
        return []
    office = Membership.objects.filter(role=Role.CONGRESS_OFFICE, place=place).select_related("user").first().user
    departments = list(Department.objects.filter(place=place, active=True).order_by("pk"))
    handlers = {
        m.department_id: m.user
        for m in Membership.objects.filter(role=Role.DEPARTMENT_HANDLER, department__in=departments).select_related(
            "user"
        )
    }
    made = [demo_round(place=place, office=office, departments=departments, handlers=handlers, now=now)]
    town = Place.objects.filter(code=f"{ROOT_CODE}-{TOWNS[0][0]}").first()
    town_office = Membership.objects.filter(role=Role.CONGRESS_OFFICE, place=town).select_related("user").first()
    if town is not None and town_office is not None:
        with transaction.atomic():
            _town_deputies(town)
            made.append(demo_town_round(place=town, office=town_office.user, now=now))
    return [r for r in made if r is not None]


@dataclass(frozen=True)
class DemoRound:
    title: str
    status: str
    status_code: str
    page: str
    office: str  # the login that runs it
    public_page: str  # the solicitation page behind the QR code
    qr: str
    electors: list[str]  # user names of the deputies who vote in it


def demo_round_paths(*, year: int) -> list[DemoRound]:
    """What a new user needs to walk the demo's rounds of `year` (for demo_load's summary)."""
    from django.urls import reverse

    from lianxin.accounts.models import Membership, Role
    from lianxin.demo.district import ROOT_CODE

    rounds = Round.objects.filter(year=year, place__code__startswith=ROOT_CODE).select_related("place")
    offices = {
        m.place_id: m.user.username
        for m in Membership.objects.filter(role=Role.CONGRESS_OFFICE, place__in=[r.place for r in rounds])
        .select_related("user")
        .order_by("-pk")
    }
    return [
        DemoRound(
            title=r.title,
            status=str(r.get_status_display()),
            status_code=r.status,
            page=reverse("projects:round", args=[r.pk]),
            office=offices.get(r.place_id, ""),
            public_page=reverse("projects_public:solicit", args=[r.public_token]),
            qr=reverse("projects:qr", args=[r.pk]),
            electors=[d.user.username for d in ballot.electors_for_place(r.place).select_related("user") if d.user],
        )
        for r in sorted(rounds, key=lambda r: r.place.path)
    ]
