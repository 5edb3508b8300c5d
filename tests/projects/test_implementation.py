"""After the ballot: plan, milestones, progress with photos, urging by the supervision
group, the overdue sweep, the survey's results per project and department, the look-back
and its follow-up case."""

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from lianxin.cases.models import Case
from lianxin.cases.photos import ProcessedPhoto
from lianxin.core.clock import frozen_at
from lianxin.core.errors import ApplicationError
from lianxin.notifications.models import Notification
from lianxin.places.services import department_create
from lianxin.projects import selectors
from lianxin.projects import services_implementation as impl
from lianxin.projects.models import Candidate, CandidateStatus, RoundEvent
from lianxin.projects.workflow import Status

from .conftest import adopted_project, at_status


@pytest.fixture
def project(world, round_):
    at_status(round_, Status.IMPLEMENTING)
    project = adopted_project(round_, world)
    impl.project_plan(
        project=project, actor=world.office1, department=world.dept_a, budget="300", supervisors=[world.deputy]
    )
    return project


def _photo() -> ProcessedPhoto:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="JPEG")
    return ProcessedPhoto(buffer.getvalue(), 8, 8)


def test_plan_is_on_the_projects_timeline(project, world):
    event = RoundEvent.objects.get(project=project, action="plan")
    assert event.data["budget"] == "300.00" and event.data["supervisors"] == [world.deputy.pk]


def test_department_reports_progress_with_photos(project, world):
    report = impl.progress_report(
        project=project, actor=world.handler_a, text="电梯井道已开挖。", percent_done=40, photos=[_photo()]
    )
    project.refresh_from_db()
    assert project.percent_done == 40 and report.photos.count() == 1
    with pytest.raises(ApplicationError):  # another department is not the project's lead
        impl.progress_report(project=project, actor=world.handler_b, text="不是我们的项目。")


def test_finishing_at_100_percent_completes_the_project(project, world):
    impl.progress_report(project=project, actor=world.handler_a, text="电梯已投入使用。", percent_done=100)
    project.refresh_from_db()
    assert project.completed_at is not None


def test_milestones_added_and_done(project, world, now):
    milestone = impl.milestone_add(
        project=project, actor=world.office1, title="完成招标", due_on=now.date() + timedelta(days=10)
    )
    impl.milestone_done(milestone=milestone, actor=world.handler_a)
    with pytest.raises(ApplicationError) as error:
        impl.milestone_done(milestone=milestone, actor=world.handler_a)
    assert error.value.code == "conflict"


def test_supervisor_urges_and_department_is_told(project, world):
    impl.project_urge(project=project, actor=world.deputy_user, note="施工进度滞后，请加快。")
    told = set(Notification.objects.filter(kind="project_urged").values_list("recipient_id", flat=True))
    assert world.handler_a.pk in told and world.office1.pk in told


def test_a_deputy_outside_the_supervision_group_cannot_urge(project, world, town_deputies):
    with pytest.raises(ApplicationError) as error:
        impl.project_urge(project=project, actor=town_deputies[0].user, note="催一下")
    assert error.value.code == "not_supervisor"


def test_supervisor_inspects(project, world):
    inspection = impl.inspection_record(project=project, actor=world.deputy_user, findings="现场施工安全措施到位。")
    assert inspection.kind == "supervision"


def test_overdue_milestone_tells_supervisors_once(project, world, now):
    impl.milestone_add(project=project, actor=world.office1, title="完成招标", due_on=now.date() + timedelta(days=3))
    with frozen_at(now + timedelta(days=5)):
        assert impl.milestones_overdue_sweep() == 1
        assert impl.milestones_overdue_sweep() == 0
    told = set(Notification.objects.filter(kind="project_milestone_overdue").values_list("recipient_id", flat=True))
    assert world.deputy_user.pk in told
    assert RoundEvent.objects.filter(project=project, action="milestone_overdue", actor_role="system").count() == 1


def test_survey_results_per_project_and_department(world, round_, now, town_deputies):
    at_status(round_, Status.IMPLEMENTING)
    dept_c = department_create(code="civil", name="区民政局", place=world.district)
    lift = adopted_project(round_, world, "加装电梯")
    park = adopted_project(round_, world, "口袋公园")
    market = Candidate.objects.create(round=round_, title="农贸市场", status=CandidateStatus.ADOPTED, department=dept_c)
    impl.round_open_evaluation(
        round_=round_, actor=world.office1, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=7)
    )
    five = {"need": 5, "quality": 5, "timeliness": 5, "effect": 5}
    three = {"need": 3, "quality": 3, "timeliness": 3, "effect": 3}
    impl.survey_respond(project=lift, scores=five)
    impl.survey_respond(project=lift, scores=three, actor=town_deputies[0].user)
    impl.survey_respond(project=park, scores={"need": 4, "quality": 4, "timeliness": 2, "effect": 2})
    impl.survey_respond(project=market, scores=three)
    with pytest.raises(ApplicationError) as error:
        impl.survey_respond(project=lift, scores=five, actor=town_deputies[0].user)
    assert error.value.code == "survey_twice"
    with pytest.raises(ApplicationError) as error:
        impl.survey_respond(project=lift, scores={"need": 6})
    assert error.value.code == "scores_invalid"
    per_project, per_department = selectors.survey_results(round_)
    assert per_project[lift.pk].overall == 4.0 and (per_project[lift.pk].residents, per_project[lift.pk].deputies) == (
        1,
        1,
    )
    assert per_project[park.pk].per_dimension == {"need": 4, "quality": 4, "timeliness": 2, "effect": 2}
    assert per_department[world.dept_a.pk].responses == 3
    assert per_department[world.dept_a.pk].per_dimension["timeliness"] == round((5 + 3 + 2) / 3, 2)
    assert per_department[dept_c.pk].overall == 3.0


def test_survey_outside_its_window_is_refused(project, world, now):
    impl.round_open_evaluation(
        round_=project.round, actor=world.office1, opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=7)
    )
    with pytest.raises(ApplicationError) as error:
        impl.survey_respond(project=project, scores={"need": 5, "quality": 5, "timeliness": 5, "effect": 5})
    assert error.value.code == "survey_closed"


def test_look_back_creates_a_follow_up_case_linked_to_the_project(project, world, now):
    round_ = project.round
    impl.round_open_evaluation(round_=round_, actor=world.office1, opens_at=now, closes_at=now + timedelta(days=1))
    impl.round_start_look_back(round_=round_, actor=world.office1)
    scheduled = impl.look_back_schedule(
        project=project, actor=world.office1, scheduled_on=now.date() + timedelta(days=90)
    )
    inspection = impl.inspection_record(
        project=project,
        actor=world.deputy_user,
        findings="电梯按钮损坏，无人维护。",
        upkeep_ok=False,
        in_use=True,
        inspection=scheduled,
    )
    case = impl.follow_up_case(inspection=inspection, actor=world.deputy_user, text="请物业尽快维修电梯按钮。")
    assert Case.objects.get(pk=case.pk).deputy == world.deputy
    assert "东湖社区加装电梯" in case.text and case.status == "submitted"
    inspection.refresh_from_db()
    assert inspection.follow_up_case == case and inspection.kind == "look_back"
    assert RoundEvent.objects.get(action="follow_up_case").data["case"] == case.pk
    with pytest.raises(ApplicationError):
        impl.follow_up_case(inspection=inspection, actor=world.office1, text="再开一次不行。")
    impl.round_close(round_=round_, actor=world.office1)


def test_office_records_follow_up_case_too(project, world, now):
    at_status(project.round, Status.LOOK_BACK)
    inspection = impl.inspection_record(project=project, actor=world.office1, findings="健身器材有破损。")
    case = impl.follow_up_case(inspection=inspection, actor=world.office1, text="请街道更换破损器材。")
    assert case.submitted_by == world.office1


def test_not_adopted_candidate_cannot_be_implemented(world, round_):
    at_status(round_, Status.IMPLEMENTING)
    loser = Candidate.objects.create(round=round_, title="落选项目", status=CandidateStatus.NOT_ADOPTED)
    with pytest.raises(ApplicationError) as error:
        impl.milestone_add(project=loser, actor=world.office1, title="x", due_on=None)
    assert error.value.code == "not_adopted"


@pytest.mark.parametrize("due_on", [date(2025, 12, 31), date(2032, 1, 1)])
def test_a_milestone_outside_the_rounds_years_is_refused(project, world, due_on):
    assert project.round.year == 2026
    with pytest.raises(ApplicationError) as error:
        impl.milestone_add(project=project, actor=world.office1, title="完成设计", due_on=due_on)
    assert error.value.code == "date_out_of_range" and not project.milestones.exists()


def test_a_milestone_is_moved_with_its_reason_on_the_public_timeline(project, world, now):
    from lianxin.projects.models import RoundEvent

    late = impl.milestone_add(project=project, actor=world.office1, title="完成设计", due_on=date(2026, 1, 10))
    assert impl.milestones_overdue_sweep() == 1
    impl.milestone_reschedule(milestone=late, actor=world.office1, due_on=date(2026, 12, 20), reason="规划审批延后")
    late.refresh_from_db()
    assert late.due_on == date(2026, 12, 20) and late.overdue_notified_at is None  # may be reminded again
    event = RoundEvent.objects.filter(project=project).order_by("-id").first()
    assert event.public and "规划审批延后" in event.note and "2026-01-10" in event.note and "2026-12-20" in event.note


@pytest.mark.parametrize(
    ("due_on", "reason", "code"),
    [(date(2026, 3, 1), "日期没有变化", "unchanged"), (date(2025, 3, 1), "填错了年份", "date_out_of_range")],
)
def test_a_milestone_move_is_refused_when_it_changes_nothing_or_leaves_the_years(project, world, due_on, reason, code):
    milestone = impl.milestone_add(project=project, actor=world.office1, title="开工", due_on=date(2026, 3, 1))
    with pytest.raises(ApplicationError) as error:
        impl.milestone_reschedule(milestone=milestone, actor=world.office1, due_on=due_on, reason=reason)
    assert error.value.code == code
    milestone.refresh_from_db()
    assert milestone.due_on == date(2026, 3, 1)


def test_a_done_milestone_or_a_handler_cannot_move_a_date(project, world):
    milestone = impl.milestone_add(project=project, actor=world.office1, title="开工", due_on=date(2026, 3, 1))
    with pytest.raises(ApplicationError):
        impl.milestone_reschedule(milestone=milestone, actor=world.handler_a, due_on=date(2026, 4, 1), reason="想延期")
    impl.milestone_done(milestone=milestone, actor=world.handler_a)
    with pytest.raises(ApplicationError) as error:
        impl.milestone_reschedule(milestone=milestone, actor=world.office1, due_on=date(2026, 4, 1), reason="已完成了")
    assert error.value.code == "conflict"
