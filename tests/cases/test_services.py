from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lianxin.cases import services
from lianxin.cases.models import Case, CaseEvent, CaseFollow, Resolution
from lianxin.cases.tasks import sla_sweep
from lianxin.cases.workflow import Status
from lianxin.core import clock
from lianxin.core.errors import ApplicationError
from lianxin.notifications.models import Notification

TZ = ZoneInfo("Asia/Shanghai")


def assigned(world, case=None):
    case = case or world.opinion()
    services.case_triage(case=case, actor=world.office1, category=world.category)
    services.case_assign(case=case, actor=world.office1, department=world.dept_a, helpers=[world.dept_b])
    return case


def in_progress(world):
    case = assigned(world)
    services.case_accept(case=case, actor=world.handler_a)
    return case


def replied(world):
    case = in_progress(world)
    services.case_reply(case=case, actor=world.handler_a, text="已完成维修，感谢您的反映。")
    return case


# --- intake --------------------------------------------------------------------------------


def test_submission_gets_an_unambiguous_tracking_code_and_a_48_hour_deadline(world):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    with clock.frozen_at(start):
        case = world.opinion()
    assert len(case.tracking_code) == 8 and not set(case.tracking_code) & set("01OIL")
    assert case.due_at == start + timedelta(hours=48)
    event = case.events.get()
    assert (event.action, event.to_status, event.public, event.at) == ("submit", "submitted", True, start)


def test_same_idempotency_key_gives_back_the_first_case(world):
    first = world.opinion(idempotency_key="k-1")
    second = world.opinion(idempotency_key="k-1", text="完全不同的另一段文字内容")
    assert first.pk == second.pk and Case.objects.count() == 1


@pytest.mark.parametrize("text", ["", "四个字啊", "字" * 2001])
def test_submission_text_must_be_5_to_2000_characters(world, text):
    with pytest.raises(ApplicationError):
        world.opinion(text=text)
    assert Case.objects.count() == 0


def test_new_case_notifies_the_town_office_and_station_staff(world):
    case = world.opinion()
    recipients = set(Notification.objects.filter(case=case).values_list("recipient__username", flat=True))
    assert {world.office1.username, world.district_office.username, world.staff1.username} <= recipients
    assert world.office2.username not in recipients


# --- who may do what -----------------------------------------------------------------------


def test_other_towns_office_cannot_triage(world):
    case = world.opinion()
    with pytest.raises(ApplicationError) as error:
        services.case_triage(case=case, actor=world.office2, category=world.category)
    assert error.value.code == "not_found"
    assert case.events.count() == 1


def test_department_cannot_accept_a_case_assigned_to_another(world):
    case = assigned(world)
    with pytest.raises(ApplicationError):
        services.case_accept(case=case, actor=world.handler_b)
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED


def test_helper_department_may_add_progress_but_not_reply(world):
    case = in_progress(world)
    services.case_add_progress(case=case, actor=world.handler_b, note="协办单位已派人到场")
    with pytest.raises(ApplicationError):
        services.case_reply(case=case, actor=world.handler_b, text="协办单位不能答复居民")


def test_leader_is_read_only(world):
    case = world.opinion()
    with pytest.raises(ApplicationError) as error:
        services.case_triage(case=case, actor=world.leader, category=world.category)
    assert error.value.code == "transition_not_allowed"


def test_cannot_reply_before_accepting(world):
    case = assigned(world)
    with pytest.raises(ApplicationError) as error:
        services.case_reply(case=case, actor=world.handler_a, text="还没有受理就答复")
    assert error.value.code == "transition_not_allowed"


def test_stale_status_is_refused_as_a_conflict(world):
    case = assigned(world)
    stale = Case.objects.get(pk=case.pk)
    services.case_accept(case=case, actor=world.handler_a)
    with pytest.raises(ApplicationError) as error:
        services.case_return(case=stale, actor=world.handler_a, reason="不属于本部门职责")
    assert error.value.code == "conflict"


# --- the loop ------------------------------------------------------------------------------


def test_return_sends_the_case_back_to_triage_without_a_department(world):
    case = assigned(world)
    services.case_return(case=case, actor=world.handler_a, reason="不属于本部门职责，建议交环保部门")
    case.refresh_from_db()
    assert case.status == Status.RETURNED and case.lead_department is None
    assert not case.helper_departments.exists()
    event = case.events.last()
    assert event.note.startswith("不属于") and not event.public
    services.case_assign(case=case, actor=world.office1, department=world.dept_b)
    assert case.status == Status.ASSIGNED


def test_return_needs_a_reason(world):
    case = assigned(world)
    with pytest.raises(ApplicationError):
        services.case_return(case=case, actor=world.handler_a, reason=" ")


def test_low_rating_reopens_to_the_same_department_with_a_new_deadline(world):
    case = replied(world)
    later = clock.now() + timedelta(days=2)
    with clock.frozen_at(later):
        services.case_rate(case=case, stars=1, comment="没有解决")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.lead_department == world.dept_a
    assert case.reopen_count == 1 and case.due_at == later + timedelta(hours=48)
    assert list(case.events.values_list("action", flat=True))[-2:] == ["rate", "reopen"]


@pytest.mark.parametrize("stars", [3, 4, 5])
def test_good_rating_closes_the_case(world, stars):
    case = replied(world)
    services.case_rate(case=case, stars=stars)
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.resolution == Resolution.ANSWERED and case.rating == stars


@pytest.mark.parametrize("stars", [0, 6, -1])
def test_rating_outside_1_to_5_is_refused(world, stars):
    case = replied(world)
    with pytest.raises(ApplicationError):
        services.case_rate(case=case, stars=stars)


def test_rating_twice_is_refused(world):
    case = replied(world)
    services.case_rate(case=case, stars=5)
    with pytest.raises(ApplicationError):
        services.case_rate(case=case, stars=1)


def test_deputy_can_resolve_on_the_spot_with_a_reason_the_resident_sees(world):
    case = world.opinion()
    services.case_resolve_on_spot(case=case, actor=world.deputy_user, reason="代表现场协调物业，已当场修复")
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.resolution == Resolution.ON_SPOT
    assert case.first_answered_at is not None
    assert case.events.last().public


def test_reject_as_not_admissible_needs_the_office(world):
    case = world.opinion()
    with pytest.raises(ApplicationError):
        services.case_reject(case=case, actor=world.deputy_user, reason="不属于受理范围")
    services.case_reject(case=case, actor=world.staff1, reason="涉及诉讼，请通过司法途径解决")
    assert case.resolution == Resolution.NOT_ADMISSIBLE


def test_deputy_urges_and_follows_and_department_is_told(world):
    case = assigned(world)
    services.case_urge(case=case, actor=world.deputy_user, note="请尽快处理，居民反映强烈")
    assert CaseFollow.objects.filter(case=case, user=world.deputy_user).exists()
    assert Notification.objects.filter(case=case, kind="urged", recipient=world.handler_a).exists()


def test_link_duplicate_points_to_the_original(world):
    original = world.opinion()
    copy = world.opinion(text="小区门口路灯坏了很久了，希望修一下。")
    services.case_link_duplicate(case=copy, actor=world.office1, original=original)
    assert copy.duplicate_of == original
    with pytest.raises(ApplicationError):
        services.case_link_duplicate(case=original, actor=world.office1, original=original)


def test_linking_never_makes_chains_of_duplicates(world):
    original, middle, last = (world.opinion(text=f"小区门口路灯坏了，第{n}次反映。") for n in range(3))
    services.case_link_duplicate(case=last, actor=world.office1, original=middle)
    services.case_link_duplicate(case=middle, actor=world.office1, original=original)
    last.refresh_from_db()
    assert middle.duplicate_of == original and last.duplicate_of == original
    fourth = world.opinion(text="小区门口路灯坏了，第四次反映。")
    services.case_link_duplicate(case=fourth, actor=world.office1, original=last)
    assert fourth.duplicate_of == original


def test_office_sends_an_inadequate_reply_back_with_a_reason(world):
    case = replied(world)
    later = clock.now() + timedelta(days=1)
    with clock.frozen_at(later):
        services.case_reopen(case=case, actor=world.office1, reason="答复未说明维修时间，请补充。")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1
    assert case.due_at == later + timedelta(hours=48)
    event = case.events.last()
    assert (event.action, event.actor, event.public) == ("reopen", world.office1, True)
    assert Notification.objects.filter(recipient=world.handler_a, kind="reopened").exists()
    with pytest.raises(ApplicationError):
        services.case_reopen(case=case, actor=world.office1, reason="再次退回")  # not replied now
    with pytest.raises(ApplicationError):
        services.case_reopen(case=replied(world), actor=world.handler_a, reason="自己重办")


def test_staff_entering_an_opinion_is_recorded_in_their_own_role(world):
    case, _ = services.case_submit(
        channel="visit",
        place=world.community1,
        station=world.station1,
        text="上门走访时居民反映楼道灯不亮。",
        submitted_by=world.deputy_user,
        contact_phone="1" * 30,
    )
    event = case.events.get()
    assert event.actor_role == "deputy" and event.actor == world.deputy_user
    assert len(case.contact_phone) == 20
    with pytest.raises(ApplicationError):
        services.case_submit(
            channel="visit",
            place=world.community2,
            station=world.station2,
            text="别的镇的意见，不能代录。",
            submitted_by=world.handler_a,
        )


def test_adoption_is_recorded_once(world):
    case = replied(world)
    services.case_mark_adopted(case=case, actor=world.office1)
    with pytest.raises(ApplicationError):
        services.case_mark_adopted(case=case, actor=world.office1)


# --- the timeline is append-only ----------------------------------------------------------


def test_timeline_events_cannot_be_edited_or_deleted(world):
    event = world.opinion().events.get()
    event.note = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(TypeError):
        CaseEvent.objects.all().delete()


# --- deadlines -----------------------------------------------------------------------------


def test_sweep_reminds_before_and_escalates_after_the_deadline_once(world):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    with clock.frozen_at(start):
        case = assigned(world)
    with clock.frozen_at(start + timedelta(hours=44)):
        assert sla_sweep.call()["reminded"] == 1
        assert sla_sweep.call()["reminded"] == 0
    with clock.frozen_at(start + timedelta(hours=49)):
        assert sla_sweep.call()["escalated"] == 1
        assert sla_sweep.call()["escalated"] == 0
    assert list(case.events.values_list("action", flat=True))[-2:] == ["remind", "escalate"]
    assert Notification.objects.filter(case=case, kind="overdue", recipient=world.office1).exists()


def test_sweep_closes_replies_left_unrated_for_a_week(world):
    case = replied(world)
    with clock.frozen_at(clock.now() + timedelta(days=8)):
        assert sla_sweep.call()["closed_unrated"] == 1
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.resolution == Resolution.UNRATED
