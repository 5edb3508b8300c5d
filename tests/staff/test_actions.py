"""Each action form of the case page, through the views: happy paths, errors, conflicts."""

from datetime import timedelta

from django.utils import timezone

from lianxin.cases import services
from lianxin.cases.models import Case, CaseFollow, CasePhoto
from lianxin.cases.workflow import Status
from lianxin.core import clock
from tests.staff.conftest import assigned_to_a, in_progress_at_a, jpeg_upload


def _act(client, case, action: str, data: dict | None = None):
    return client.post(f"/desk/cases/{case.pk}/act/{action}", data or {})


def test_case_travels_triage_assign_accept_progress_reply_through_the_forms(world, as_user):
    case = world.opinion()
    office, handler = as_user(world.office1), as_user(world.handler_a)

    response = _act(office, case, "triage", {"triage-category": world.category.pk, "triage-urgency": "urgent"})
    assert response.status_code == 302 and response["Location"] == f"/desk/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.status == Status.TRIAGED and case.urgency == "urgent" and case.category == world.category

    due = timezone.localtime(clock.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = {"assign-department": world.dept_a.pk, "assign-helpers": [world.dept_b.pk], "assign-due_at": due}
    assert _act(office, case, "assign", data).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and case.lead_department == world.dept_a
    assert list(case.helper_departments.all()) == [world.dept_b]
    assert timezone.localtime(case.due_at).strftime("%Y-%m-%dT%H:%M") == due

    assert _act(handler, case, "accept", {"accept-note": "已接收"}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS

    progress = {"progress-note": "已到现场查看", "progress-photos": [jpeg_upload()]}
    assert _act(handler, case, "progress", progress).status_code == 302
    event = case.events.get(action="progress")
    assert CasePhoto.objects.filter(event=event).count() == 1

    reply = {"reply-text": "路灯已于今日更换完毕，请您查看。"}
    response = _act(handler, case, "reply", reply)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REPLIED and case.reply_text == reply["reply-text"]
    page = handler.get(response["Location"]).content.decode()
    assert "The reply is sent to the resident." in page


def test_progress_note_is_internal_unless_the_public_box_is_ticked(world, as_user):
    case = in_progress_at_a(world)
    handler = as_user(world.handler_a)
    _act(handler, case, "progress", {"progress-note": "内部协调中"})
    _act(handler, case, "progress", {"progress-note": "已安排施工", "progress-public": "on"})
    notes = dict(case.events.filter(action="progress").values_list("note", "public"))
    assert notes == {"内部协调中": False, "已安排施工": True}


def test_progress_form_offers_the_public_toggle_ticked_by_default(world, as_user):
    case = in_progress_at_a(world)
    html = as_user(world.handler_a).get(f"/desk/cases/{case.pk}/").content.decode()
    assert 'name="progress-public" id="id_progress-public" checked' in html


def test_return_with_an_empty_reason_keeps_the_form_and_shows_the_error(world, as_user):
    case = assigned_to_a(world)
    handler = as_user(world.handler_a)
    response = _act(handler, case, "return", {"return-reason": "  "})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Please give a reason." in html
    assert f'action="/desk/cases/{case.pk}/act/return"' in html
    assert Case.objects.get(pk=case.pk).status == Status.ASSIGNED


def test_return_with_a_reason_sends_the_case_back_to_the_office(world, as_user):
    case = assigned_to_a(world)
    response = _act(as_user(world.handler_a), case, "return", {"return-reason": "不属于我局职责，请转交区城管局。"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.RETURNED and case.lead_department is None
    # The department no longer sees it; the office finds it in its "returned" queue.
    assert as_user(world.handler_a).get(f"/desk/cases/{case.pk}/").status_code == 404
    assert case.tracking_code[:4] in as_user(world.office1).get("/desk/?queue=returned").content.decode()


def test_service_refusal_keeps_the_typed_text_with_the_message(world, as_user):
    case = in_progress_at_a(world)
    response = _act(as_user(world.handler_a), case, "reply", {"reply-text": "好的"})  # under 5 characters
    html = response.content.decode()
    assert response.status_code == 400
    assert "好的</textarea>" in html
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_stale_form_shows_the_conflict_message_and_keeps_the_text(world, as_user):
    case = world.opinion()
    office = as_user(world.office1)
    office.get(f"/desk/cases/{case.pk}/")  # the page shows "submitted"
    services.case_reject(case=case, actor=world.district_office, reason="重复反映，已另案处理")
    response = _act(office, case, "resolve_on_spot", {"resolve_on_spot-reason": "代表现场协调解决了"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this case a moment ago. Please reload it." in html
    assert "代表现场协调解决了" in html
    case.refresh_from_db()
    assert case.resolution == "not_admissible" and case.closing_reason == "重复反映，已另案处理"


def test_form_rendered_at_an_older_status_is_refused_as_stale(world, as_user):
    case = assigned_to_a(world)
    services.case_accept(case=case, actor=world.handler_a)
    # Reassigning is still allowed in progress, but the office's page showed "assigned".
    response = _act(
        as_user(world.office1),
        case,
        "reassign",
        {"reassign-department": world.dept_b.pk, "reassign-seen_status": "assigned"},
    )
    assert response.status_code == 409
    assert "Someone else changed this case" in response.content.decode()
    assert Case.objects.get(pk=case.pk).lead_department == world.dept_a
    # The re-rendered form carries the current status, so sending it again works.
    assert 'name="reassign-seen_status" value="in_progress"' in response.content.decode()


def test_link_duplicate_by_tracking_code(world, as_user):
    original = world.opinion()
    duplicate = world.opinion(text="小区门口的路灯也坏了，请尽快修理。")
    office = as_user(world.office1)
    typed = f"{original.tracking_code[:4].lower()}-{original.tracking_code[4:]}"
    assert _act(office, duplicate, "link_duplicate", {"link_duplicate-original": typed}).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original
    page = office.get(f"/desk/cases/{original.pk}/").content.decode()
    assert f"/desk/cases/{duplicate.pk}/" in page


def test_link_duplicate_to_a_case_out_of_scope_is_refused(world, as_user):
    elsewhere = world.opinion(place=world.community2)
    case = world.opinion()
    response = _act(
        as_user(world.office1), case, "link_duplicate", {"link_duplicate-original": elsewhere.tracking_code}
    )
    assert response.status_code == 400
    assert "No case with this tracking code is visible to you." in response.content.decode()
    assert Case.objects.get(pk=case.pk).duplicate_of is None


def test_assign_to_a_department_outside_the_list_is_refused(world, as_user):
    from lianxin.places.services import department_create, place_create

    other_district = place_create(code="d2", name="别区")
    foreign = department_create(code="far", name="别区住建局", place=other_district)
    case = world.opinion()
    services.case_triage(case=case, actor=world.office1, category=world.category)
    response = _act(as_user(world.office1), case, "assign", {"assign-department": foreign.pk})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Status.TRIAGED


def test_reject_and_resolve_on_spot_close_with_the_reason(world, as_user):
    rejected, resolved = world.opinion(), world.opinion()
    office = as_user(world.office1)
    assert _act(office, rejected, "reject", {"reject-reason": "属于司法程序，不予受理"}).status_code == 302
    assert _act(office, resolved, "resolve_on_spot", {"resolve_on_spot-reason": "已现场解决"}).status_code == 302
    rejected.refresh_from_db()
    resolved.refresh_from_db()
    assert (rejected.status, rejected.resolution) == (Status.CLOSED, "not_admissible")
    assert (resolved.status, resolved.resolution) == (Status.CLOSED, "on_spot")


def test_deputy_follows_and_urges_a_case(world, as_user):
    case = assigned_to_a(world)
    deputy = as_user(world.deputy_user)
    assert _act(deputy, case, "follow").status_code == 302
    assert CaseFollow.objects.filter(case=case, user=world.deputy_user).exists()
    page = deputy.get(f"/desk/cases/{case.pk}/").content.decode()
    assert "/act/follow" not in page  # already following: no second follow form
    assert _act(deputy, case, "urge", {"urge-note": "请尽快处理，居民反映强烈"}).status_code == 302
    assert case.events.filter(action="urge").exists()


def test_internal_note_is_marked_internal_on_the_timeline(world, as_user):
    case = world.opinion()
    office = as_user(world.office1)
    assert _act(office, case, "note", {"note-note": "已电话联系居民"}).status_code == 302
    html = office.get(f"/desk/cases/{case.pk}/").content.decode()
    assert 'class="internal"' in html and "已电话联系居民" in html


def test_close_and_adopt_after_the_reply(world, as_user):
    case = in_progress_at_a(world)
    services.case_reply(case=case, actor=world.handler_a, text="已采纳建议，将于下月施工。")
    office = as_user(world.office1)
    assert _act(office, case, "adopt").status_code == 302
    assert _act(office, case, "close", {"close-note": "居民未评价"}).status_code == 302
    case.refresh_from_db()
    assert case.adopted and case.status == Status.CLOSED
    page = office.get(f"/desk/cases/{case.pk}/").content.decode()
    assert "/act/adopt" not in page


def test_case_page_offers_only_the_actions_allowed_now(world, as_user):
    case = assigned_to_a(world)
    html = as_user(world.handler_a).get(f"/desk/cases/{case.pk}/").content.decode()
    offered = {a for a in ["accept", "return", "note", "reply", "progress", "triage", "assign"] if f'/act/{a}"' in html}
    assert offered == {"accept", "return", "note"}


def test_posting_an_action_not_possible_now_shows_the_conflict(world, as_user):
    case = in_progress_at_a(world)
    response = _act(as_user(world.handler_a), case, "accept", {"accept-note": "收到"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this case" in html and "收到" in html
