"""Steps taken from the round and project pages as the walk-through found them: notes and
comments from their forms, photos with a progress report, no decision form without a tie."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lianxin.projects.models import Candidate, ProgressPhoto, Remark
from lianxin.projects.workflow import Status

from .conftest import adopted_project, at_status


def _jpeg(name: str = "site.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def deliberating(world, round_):
    at_status(round_, Status.DELIBERATION)
    return round_


def test_office_saves_meeting_notes_from_the_page(client, world, deliberating):
    client.force_login(world.office1)
    url = reverse("projects:act", args=[deliberating.pk, "meeting_note"])
    response = client.post(url, {"meeting_note-text": "议政会逐项审议了候选项目。"})
    assert response.status_code == 302
    assert Remark.objects.get().kind == Remark.Kind.MEETING_NOTE


def test_deputy_comments_on_a_candidate_from_the_page(client, world, deliberating, town_deputies):
    candidate = Candidate.objects.create(round=deliberating, title="社区老年食堂")
    client.force_login(town_deputies[0].user)
    url = reverse("projects:act", args=[deliberating.pk, "comment"])
    response = client.post(url, {"comment-text": "建议优先安排。", "comment-candidate": candidate.pk})
    assert response.status_code == 302
    remark = Remark.objects.get()
    assert remark.kind == Remark.Kind.COMMENT and remark.candidate == candidate and remark.deputy == town_deputies[0]


def test_handler_reports_progress_with_photos_from_the_page(client, world, round_):
    at_status(round_, Status.IMPLEMENTING)
    project = adopted_project(round_, world)
    client.force_login(world.handler_a)
    url = reverse("projects:project_act", args=[project.pk, "progress"])
    data = {"progress-text": "电梯井道施工队已进场。", "progress-percent_done": "20"}
    response = client.post(url, {**data, "progress-photos": [_jpeg("a.jpg"), _jpeg("b.jpg")]})
    assert response.status_code == 302
    assert ProgressPhoto.objects.filter(report__project=project).count() == 2
    assert client.post(url, data).status_code == 302  # photos stay optional
    too_many = client.post(url, {**data, "progress-photos": [_jpeg() for _ in range(4)]})
    assert too_many.status_code == 400 and ProgressPhoto.objects.count() == 2
    assert "please attach them again" in too_many.content.decode() or "请重新添加" in too_many.content.decode()


def test_no_decision_form_after_a_ballot_without_tie_or_shortfall(client, world, round_):
    at_status(round_, Status.COUNTED)
    adopted_project(round_, world)
    type(round_).objects.filter(pk=round_.pk).update(results={"adopted": [], "ties": [], "shortfall": 0, "electors": 5})
    client.force_login(world.office1)
    page = client.get(reverse("projects:round", args=[round_.pk])).content.decode()
    assert 'name="decide-note"' not in page
    type(round_).objects.filter(pk=round_.pk).update(needs_decision=True, results={"ties": [], "shortfall": 1})
    page = client.get(reverse("projects:round", args=[round_.pk])).content.decode()
    assert 'name="decide-note"' in page and 'class="notice warning"' in page
    type(round_).objects.filter(pk=round_.pk).update(needs_decision=False)  # decided
    page = client.get(reverse("projects:round", args=[round_.pk])).content.decode()
    assert 'name="decide-note"' not in page and 'class="notice warning"' not in page


def test_project_lists_name_the_rounds_place(client, world, round_):
    at_status(round_, Status.IMPLEMENTING)
    adopted_project(round_, world)
    client.force_login(world.handler_a)
    page = client.get(reverse("projects:list")).content.decode()
    assert "东湖街道 · 2026" in page


def test_the_vote_button_is_for_the_electors_only(client, world, round_, town_deputies):
    from lianxin.projects import services
    from lianxin.projects.ballot import round_open_ballot

    services.round_configure(round_=round_, actor=world.office1, seats=1)
    at_status(round_, Status.SHORTLISTING)
    for title in ("加装电梯", "口袋公园"):
        services.candidate_create(round_=round_, actor=world.office1, title=title)
    services.round_send_to_deliberation(round_=round_, actor=world.office1)
    round_open_ballot(round_=round_, actor=world.office1)
    round_.refresh_from_db()
    vote = reverse("ballots:vote", args=[round_.ballot_id])
    client.force_login(town_deputies[0].user)
    assert vote in client.get(reverse("projects:round", args=[round_.pk])).content.decode()
    for user in (world.office1, world.deputy_user):  # the office; a district deputy in the town
        client.force_login(user)
        page = client.get(reverse("projects:round", args=[round_.pk])).content.decode()
        assert vote not in page and reverse("ballots:detail", args=[round_.ballot_id]) in page


def test_a_candidate_made_from_proposals_starts_with_the_first_ones_place_and_reason(client, world, round_):
    from lianxin.projects import services

    services.round_open_solicitation(round_=round_, actor=world.office1)
    proposal, _new = services.proposal_submit(
        round_=round_, title="加装电梯", location="东湖社区3号楼", reason="老楼没有电梯，老人上下楼困难。"
    )
    at_status(round_, Status.SHORTLISTING)
    client.force_login(world.office1)
    url = reverse("projects:act", args=[round_.pk, "add_candidate"])
    response = client.post(url, {"add_candidate-title": "老旧小区加装电梯", "add_candidate-proposals": [proposal.pk]})
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert (candidate.location, candidate.description) == ("东湖社区3号楼", "老楼没有电梯，老人上下楼困难。")


def test_a_refused_form_comes_back_open_with_a_notice_and_what_was_typed(client, world, round_):
    at_status(round_, Status.SHORTLISTING)
    client.force_login(world.office1)
    url = reverse("projects:act", args=[round_.pk, "add_candidate"])
    response = client.post(url, {"add_candidate-title": "灯"})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<details id="act-add_candidate" open>' in page and 'href="#act-add_candidate"' in page
    assert 'value="灯"' in page and '<details id="act-merge">' in page  # the others stay closed


def test_a_refused_look_back_keeps_its_text_in_its_own_form(client, world, round_, now):
    from datetime import timedelta

    from lianxin.projects import services_implementation as impl

    project = adopted_project(round_, world)
    at_status(round_, Status.LOOK_BACK)
    first = impl.look_back_schedule(project=project, actor=world.office1, scheduled_on=now.date() + timedelta(days=30))
    second = impl.look_back_schedule(project=project, actor=world.office1, scheduled_on=now.date() + timedelta(days=60))
    client.force_login(world.office1)
    url = reverse("projects:project_act", args=[project.pk, "inspect"])
    response = client.post(url, {"inspect-inspection": second.pk, "inspect-findings": "好 "})
    page = response.content.decode()
    assert response.status_code == 400 and page.count('id="act-inspect"') == 1
    mine = page.split(f'name="inspect-inspection" value="{second.pk}"')[1].split("</form>")[0]
    assert "好" in mine.split("<textarea")[1] and 'role="alert"' in mine
    other = page.split(f'name="inspect-inspection" value="{first.pk}"')[1].split("</form>")[0]
    assert 'role="alert"' not in other and "></textarea>" in other


def test_proposal_ticks_say_which_candidate_already_answers_them(client, world, round_):
    from lianxin.projects.models import Proposal

    at_status(round_, Status.SHORTLISTING)
    lift = Candidate.objects.create(round=round_, title="老旧小区加装电梯")
    Proposal.objects.create(round=round_, kind="daily", source="resident", title="五号楼加装电梯", candidate=lift)
    Proposal.objects.create(round=round_, kind="daily", source="resident", title="社区食堂")
    client.force_login(world.office1)
    page = client.get(reverse("projects:round", args=[round_.pk])).content.decode()
    assert "五号楼加装电梯（已并入：老旧小区加装电梯）" in page or "五号楼加装电梯 (now in: 老旧小区加装电梯)" in page
    assert '<fieldset class="choices"><legend>' in page and '<label class="check" for=""' not in page


def test_after_the_ballot_the_round_page_leads_with_the_projects_and_folds_the_solicitation(client, world, round_):
    client.force_login(world.office1)
    url = reverse("projects:round", args=[round_.pk])
    page = client.get(url).content.decode()
    assert page.index('id="solicitation"') < page.index('id="candidates"')
    at_status(round_, Status.IMPLEMENTING)
    page = client.get(url).content.decode()
    solicitation = page.index('id="solicitation"')
    assert solicitation > page.index('id="candidates"') and "<details><summary><h2" in page[solicitation:]


def test_office_moves_a_milestone_from_the_page_and_a_refusal_keeps_the_reason(client, world, round_):
    from datetime import date

    from lianxin.projects import services_implementation as impl

    at_status(round_, Status.IMPLEMENTING)
    project = adopted_project(round_, world)
    milestone = impl.milestone_add(project=project, actor=world.office1, title="开工", due_on=date(2026, 3, 1))
    url = reverse("projects:project_act", args=[project.pk, "milestone_reschedule"])
    data = {"milestone_reschedule-milestone": milestone.pk, "milestone_reschedule-reason": "招标流标，重新招标"}
    client.force_login(world.handler_a)
    assert (
        'id="act-milestone_reschedule"'
        not in client.get(reverse("projects:project", args=[project.pk])).content.decode()
    )
    assert client.post(url, {**data, "milestone_reschedule-due_on": "2026-05-01"}).status_code == 403
    client.force_login(world.office1)
    refused = client.post(url, {**data, "milestone_reschedule-due_on": "2019-05-01"})
    assert refused.status_code == 400 and "招标流标，重新招标" in refused.content.decode()
    assert client.post(url, {**data, "milestone_reschedule-due_on": "2026-05-01"}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.due_on == date(2026, 5, 1)


@pytest.mark.parametrize(
    ("status", "says_progress_stops"),
    [(Status.IMPLEMENTING, True), (Status.EVALUATING, False), (Status.LOOK_BACK, False)],
)
def test_steps_after_implementation_name_the_unfinished_projects(client, world, round_, status, says_progress_stops):
    lift = adopted_project(round_, world)
    Candidate.objects.filter(pk=lift.pk).update(percent_done=15)
    done = adopted_project(round_, world, title="文化广场路灯更新")
    Candidate.objects.filter(pk=done.pk).update(percent_done=100)
    at_status(round_, status)
    client.force_login(world.office1)
    page = client.get(reverse("projects:round", args=[round_.pk])).content.decode()
    warning = re.search(r'<div class="notice warning" id="unfinished">(.*?)</div>', page, re.S).group(1)
    items = re.findall(r'<li><a href="([^"]+)">([^<]+)</a> — (\d+)%</li>', warning)
    assert items == [(reverse("projects:project", args=[lift.pk]), "东湖社区加装电梯", "15")]
    assert (warning.count("<p>") == 2) is says_progress_stops


def test_no_unfinished_warning_when_every_adopted_project_is_done(client, world, round_):
    done = adopted_project(round_, world)
    Candidate.objects.filter(pk=done.pk).update(percent_done=100)
    at_status(round_, Status.IMPLEMENTING)
    client.force_login(world.office1)
    assert 'id="unfinished"' not in client.get(reverse("projects:round", args=[round_.pk])).content.decode()
