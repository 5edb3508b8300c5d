"""`manage.py seed_bench`: bulk synthetic cases whose columns and timelines agree, as if the
case services had made them step by step."""

from collections import defaultdict
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lianxin.cases.models import Case, CaseEvent
from lianxin.cases.services import case_submit
from lianxin.cases.workflow import ANSWERING_ACTIONS, AWAITING_REPLY, Action, Actor, Status, can, target
from lianxin.core import clock
from lianxin.places.models import Place, PlaceKind

NOW = datetime(2026, 3, 16, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
SMALL = {"cases": 600, "districts": 2, "towns": 10, "communities": 2, "years": 1, "seed": 7}


def seed(**options) -> str:
    out = StringIO()
    with clock.frozen_at(NOW):
        call_command("seed_bench", **{**SMALL, **options}, stdout=out)
    return out.getvalue()


def city_cases(run: int):
    return Case.objects.filter(place__path__startswith=f"/bench-{run}/")


def timelines(run: int) -> dict[int, list[CaseEvent]]:
    events = defaultdict(list)
    # The ids first: PostgreSQL, without statistics on tables filled inside the test's
    # transaction, sometimes planned the IN (SELECT … LIKE) as nested loops taking minutes.
    ids = list(city_cases(run).values_list("pk", flat=True))
    for event in CaseEvent.objects.filter(case_id__in=ids).order_by("case_id", "at", "id"):
        events[event.case_id].append(event)
    return events


@pytest.fixture
def bench(db) -> str:
    return seed()


def test_bench_makes_the_city_asked_for_with_its_cases(bench):
    root = Place.objects.get(code="bench-1")
    districts = Place.objects.filter(parent=root)
    assert districts.count() == 2
    for district in districts:
        assert Place.objects.filter(parent=district, kind=PlaceKind.TOWN).count() == 10
    assert city_cases(1).count() == 600
    assert "600 cases" in bench


def test_every_case_has_one_submit_first_at_its_creation(bench):
    events_by_case = timelines(1)
    for case in city_cases(1):
        events = events_by_case[case.pk]
        assert [e.action for e in events].count(Action.SUBMIT) == 1
        assert events[0].action == Action.SUBMIT
        assert events[0].at == case.created_at
        assert events[0].data == {"channel": case.channel}


def _status_after(events: list[CaseEvent]) -> Status:
    """Walk the timeline through workflow's table. services._reopen records a low rating and
    the reopening for one move: the RATE event then carries the REOPEN's statuses."""
    status = None
    for i, event in enumerate(events):
        if event.action == Action.SUBMIT:
            assert status is None and event.from_status == ""
            status = Status(event.to_status)
            continue
        assert event.from_status == status, (event.action, event.from_status, status)
        assert any(can(Action(event.action), status, actor) for actor in Actor), (event.action, status)
        expected = target(Action(event.action), status)
        if event.action == Action.RATE and expected != event.to_status:
            assert events[i + 1].action == Action.REOPEN and events[i + 1].to_status == event.to_status
            continue
        assert event.to_status == expected, (event.action, event.to_status, expected)
        status = expected
    return status


def test_every_timeline_follows_the_workflow_to_the_case_status(bench):
    events_by_case = timelines(1)
    for case in city_cases(1):
        assert _status_after(events_by_case[case.pk]) == case.status


def test_the_columns_agree_with_the_timeline(bench):
    events_by_case = timelines(1)
    for case in city_cases(1):
        events = events_by_case[case.pk]
        actions = [e.action for e in events]
        answering = [e.at for e in events if e.action in ANSWERING_ACTIONS]
        assert case.first_answered_at == (answering[0] if answering else None)
        assert (case.rating is not None) == (Action.RATE in actions)
        rates = [e for e in events if e.action == Action.RATE]
        if rates:
            assert (case.rating, case.rated_at) == (rates[-1].data["stars"], rates[-1].at)
        replies = [e for e in events if e.action in (Action.REPLY, Action.SHARE_REPLY)]
        assert case.replied_at == (replies[-1].at if replies else None)
        assert case.reply_text == (replies[-1].note if replies else "")
        assert (case.closed_at is not None) == (case.status == Status.CLOSED)
        assert case.reopen_count == actions.count(Action.REOPEN)
        assert case.adopted == (Action.ADOPT in actions)
        assert (case.escalated_at is not None) == (Action.ESCALATE in actions[_last_reopen(actions) :])
        assert case.updated_at >= case.created_at


def _last_reopen(actions: list[str]) -> int:
    return max((i for i, a in enumerate(actions) if a == Action.REOPEN), default=0)


def test_departments_on_events_are_the_ones_that_acted(bench):
    events_by_case = timelines(1)
    returned = 0
    for case in city_cases(1):
        lead = None
        for event in events_by_case[case.pk]:
            if event.action == Action.ASSIGN:
                lead = event.department_id
            elif event.action == Action.RETURN:
                assert event.department_id == lead
                lead, returned = None, returned + 1
            elif event.action in (Action.ACCEPT, Action.REPLY, Action.ESCALATE, Action.URGE):
                assert event.department_id == lead, event.action
        assert case.lead_department_id == lead or case.duplicate_of_id
    assert returned


def test_merged_cases_point_at_an_earlier_case_of_the_same_town(bench):
    merged = city_cases(1).filter(duplicate_of__isnull=False).select_related("place", "duplicate_of__place")
    assert merged
    for case in merged:
        original = case.duplicate_of
        assert original.created_at < case.created_at
        assert original.duplicate_of_id is None
        assert case.place.parent_id == original.place.parent_id
        assert case.due_at is None
        if case.status == Status.MERGED:
            assert case.replied_at is None


def test_the_mix_has_every_kind_of_step(bench):
    actions = set(CaseEvent.objects.filter(case__in=city_cases(1)).values_list("action", flat=True))
    expected = {
        Action.SUBMIT,
        Action.TRIAGE,
        Action.ASSIGN,
        Action.ACCEPT,
        Action.RETURN,
        Action.REPLY,
        Action.RATE,
        Action.REOPEN,
        Action.CLOSE,
        Action.ESCALATE,
        Action.URGE,
        Action.FOLLOW,
        Action.ADOPT,
        Action.RESOLVE_ON_SPOT,
        Action.REJECT,
        Action.LINK_DUPLICATE,
        Action.SHARE_REPLY,
    }
    assert expected <= actions
    statuses = set(city_cases(1).values_list("status", flat=True))
    assert Status.CLOSED in statuses and statuses & AWAITING_REPLY


def test_deputy_steps_have_a_deputy_user_as_actor(bench):
    deputy_steps = CaseEvent.objects.filter(case__in=city_cases(1), action__in=[Action.URGE, Action.FOLLOW])
    assert deputy_steps
    for event in deputy_steps.select_related("actor__deputy"):
        assert event.actor_role == Actor.DEPUTY and event.actor.deputy


def test_tracking_codes_are_unique_and_look_like_the_services_codes(bench):
    codes = list(city_cases(1).values_list("tracking_code", flat=True))
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 8 for code in codes)


def test_a_second_run_makes_a_second_city(bench):
    seed(cases=50)
    assert Place.objects.filter(code="bench-2", parent=None).exists()
    assert city_cases(2).count() == 50
    assert city_cases(1).count() == 600


def _signature(run: int) -> list[tuple]:
    """The run's cases and timelines without what differs between runs: ids, codes, place codes."""
    rows = []
    events_by_case = timelines(run)
    cases = city_cases(run).select_related("place", "category", "duplicate_of").order_by("created_at", "id")
    for case in cases:
        original = case.duplicate_of.created_at if case.duplicate_of else None
        code = case.duplicate_of.tracking_code if case.duplicate_of else "-"
        steps = [
            (
                e.action,
                e.at,
                e.from_status,
                e.to_status,
                e.note.replace(f"{code[:4]}-{code[4:]}", ""),
                str(e.data).replace(code, ""),
            )
            for e in events_by_case[case.pk]
        ]
        place = case.place.path.replace(f"bench-{run}", "bench")
        rows.append((place, case.created_at, case.status, case.channel, case.text, case.rating, original, steps))
    return rows


def test_the_same_seed_gives_the_same_cases_generated_here_or_in_a_child_process(bench):
    seed(serial=True)
    assert _signature(1) == _signature(2)


def test_a_different_seed_gives_other_cases(bench):
    seed(seed=8)
    assert _signature(1) != _signature(2)


@pytest.mark.parametrize("cases", [0, -3])
def test_no_cases_is_a_clear_error(db, cases):
    with pytest.raises(CommandError, match="--cases"):
        seed(cases=cases)
    assert not Place.objects.filter(code__startswith="bench-").exists()


def test_cases_made_by_the_services_afterwards_get_new_ids(bench):
    community = Place.objects.filter(code__startswith="bench-1-", kind=PlaceKind.COMMUNITY).first()
    with clock.frozen_at(NOW):
        case, created = case_submit(channel="web", place=community, text="小区门口的路灯坏了好几天了。")
    assert created and case.pk > max(city_cases(1).exclude(pk=case.pk).values_list("pk", flat=True))


def test_the_cockpit_on_the_rebuilt_rollups_equals_the_raw_figures(bench):
    """The rollups rebuilt at the end count the bulk-written cases exactly as the raw GROUP BYs do."""
    from datetime import date

    from lianxin.cockpit.raw import raw_figures
    from lianxin.cockpit.selectors import cockpit_figures
    from tests.factories import UserFactory

    admin = UserFactory(username="bench-admin", is_superuser=True, is_staff=True)
    city = Place.objects.get(code="bench-1")
    district = Place.objects.filter(parent=city).order_by("path").first()
    with clock.frozen_at(NOW):
        for place in (city, district):
            span = {"place": place, "date_from": date(2025, 4, 1), "date_to": NOW.date()}
            rolled, raw = cockpit_figures(admin, **span), raw_figures(admin, **span)
            for key in ("totals", "by_place", "by_month", "by_week", "by_channel", "deputies"):
                assert _rounded(rolled[key]) == _rounded(raw[key]), key
            assert {r["category_id"]: _rounded(r) for r in rolled["by_category"]} == {
                r["category_id"]: _rounded(r) for r in raw["by_category"]
            }
            assert {r["department_id"]: _rounded(r) for r in rolled["departments"]} == {
                r["department_id"]: _rounded(r) for r in raw["departments"]
            }
    assert "Rollups rebuilt from 600 cases" in bench


def _rounded(value):
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return round(value, 9) if isinstance(value, float) else value
