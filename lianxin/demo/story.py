"""Play one plan through the real case services, each step at its own historical time.

Before every step the deadline sweep is replayed up to that moment (remind 8 hours before the
deadline, escalate after it, close replies left unrated for 7 days), so the timeline holds what
the running platform would have written, and a sweep run right after loading finds nothing to do.
"""

import contextlib
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from lianxin.cases import services
from lianxin.cases.models import Case, Channel, Urgency
from lianxin.cases.workflow import AWAITING_REPLY, Status
from lianxin.core import clock
from lianxin.core.codes import format_tracking_code
from lianxin.places.models import Department

from . import phrases
from .district import District
from .plan import Plan

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


class _Stop(Exception):
    """The next step lies in the future: the case stays where it is now."""


def hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


class Story:
    def __init__(self, district: District, rng: random.Random, now: datetime, plan: Plan) -> None:
        self.d, self.rng, self.now, self.plan = district, rng, now, plan
        self.case: Case | None = None
        self.last = plan.t0
        self.office = district.town_offices[plan.community.town.pk]
        self.staff = district.station_staff.get(plan.station.pk) if plan.station else None
        self.lead: Department = district.lead_for(plan.problem, plan.community.town_key)
        # Other residents' reports merged into this case (并单), played inside this story so that
        # each is linked, and shares this case's reply, at its own moment.
        self.repeats = [Story(district, rng, now, repeat) for repeat in plan.duplicates]
        self._link_at: datetime | None = None

    # --- the clock ----------------------------------------------------------------------

    def at(self, when: datetime, action: Callable, **kwargs):
        """Run a service at `when` (never before the previous step); stop at the present."""
        when = max(when, self.last + MINUTE)
        if when >= self.now:
            raise _Stop
        self.sweep(when)
        when = max(when, self.last + MINUTE)  # the sweep may just have written an event
        if when >= self.now:
            raise _Stop
        self.last = when
        with clock.frozen_at(when):
            return action(**kwargs)

    def sweep(self, until: datetime) -> None:
        case = self.case
        if case.status in AWAITING_REPLY and case.due_at:
            remind = case.due_at - timedelta(hours=settings.SLA_REMIND_BEFORE_HOURS)
            if case.reminded_at is None and remind <= until:
                moment = self._sweep_moment(remind, until)
                if moment < case.due_at:
                    self._sweep_step(moment, services.case_remind, "reminded_at")
            if case.escalated_at is None and case.due_at <= until:
                self._sweep_step(self._sweep_moment(case.due_at, until), services.case_escalate, "escalated_at")
        elif case.status == Status.REPLIED:
            stale = case.replied_at + timedelta(days=settings.AUTO_CLOSE_UNRATED_DAYS)
            if stale <= until:
                self.last = self._sweep_moment(stale, until)
                with clock.frozen_at(self.last):
                    services.case_close_unrated(case=case)

    def _sweep_moment(self, due: datetime, until: datetime) -> datetime:
        """The sweep runs every five minutes: a little after `due`, never after `until`."""
        return min(max(due, self.last) + timedelta(seconds=self.rng.randint(5, 290)), until)

    def _sweep_step(self, moment: datetime, action: Callable, column: str) -> None:
        self.last = moment
        with clock.frozen_at(moment):
            action(case=self.case)
        setattr(self.case, column, moment)  # the service updates the row, not our copy

    def office_time(self, when: datetime) -> datetime:
        """Offices work 8:00–20:00 (weekends too, in this district's 48-hour promise)."""
        local = timezone.localtime(when)
        if local.hour < 8:
            return local.replace(hour=8, minute=self.rng.randint(0, 59))
        if local.hour >= 20:
            return (local + timedelta(days=1)).replace(hour=8, minute=self.rng.randint(0, 59))
        return when

    def resident_time(self, when: datetime) -> datetime:
        local = timezone.localtime(when)
        if local.hour < 7:
            return local.replace(hour=7, minute=self.rng.randint(0, 59))
        if local.hour >= 23:
            return (local + timedelta(days=1)).replace(hour=7, minute=self.rng.randint(0, 59))
        return when

    # --- who ----------------------------------------------------------------------------

    def triager(self):
        return self.staff if self.staff and self.rng.random() < 0.5 else self.office

    def assigner(self):
        return self.d.users["district_office"] if self.rng.random() < 0.15 else self.office

    def handler(self, department: Department | None = None):
        return self.d.handlers[(department or self.case.lead_department).pk]

    def supervisor(self):
        """The deputy who brought the case, else one of the station's deputies, else the office."""
        if self.plan.deputy:
            return self.plan.deputy.user
        station = self.plan.community.station
        deputies = [d for d in self.d.deputies if d.station_id == station.pk]
        return self.rng.choice(deputies).user if deputies else self.office

    def hello(self) -> str:
        return phrases.salutation(self.plan.contact_name, self.plan.female)

    # --- the steps ----------------------------------------------------------------------

    def submit(self) -> None:
        p = self.plan
        submitted_by = None
        if p.channel in (Channel.STATION_VISIT, Channel.PHONE):
            submitted_by = self.staff
        elif p.channel == Channel.HOME_VISIT or p.kind != "opinion":
            submitted_by = p.deputy.user
        with clock.frozen_at(p.t0):
            self.case, _ = services.case_submit(
                channel=p.channel,
                kind=p.kind,
                place=p.place,
                station=p.station,
                deputy=p.deputy,
                text=p.text,
                address=p.address,
                contact_name=p.contact_name,
                contact_phone=p.contact_phone,
                publish_consent=p.publish_consent,
                submitted_by=submitted_by,
                client_name=phrases.CLIENT_NAME if p.channel == Channel.OPEN311 else "",
            )
        p.case = self.case

    def triage(self, when: datetime, actor=None) -> None:
        urgent = self.plan.problem.urgent and self.rng.random() < 0.6
        self.at(
            when,
            services.case_triage,
            case=self.case,
            actor=actor or self.triager(),
            category=self.d.categories[self.plan.problem.category],
            urgency=Urgency.URGENT if urgent else None,
            note=phrases.TRIAGE_URGENT_NOTE if urgent else "",
        )

    def assign(self, when: datetime, department: Department, note: str = "", actor=None, helpers: bool = True) -> None:
        chosen = []
        if helpers and self.plan.problem.helper and self.rng.random() < 0.5:
            chosen = [self.d.departments[self.plan.problem.helper]]
        actor = actor or self.assigner()
        self.at(
            when, services.case_assign, case=self.case, actor=actor, department=department, helpers=chosen, note=note
        )

    def accept(self, when: datetime) -> None:
        note = self.rng.choice(phrases.ACCEPT_NOTES)
        self.at(when, services.case_accept, case=self.case, actor=self.handler(), note=note)

    def progress(self, when: datetime) -> None:
        actor = self.handler()
        helpers = list(self.case.helper_departments.all())
        if helpers and self.rng.random() < 0.4:
            actor = self.handler(helpers[0])  # the helper department reports its part
        note = phrases.progress_note(self.rng, suggestion=self.plan.kind != "opinion")
        self.at(when, services.case_add_progress, case=self.case, actor=actor, note=note)

    def reply(self, when: datetime, text: str) -> None:
        self.arrivals(until=max(when, self.last + MINUTE))
        self.at(when, services.case_reply, case=self.case, actor=self.handler(), text=text)

    # --- merged duplicates --------------------------------------------------------------

    def link_at(self) -> datetime:
        """When the office merges this repeated report into the first one (decided once)."""
        if self._link_at is None:
            self._link_at = self.office_time(self.plan.t0 + hours(self.rng, 0.3, 4))
        return self._link_at

    def arrivals(self, *, until: datetime) -> None:
        """Submit and merge the repeated reports whose merge lies before `until`."""
        for story in self.repeats:
            if story.case is None and story.link_at() < min(until, self.now):
                story.submit()
                with contextlib.suppress(_Stop):
                    story.merge()

    def merge(self) -> None:
        """The office merges this report into the first one: it waits for that case's reply."""
        original = self.plan.original.case
        note = phrases.DUPLICATE_NOTE.format(code=format_tracking_code(original.tracking_code))
        self.at(
            self.link_at(),
            services.case_link_duplicate,
            case=self.case,
            actor=self.office,
            original=original,
            note=note,
        )

    def rate_shared_reply(self) -> None:
        """Most residents of a merged duplicate rate the group's reply; the rest are closed unrated."""
        self.case.refresh_from_db()
        if self.case.status != Status.REPLIED:
            return
        self.last = max(self.last, self.case.replied_at)
        if self.rng.random() < 0.85:
            self.rate(self.last + hours(self.rng, 2, 48), self.rng.choices((5, 4, 3), (50, 40, 10))[0])

    def rate(self, when: datetime, stars: int) -> None:
        comment = phrases.rating_comment(self.rng, stars)
        self.at(self.resident_time(when), services.case_rate, case=self.case, stars=stars, comment=comment)

    def follow(self, when: datetime) -> None:
        deputy_user = self.supervisor()
        if hasattr(deputy_user, "deputy"):
            self.at(when, services.case_follow, case=self.case, actor=deputy_user)

    def urge(self, when: datetime) -> None:
        note = self.rng.choice(phrases.URGE_NOTES)
        self.at(when, services.case_urge, case=self.case, actor=self.supervisor(), note=note)

    def note(self, when: datetime) -> None:
        note = self.rng.choice(phrases.INTERNAL_NOTES)
        self.at(when, services.case_add_note, case=self.case, actor=self.office, note=note)

    def adopt(self, when: datetime) -> None:
        note = self.rng.choice(phrases.ADOPT_NOTES)
        self.at(when, services.case_mark_adopted, case=self.case, actor=self.handler(), note=note)

    def first_reply(self) -> str:
        p, case = self.plan, self.case
        if p.kind != "opinion":
            return p.problem.actions[0].format(town=p.place.name, k=self.rng.randint(2, 9))
        if p.original is not None:
            return phrases.duplicate_reply_text(self.rng, p.problem, p.variant, hello=self.hello())
        unit = phrases.unit_word(case.lead_department.name)
        return phrases.reply_text(
            self.rng,
            p.problem,
            p.variant,
            hello=self.hello(),
            place=p.place_label,
            unit=unit,
            channel=p.channel,
            when=timezone.localtime(self.last),
        )

    def misassign(self, when: datetime, return_at: datetime | None = None) -> None:
        """The office picks the wrong department, which returns the case with a reason."""
        wrong = self.rng.choice([d for d in self.d.departments.values() if d.pk != self.lead.pk])
        self.assign(when, wrong, helpers=False)
        reason = phrases.RETURN_REASON.format(right=self.lead.name, unit=phrases.unit_word(wrong.name))
        when = return_at or self.office_time(self.last + hours(self.rng, 0.5, 5))
        self.at(when, services.case_return, case=self.case, actor=self.handler(wrong), reason=reason)


def run(story: Story, scenario: Callable[[Story], None]) -> Case:
    story.submit()
    with contextlib.suppress(_Stop):  # the rest of the story lies in the future
        scenario(story)
    story.arrivals(until=story.now)  # reports merged after this case's reply get it at once
    story.sweep(story.now)
    for repeat in story.repeats:
        if repeat.case is not None:
            with contextlib.suppress(_Stop):
                repeat.rate_shared_reply()
            repeat.case.refresh_from_db()
            repeat.sweep(repeat.now)
    return story.case
