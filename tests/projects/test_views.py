"""Staff, deputies' and public pages: scope, steps from the page, the solicitation form that
keeps what was typed and answers in Chinese, the project page and the survey."""

from datetime import timedelta

import pytest
from django.urls import reverse

from lianxin.projects import services
from lianxin.projects import services_implementation as impl
from lianxin.projects.models import Proposal, SurveyResponse
from lianxin.projects.workflow import Status

from .conftest import adopted_project, at_status


@pytest.fixture
def zh(client):
    client.cookies["django_language"] = "zh-hans"
    return client


def test_office_sees_round_list_and_page(client, world, round_):
    client.force_login(world.office1)
    assert round_.title in client.get(reverse("projects:list")).content.decode()
    page = client.get(reverse("projects:round", args=[round_.pk]))
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()


def test_another_towns_office_gets_404(client, world, round_):
    client.force_login(world.office2)
    assert client.get(reverse("projects:round", args=[round_.pk])).status_code == 404
    assert client.post(reverse("projects:act", args=[round_.pk, "open_solicitation"])).status_code == 404


def test_office_opens_solicitation_from_the_page(client, world, round_):
    client.force_login(world.office1)
    response = client.post(reverse("projects:act", args=[round_.pk, "open_solicitation"]))
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == Status.SOLICITING


def test_deputy_may_not_open_solicitation(client, world, round_):
    client.force_login(world.deputy_user)
    assert client.post(reverse("projects:act", args=[round_.pk, "open_solicitation"])).status_code == 403


def test_refused_step_shows_why(client, world, round_):
    at_status(round_, Status.DELIBERATION)
    client.force_login(world.office1)
    response = client.post(reverse("projects:act", args=[round_.pk, "open_ballot"]), {"open_ballot-closes_at": ""})
    assert response.status_code == 400
    assert (
        "Set the number of projects to adopt first." in response.content.decode() or "设置" in response.content.decode()
    )


def test_ratio_below_rule_refused_on_the_page(client, world, round_):
    client.force_login(world.office1)
    response = client.post(
        reverse("projects:act", args=[round_.pk, "configure"]), {"configure-seats": "5", "configure-ratio": "0.10"}
    )
    assert response.status_code == 400
    round_.refresh_from_db()
    assert round_.seats is None


def test_qr_code_svg(client, world, round_):
    client.force_login(world.office1)
    response = client.get(reverse("projects:qr", args=[round_.pk]))
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content


# --- public -------------------------------------------------------------------------------


def test_solicitation_form_with_bad_input_keeps_text_and_speaks_chinese(zh, world, round_):
    services.round_open_solicitation(round_=round_, actor=world.office1)
    url = reverse("projects_public:solicit", args=[round_.public_token])
    response = zh.post(url, {"title": "加装电梯", "reason": "太短", "location": "东湖三号楼", "contact_phone": "12345"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "东湖三号楼" in body and "加装电梯" in body and "太短" in body
    assert "请至少填写10个字" in body
    assert "请输入以13–19开头的11位手机号码" in body
    assert not Proposal.objects.exists()


def test_resident_sends_a_proposal(zh, world, round_):
    services.round_open_solicitation(round_=round_, actor=world.office1)
    url = reverse("projects_public:solicit", args=[round_.public_token])
    data = {
        "title": "加装电梯",
        "reason": "老小区没有电梯，老人上下楼困难。",
        "contact_phone": "138 1234 5678",
        "idempotency_key": "a" * 32,
    }
    assert zh.post(url, data).status_code == 302
    assert zh.post(url, data).status_code == 302  # a resend makes no second proposal
    proposal = Proposal.objects.get()
    assert proposal.contact_phone == "13812345678" and proposal.source == "resident"


def test_solicitation_closed_page(zh, world, round_):
    url = reverse("projects_public:solicit", args=[round_.public_token])
    assert zh.get(url).status_code == 200
    response = zh.post(url, {"title": "加装电梯", "reason": "老小区没有电梯，老人上下楼困难。"})
    assert response.status_code == 400 and not Proposal.objects.exists()


def test_public_project_page_shows_progress_and_milestones_not_candidates(zh, world, round_, now):
    at_status(round_, Status.IMPLEMENTING)
    project = adopted_project(round_, world)
    impl.milestone_add(project=project, actor=world.office1, title="完成招标", due_on=now.date() + timedelta(days=30))
    impl.progress_report(project=project, actor=world.handler_a, text="已完成设计方案。", percent_done=20)
    body = zh.get(reverse("projects_public:project", args=[project.pk])).content.decode()
    assert "完成招标" in body and "已完成设计方案。" in body and "20%" in body
    assert world.handler_a.username not in body
    candidate = services.Candidate.objects.create(round=round_, title="未采纳")
    assert zh.get(reverse("projects_public:project", args=[candidate.pk])).status_code == 404


def test_resident_rates_a_project_in_the_survey(zh, world, round_, now):
    at_status(round_, Status.IMPLEMENTING)
    project = adopted_project(round_, world)
    impl.round_open_evaluation(
        round_=round_, actor=world.office1, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=10)
    )
    url = reverse("projects_public:project", args=[project.pk])
    assert "实施效果" in zh.get(url).content.decode()
    bad = zh.post(url, {"score_need": "5"})
    assert bad.status_code == 400 and not SurveyResponse.objects.exists()
    page = bad.content.decode()
    assert "★★★★★" in page and "很满意" in page and "请选择一个答案。" in page
    data = {
        "score_need": "5",
        "score_quality": "4",
        "score_timeliness": "4",
        "score_effect": "5",
        "idempotency_key": "b" * 32,
    }
    assert zh.post(url, data).status_code == 302
    assert SurveyResponse.objects.get().scores == {"need": 5, "quality": 4, "timeliness": 4, "effect": 5}


def test_deputy_phone_page_for_a_supervised_project(client, world, round_, now):
    at_status(round_, Status.IMPLEMENTING)
    project = adopted_project(round_, world)
    impl.project_plan(
        project=project, actor=world.office1, department=world.dept_a, budget="300", supervisors=[world.deputy]
    )
    client.force_login(world.deputy_user)
    assert project.title in client.get(reverse("projects:list")).content.decode()
    page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert 'name="urge-note"' in page
    response = client.post(reverse("projects:project_act", args=[project.pk, "urge"]), {"urge-note": "请加快进度"})
    assert response.status_code == 302


def test_deputy_rates_on_the_project_page_once(client, world, round_, now):
    at_status(round_, Status.IMPLEMENTING)
    project = adopted_project(round_, world)
    impl.round_open_evaluation(
        round_=round_, actor=world.office1, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=10)
    )
    client.force_login(world.deputy_user)
    url = reverse("projects:project_act", args=[project.pk, "survey"])
    data = {
        "survey-score_need": "4",
        "survey-score_quality": "4",
        "survey-score_timeliness": "3",
        "survey-score_effect": "5",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 400
    response = SurveyResponse.objects.get()
    assert response.respondent == "deputy" and response.deputy == world.deputy


def test_office_sets_its_own_survey_questions(client, world, round_, now):
    at_status(round_, Status.IMPLEMENTING)
    client.force_login(world.office1)
    data = {
        "open_evaluation-opens_at": "2026-03-01T09:00",
        "open_evaluation-closes_at": "2026-03-31T18:00",
        "open_evaluation-dimensions": "环境改善 | Environment\n群众受益面",
    }
    assert client.post(reverse("projects:act", args=[round_.pk, "open_evaluation"]), data).status_code == 302
    round_.refresh_from_db()
    assert round_.survey_dimensions == [
        {"key": "q1", "zh": "环境改善", "en": "Environment"},
        {"key": "q2", "zh": "群众受益面", "en": ""},
    ]
    assert round_.status == Status.EVALUATING


def _round_page_queries(client, round_):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("projects:round", args=[round_.pk])).status_code == 200
    return len(queries)


def test_round_page_queries_do_not_grow_with_candidates(client, world, round_):
    at_status(round_, Status.SHORTLISTING)
    client.force_login(world.office1)
    for i in range(3):
        services.candidate_create(round_=round_, actor=world.office1, title=f"项目{i}")
    few = _round_page_queries(client, round_)
    for i in range(3, 12):
        candidate = services.candidate_create(round_=round_, actor=world.office1, title=f"项目{i}")
        services.remark_add(
            round_=round_, actor=world.deputy_user, kind="comment", text="建议可行", candidate=candidate
        )
    assert _round_page_queries(client, round_) <= few + 2


def test_handler_sees_the_projects_of_the_department(client, world, round_):
    at_status(round_, Status.IMPLEMENTING)
    project = adopted_project(round_, world)
    client.force_login(world.handler_a)
    page = client.get(reverse("projects:list")).content.decode()
    assert reverse("projects:project", args=[project.pk]) in page
    assert 'name="progress-text"' in client.get(reverse("projects:project", args=[project.pk])).content.decode()
    client.force_login(world.handler_b)
    assert client.get(reverse("projects:project", args=[project.pk])).status_code == 404


def test_expired_solicitation_form_keeps_the_text(world, round_, rf):
    from lianxin.projects.views_public import solicit_after_csrf_failure

    services.round_open_solicitation(round_=round_, actor=world.office1)
    request = rf.post("/p/x/", {"title": "加装电梯", "reason": "老小区没有电梯，老人上下楼困难。"})
    request.session = {}
    from django.contrib.messages.storage.fallback import FallbackStorage

    request._messages = FallbackStorage(request)
    response = solicit_after_csrf_failure(request, {"token": round_.public_token})
    assert response.status_code == 403 and "老小区没有电梯" in response.content.decode()


def test_a_half_set_survey_window_is_closed_not_a_500(client, world, round_, now):
    from lianxin.projects.models import Candidate, CandidateStatus, Round

    project = Candidate.objects.create(round=round_, title="社区食堂", status=CandidateStatus.ADOPTED)
    Round.objects.filter(pk=round_.pk).update(status=Status.EVALUATING, survey_opens_at=now, survey_closes_at=None)
    response = client.get(reverse("projects_public:project", args=[project.pk]))
    assert response.status_code == 200 and b'name="score_' not in response.content
