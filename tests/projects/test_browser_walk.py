"""A town's round walked end to end in Chromium, as a new user would: a resident proposes on a
390-px phone (a wrong entry first), the office shortlists, merges and prices, deliberation
notes and a deputy's comment, the 差额 refusal, five deputies vote on phones, the count, the
PDF sheet, implementation with a photo report and a deputy's urging."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from lianxin.core.clock import frozen_at
from lianxin.deputies.models import DeputyLevel
from lianxin.deputies.services import deputy_create
from lianxin.projects import services
from lianxin.projects.models import Candidate, CandidateStatus, ProgressPhoto, Proposal, Remark
from lianxin.projects.workflow import Status
from tests.conftest import browser_log_in
from tests.factories import UserFactory

START = datetime(2026, 11, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
RESIDENTS = (
    ("湖滨社区老楼加装电梯", "六层老楼没有电梯，七八十岁的老人下楼看病很难。"),
    ("柳岸社区老旧小区加装电梯", "老人腿脚不便，爬楼梯很吃力，希望装上电梯。"),
    ("社区老年食堂", "独居老人做饭不方便，希望有个离家近的食堂。"),
    ("背街小巷路灯补装", "小巷晚上没有路灯，下夜班回家的人摔倒过好几次。"),
)
# Candidates in order 1..4: lift 5 votes, canteen 4, lights 3, park 2 (3 of 5 needed).
CHOICES = (["1", "2", "3"], ["1", "2", "3"], ["1", "2", "4"], ["1", "2", "3"], ["1", "4"])


def _phone(new_context, live_server, user=None, locale="zh-CN"):
    context = new_context(viewport={"width": 390, "height": 844}, locale=locale, is_mobile=True, has_touch=True)
    page = context.new_page()
    if user is not None:
        browser_log_in(page, live_server, user)
    return page


def _desk(new_context, live_server, user):
    page = new_context(viewport={"width": 1366, "height": 900}, locale="en").new_page()
    browser_log_in(page, live_server, user)
    return page


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= 390


def _message(page) -> str:
    return page.locator(".messages, [role=alert]").first.inner_text()


def _act(page, name: str) -> None:
    page.locator(f"form[action$='/act/{name}'] button[type=submit]").click()
    page.wait_for_load_state()


def _add_candidate(page, url: str, title: str, proposals: list[str]) -> None:
    page.goto(url)
    page.locator("summary", has_text="Add a candidate").click()
    form = page.locator("form[action$='/act/add_candidate']")
    form.locator("input[name=add_candidate-title]").fill(title)
    for proposal in proposals:
        form.get_by_label(proposal, exact=True).check()
    _act(page, "add_candidate")
    assert "Candidate added." in _message(page)


def _jpeg(tmp_path) -> str:
    path = tmp_path / "site.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "steelblue").save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _town_round(world):
    electors = [
        deputy_create(
            name=f"镇代表{i}", station=world.station1, level=DeputyLevel.TOWN, user=UserFactory(username=f"town-{i}")
        )
        for i in range(5)
    ]
    case = world.opinion(text="望湖社区的共享单车堆得满地都是，人行道都被堵死了。")
    with frozen_at(START):
        round_ = services.round_create(
            place=world.town1, year=2026, title="东湖街道2026年民生实事项目", actor=world.office1
        )
        services.round_configure(round_=round_, actor=world.office1, seats=3, ratio="0.20")
        services.round_open_solicitation(round_=round_, actor=world.office1)
        for title, reason in RESIDENTS:
            services.proposal_submit(round_=round_, title=title, reason=reason)
        services.proposal_submit(
            round_=round_, title="新桥社区口袋公园", reason="空地长期堆放垃圾，建议改成小公园。", actor=electors[0].user
        )
        services.proposal_from_case(round_=round_, case=case, actor=world.office1, title="共享单车停放整治")
    return round_, electors


@pytest.mark.browser
def test_a_new_user_walks_a_town_round_from_proposal_to_urging(live_server, live_world, new_context, tmp_path):
    world = live_world
    round_, electors = _town_round(world)
    url = f"{live_server.url}/projects/rounds/{round_.pk}/"

    # A resident on a phone: a wrong entry is refused in Chinese and what was typed stays.
    resident = _phone(new_context, live_server)
    resident.goto(f"{live_server.url}/p/{round_.public_token}/")
    resident.fill("#id_title", "加")
    resident.fill("#id_reason", "太短")
    resident.fill("#id_contact_phone", "12345")
    resident.evaluate("() => { document.querySelector('form.intake').noValidate = true }")
    resident.locator("form.intake button[type=submit]").click()
    errors = resident.locator(".field-error").all_inner_texts()
    assert "请至少填写2个字。" in errors[0] and "请至少填写10个字。" in errors[1] and "11位手机号码" in errors[2]
    assert resident.input_value("#id_reason") == "太短" and resident.input_value("#id_contact_phone") == "12345"
    assert _fits(resident)
    resident.fill("#id_title", "春晖社区老楼加装电梯")
    resident.fill("#id_reason", "春晖社区都是七层老楼，没有电梯，老人出门要靠邻居背下楼。")
    resident.fill("#id_contact_phone", "138 0000 1234")
    resident.locator("form.intake button[type=submit]").click()
    resident.wait_for_load_state()
    assert Proposal.objects.filter(round=round_, title="春晖社区老楼加装电梯", contact_phone="13800001234").exists()
    resident.context.close()

    # The office shortlists: three candidates, two more proposals merged, cost and department.
    office = _desk(new_context, live_server, world.office1)
    office.goto(url)
    _act(office, "close_solicitation")
    _add_candidate(office, url, "老旧小区加装电梯", ["湖滨社区老楼加装电梯"])
    _add_candidate(office, url, "社区老年食堂", ["社区老年食堂"])
    _add_candidate(office, url, "背街小巷路灯补装", ["背街小巷路灯补装"])
    office.locator("summary", has_text="Merge proposals").click()
    merge = office.locator("form[action$='/act/merge']")
    merge.locator("select").select_option(label="老旧小区加装电梯")
    merge.get_by_label("柳岸社区老旧小区加装电梯", exact=True).check()
    merge.get_by_label("春晖社区老楼加装电梯", exact=True).check()
    _act(office, "merge")
    lift = Candidate.objects.get(round=round_, title="老旧小区加装电梯")
    assert lift.proposals.count() == 3
    office.get_by_role("link", name="老旧小区加装电梯").click()
    office.fill("input[name=cost]", "240")
    office.select_option("select[name=department]", label=world.dept_a.name)
    office.fill("textarea[name=feasibility]", "3栋楼具备加装条件，业主同意率超过三分之二。")
    office.locator("form.form button.primary").first.click()
    office.wait_for_url(url)
    lift.refresh_from_db()
    assert lift.cost == 240 and lift.department == world.dept_a

    # Deliberation: the meeting's notes, a deputy's comment from a phone.
    _act(office, "send_to_deliberation")
    office.locator("summary", has_text="Meeting notes").click()
    office.locator("form[action$='/act/meeting_note'] textarea").fill("议政会逐项审议了3个候选项目。")
    _act(office, "meeting_note")
    deputy = _phone(new_context, live_server, electors[0].user)
    deputy.goto(url)
    deputy.locator("form[action$='/act/comment'] textarea").fill("加装电梯群众呼声最高，建议优先安排。")
    deputy.locator("form[action$='/act/comment'] select").select_option(label="老旧小区加装电梯")
    _act(deputy, "comment")
    assert _fits(deputy)
    deputy.context.close()
    assert Remark.objects.filter(round=round_).count() == 2

    # The 差额 rule refuses three candidates for three places; a fourth makes the ballot.
    office.goto(url)
    _act(office, "open_ballot")
    assert "Nothing was saved" in _message(office)  # the notice on top, the reason in the open form
    assert "at least 4 candidates are needed; there are 3" in office.locator("#act-open_ballot").inner_text()
    _add_candidate(office, url, "新桥社区口袋公园", ["新桥社区口袋公园"])
    _act(office, "open_ballot")
    round_.refresh_from_db()
    assert round_.status == Status.BALLOTING

    # Five deputies vote on their phones from the round page.
    for elector, positions in zip(electors, CHOICES, strict=True):
        phone = _phone(new_context, live_server, elector.user)
        phone.goto(url)
        phone.locator(f"a[href='/ballots/{round_.ballot_id}/vote/']").click()
        for position in positions:
            phone.locator(f"input[name=choice][value='{position}']").check()
        phone.locator("[data-review]").click()
        phone.locator("[data-confirm]").click()
        assert phone.locator("[data-receipt]").inner_text()
        assert _fits(phone)
        phone.context.close()

    # The office closes and counts: results, the PDF sheet, the adopted marked.
    office.goto(url)
    _act(office, "close_ballot")
    assert "no tie, no shortfall" in office.locator("main").inner_text()
    assert office.locator("input[name=decide-note], textarea[name=decide-note]").count() == 0
    statuses = dict(Candidate.objects.filter(round=round_).values_list("title", "status"))
    assert statuses == {
        "老旧小区加装电梯": CandidateStatus.ADOPTED,
        "社区老年食堂": CandidateStatus.ADOPTED,
        "背街小巷路灯补装": CandidateStatus.ADOPTED,
        "新桥社区口袋公园": CandidateStatus.NOT_ADOPTED,
    }
    office.get_by_role("link", name="Full result").click()
    assert "社区老年食堂" in office.locator("[data-adopted]").inner_text()
    with office.expect_download() as download:
        office.locator("[data-pdf]").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # Implementation: the plan, a photo report by the lead department, a supervisor urges.
    office.goto(url)
    _act(office, "start_implementation")
    office.goto(f"{live_server.url}/projects/projects/{lift.pk}/")
    office.locator("summary", has_text="Plan").click()
    plan = office.locator("form[action$='/act/plan']")
    plan.locator("select").select_option(label=world.dept_a.name)
    plan.get_by_label(electors[0].name).check()
    _act(office, "plan")
    handler = _phone(new_context, live_server, world.handler_a)
    handler.goto(f"{live_server.url}/projects/projects/{lift.pk}/")
    handler.locator("summary", has_text="报告进度").click()  # the phone is in Chinese
    handler.locator("form[action$='/act/progress'] textarea").fill("电梯井道施工队已进场。")
    handler.fill("input[name=progress-percent_done]", "20")
    handler.locator("input[name=progress-photos]").set_input_files(_jpeg(tmp_path))
    _act(handler, "progress")
    assert handler.locator(".photos img").count() == 1 and _fits(handler)
    assert ProgressPhoto.objects.filter(report__project=lift).count() == 1
    supervisor = _phone(new_context, live_server, electors[0].user)
    supervisor.goto(f"{live_server.url}/projects/projects/{lift.pk}/")
    supervisor.locator("form[action$='/act/urge'] textarea").fill("柳岸社区2号楼还没开工，请说明时间安排。")
    _act(supervisor, "urge")
    assert "柳岸社区2号楼还没开工" in supervisor.locator(".timeline").inner_text() and _fits(supervisor)
