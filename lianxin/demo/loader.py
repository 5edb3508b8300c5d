"""Load the demo district once, and describe its logins (again on every run)."""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from faker import Faker

from lianxin.accounts.models import User
from lianxin.cases.models import Case, Resolution
from lianxin.cases.workflow import Status
from lianxin.core import clock
from lianxin.core.codes import format_tracking_code
from lianxin.core.errors import ApplicationError
from lianxin.deputies.models import Deputy
from lianxin.hotspots.services import signatures_backfill
from lianxin.notifications.models import DeliveryStatus, Notification
from lianxin.places.models import Department, Place, Station
from lianxin.projects.demo import demo_projects
from lianxin.routing.demo import demo_routing

from .district import (
    DEPARTMENTS,
    MAIN_STATION,
    PASSWORD,
    ROOT_CODE,
    STATIONS,
    TOWNS,
    build_district,
    demo_exists,
    demo_usernames,
    station_staff_name,
    town_office_name,
)
from .plan import Planner, minimum_cases
from .scenarios import MERGED_BY_ORIGINAL, SCENARIOS
from .story import Story, run

SEED = 2026
# The reference data predates the oldest case, so every timeline starts after its places exist.
SETUP_AGE = timedelta(days=400)


def demo_load(*, cases: int = 2000, now: datetime | None = None) -> bool:
    """Build the district and `cases` cases of history up to `now`; False if already loaded."""
    if demo_exists():
        return False
    taken = list(User.objects.filter(username__in=demo_usernames()).values_list("username", flat=True))
    if taken:
        raise ApplicationError(
            _("The demo needs these user names, which are already taken: %(names)s") % {"names": ", ".join(taken)},
            code="demo_names_taken",
        )
    if cases < minimum_cases():
        raise ApplicationError(
            _("The demo needs at least %(n)d cases to show every state.") % {"n": minimum_cases()},
            code="demo_too_small",
        )
    now = now or clock.now()
    rng, fake = random.Random(SEED), Faker("zh_CN")
    fake.seed_instance(SEED)
    with transaction.atomic():
        first_notification = _next_notification_id()
        with clock.frozen_at(now - SETUP_AGE):
            district = build_district(rng, fake)
        for plan in Planner(district, rng, fake, now).plans(cases):
            if plan.scenario not in MERGED_BY_ORIGINAL:
                run(Story(district, rng, now, plan), SCENARIOS[plan.scenario])
        demo_projects(now=now)  # this year's livelihood-projects rounds, through the real services
        _settle_outbox(first_notification, now)
    demo_routing(now=now)  # after the commit: the routing table, a trained classifier, suggestions
    with clock.frozen_at(now):  # likely duplicates, as the task after intake finds them (idempotent)
        signatures_backfill(limit=Case.objects.count())
    return True


def _next_notification_id() -> int:
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _settle_outbox(first_id: int, now: datetime) -> None:
    """The history's messages went out long ago: mark them delivered, and read where the case
    is closed, so inboxes show what still needs attention rather than a year of backlog.
    (Demo users have no e-mail address, so that channel would be skipped anyway.)"""
    history = Notification.objects.filter(pk__gte=first_id, status=DeliveryStatus.PENDING)
    history.filter(channel="in_app").update(status=DeliveryStatus.SENT, sent_at=now)
    history.exclude(channel="in_app").update(status=DeliveryStatus.SKIPPED, sent_at=now)
    # Closed cases' ids first: an UPDATE … IN (SELECT … JOIN) on tables PostgreSQL has not yet
    # analysed inside one transaction was planned as nested loops and took minutes.
    closed = list(Case.objects.filter(status=Status.CLOSED).values_list("pk", flat=True))
    for start in range(0, len(closed), 5000):
        Notification.objects.filter(pk__gte=first_id, case_id__in=closed[start : start + 5000]).update(read_at=now)


# --- what to print ------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    sees: str


def demo_logins() -> list[Login]:
    """One row per demo login but the 29 other deputies (see `other_deputies`)."""
    root = Place.objects.get(code=ROOT_CODE)
    deputy = main_deputy()
    return [
        Login(_("System administrator"), "admin", _("Everything, and the admin site")),
        Login(
            _("Congress office (district)"),
            "district_office",
            _("Every case of %(district)s: triage, assign, supervise") % {"district": root.name},
        ),
        Login(_("Leader"), "leader", _("The cockpit of the whole district, read only")),
        *_town_office_logins(),
        *_station_staff_logins(),
        *_handler_logins(),
        Login(
            _("Deputy (%(name)s)") % {"name": deputy.name},
            "deputy",
            _("Cases from his or her QR code and station, and the cases he or she follows"),
        ),
    ]


def _town_office_logins() -> list[Login]:
    towns = {p.code: p.name for p in Place.objects.filter(code__startswith=f"{ROOT_CODE}-", kind="town")}
    rows = []
    for number, (key, *_rest) in enumerate(TOWNS, start=1):
        town = towns[f"{ROOT_CODE}-{key}"]
        role = _("Congress office (%(town)s)") % {"town": town}
        rows.append(Login(role, town_office_name(number), _("Every case of %(town)s") % {"town": town}))
    return rows


def _station_staff_logins() -> list[Login]:
    stations = {s.code: s.name for s in Station.objects.filter(code__startswith=f"{ROOT_CODE}-")}
    return [
        Login(
            _("Station staff (%(station)s)") % {"station": stations[f"{ROOT_CODE}-{suffix}"]},
            station_staff_name(suffix),
            _("Cases of the communities the station serves"),
        )
        for suffix, *_rest in STATIONS
    ]


def _handler_logins() -> list[Login]:
    departments = {d.code: d.name for d in Department.objects.filter(code__startswith=f"{ROOT_CODE}-")}
    rows = []
    for key, *_rest in DEPARTMENTS:
        name = departments[f"{ROOT_CODE}-{key}"]
        role = _("Department handler (%(department)s)") % {"department": name}
        rows.append(Login(role, f"handler_{key}", _("Cases assigned to %(department)s") % {"department": name}))
    return rows


def main_deputy() -> Deputy:
    return Deputy.objects.select_related("station").get(user__username="deputy")


def other_deputies() -> list[str]:
    names = User.objects.filter(deputy__station__code__startswith=f"{ROOT_CODE}-").values_list("username", flat=True)
    return sorted(n for n in names if n != "deputy")


@dataclass(frozen=True)
class TryIt:
    deputy_qr: str
    station_qr: str
    station_name: str
    tracking_code: str
    tracking_url: str


def try_it() -> TryIt:
    deputy = main_deputy()
    station = Station.objects.get(code=f"{ROOT_CODE}-{MAIN_STATION}")
    cases = Case.objects.filter(place__path__startswith=f"/{ROOT_CODE}/")
    case = cases.filter(deputy=deputy, resolution=Resolution.ANSWERED).order_by("-closed_at").first()
    case = case or cases.order_by("-created_at").first()
    code = case.tracking_code if case else ""
    return TryIt(
        deputy_qr=reverse("public:intake", args=[deputy.qr_token]),
        station_qr=reverse("public:intake", args=[station.qr_token]),
        station_name=station.name,
        tracking_code=format_tracking_code(code),
        tracking_url=reverse("public:track", args=[code]) if code else "",
    )


__all__ = ["PASSWORD", "Login", "TryIt", "demo_load", "demo_logins", "other_deputies", "try_it"]
