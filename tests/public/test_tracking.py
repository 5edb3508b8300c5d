"""Following an opinion with its tracking code: what the resident sees, and what never shows."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from lianxin.cases import services
from lianxin.cases.models import CasePhoto
from lianxin.cases.photos import ProcessedPhoto
from lianxin.core import clock
from lianxin.core.codes import format_tracking_code

TZ = ZoneInfo("Asia/Shanghai")


def page_of(client, case, query: str = "") -> str:
    response = client.get(f"/t/{case.tracking_code}{query}")
    assert response.status_code == 200
    return response.content.decode()


# --- lookup ---------------------------------------------------------------------------------


def test_lookup_page_has_a_labelled_code_box(client, world):
    page = client.get("/t/").content.decode()
    assert '<label for="id_code">' in page and 'name="code"' in page


@pytest.mark.parametrize("typed", ["{lower}", " {dashed} ", "{spaced}"])
def test_lookup_accepts_lower_case_spaces_and_dashes(client, world, typed):
    case = world.opinion()
    code = case.tracking_code
    typed = typed.format(lower=code.lower(), dashed=format_tracking_code(code), spaced=f"{code[:4]} {code[4:]}".lower())
    response = client.get("/t/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/t/{code}"


def test_lookup_of_an_unknown_code_says_so_and_keeps_what_was_typed(client, world):
    response = client.get("/t/", {"code": "zzzz-zzzz"})
    page = response.content.decode()
    assert response.status_code == 404
    assert "No opinion has the tracking code “zzzz-zzzz”" in page and 'value="zzzz-zzzz"' in page
    assert 'aria-describedby="id_code_helptext id_code_error"' in page


def test_unknown_code_in_the_address_gives_a_404_with_the_lookup_form(client, world):
    response = client.get("/t/BBBBBBBB")
    assert response.status_code == 404
    assert 'name="code"' in response.content.decode()


def test_code_in_the_address_is_made_canonical(client, world):
    case = world.opinion()
    response = client.get(f"/t/{format_tracking_code(case.tracking_code).lower()}?new=1")
    assert response.status_code == 302 and response["Location"] == f"/t/{case.tracking_code}?new=1"


# --- the tracking page ----------------------------------------------------------------------


def test_receipt_is_shown_only_right_after_sending(client, world):
    case = world.opinion()
    assert "Your tracking code is" in page_of(client, case, "?new=1")
    assert "Your tracking code is" not in page_of(client, case)


def test_tracking_page_shows_status_category_community_and_time_left(client, world):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    with clock.frozen_at(start):
        case = world.opinion(place=world.grid1, category=world.category)
    with clock.frozen_at(start + timedelta(hours=10)):
        page = page_of(client, case)
    assert '<span class="status submitted">Submitted</span>' in page
    assert world.category.name_en in page
    assert "东湖社区" in page and "东湖一网格" not in page  # the community, never the grid
    assert "2026-03-02 09:00" in page
    assert "1 day, 14 hours left (by 2026-03-04 09:00)" in page.replace("\xa0", " ")


def test_tracking_page_says_overdue_after_the_deadline(client, world):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    with clock.frozen_at(start):
        case = world.opinion()
    with clock.frozen_at(start + timedelta(hours=48)):
        assert "left (by" in page_of(client, case)  # exactly at the deadline: not yet overdue
    with clock.frozen_at(start + timedelta(hours=48, minutes=1)):
        page = page_of(client, case)
    assert '<span class="overdue">Overdue</span>' in page and "left (by" not in page


def test_tracking_page_never_shows_personal_data_or_staff_names(client, world):
    case = world.opinion(
        text="我的电话是13812345678，路灯坏了。",
        contact_name="张三丰",
        contact_phone="13987654321",
        contact_email="zhang@example.org",
    )
    services.case_triage(case=case, actor=world.office1, category=world.category, note="分类备注：内部")
    services.case_add_note(case=case, actor=world.office1, note="内部备注：此人多次反映")
    services.case_assign(case=case, actor=world.office1, department=world.dept_a, note="交办备注：内部")
    services.case_return(case=case, actor=world.handler_a, reason="退回理由：不属于本局")
    page = page_of(client, case)
    for secret in ("张三丰", "13987654321", "13812345678", "zhang@example.org"):
        assert secret not in page
    for internal in ("内部备注", "退回理由", "分类备注", "交办备注", "Returned by the department", "Internal note"):
        assert internal not in page
    for person in (world.office1, world.handler_a):
        assert person.display_name not in page and person.username not in page
    assert "***********" in page  # the phone in the text is masked, not dropped silently


def test_public_timeline_shows_steps_departments_and_the_reply(client, world, replied):
    page = page_of(client, replied)
    assert "Assigned" in page and "Accepted by the department" in page and "区住建局" in page
    assert page.count("已安排维修人员更换路灯，三日内完成。") == 2  # the reply box and the timeline
    assert '<span class="status replied">Replied</span>' in page


def test_public_progress_notes_show_and_internal_ones_do_not(client, world):
    case = world.opinion()
    services.case_triage(case=case, actor=world.office1, category=world.category)
    services.case_assign(case=case, actor=world.office1, department=world.dept_a)
    services.case_accept(case=case, actor=world.handler_a)
    services.case_add_progress(case=case, actor=world.handler_a, note="已派人现场查看", public=True)
    services.case_add_progress(case=case, actor=world.handler_a, note="内部：等待预算", public=False)
    page = page_of(client, case)
    assert "已派人现场查看" in page and "内部：等待预算" not in page


def test_case_resolved_on_the_spot_shows_the_closing_reason(client, world):
    case = world.opinion()
    services.case_resolve_on_spot(case=case, actor=world.deputy_user, reason="代表现场协调，物业已修好路灯。")
    page = page_of(client, case)
    assert "Resolved on the spot" in page and "代表现场协调，物业已修好路灯。" in page
    assert "left (by" not in page and "Rate the reply" not in page


def test_not_admissible_case_shows_the_reason(client, world):
    case = world.opinion()
    services.case_reject(case=case, actor=world.office1, reason="属于司法程序，请通过法院解决。")
    page = page_of(client, case)
    assert "Not admissible" in page and "属于司法程序，请通过法院解决。" in page


def test_rating_form_appears_only_once_replied(client, world, replied):
    assert "Rate the reply" not in page_of(client, world.opinion())
    page = page_of(client, replied)
    assert "Rate the reply" in page and "we will ask the department to handle it again" in page
    assert page.count('type="radio" name="stars"') == 5


def _jpeg() -> ProcessedPhoto:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="JPEG")
    return ProcessedPhoto(buffer.getvalue(), 10, 10)


def test_department_reply_photos_are_public_and_residents_photos_are_not(client, world):
    case, _ = services.case_submit(
        channel="station_qr", place=world.community1, station=world.station1, text="路灯坏了三个月", photos=[_jpeg()]
    )
    services.case_triage(case=case, actor=world.office1, category=world.category)
    services.case_assign(case=case, actor=world.office1, department=world.dept_a)
    services.case_accept(case=case, actor=world.handler_a)
    services.case_reply(case=case, actor=world.handler_a, text="已修好，见照片。", photos=[_jpeg()])
    resident_photo = CasePhoto.objects.get(public=False)
    reply_photo = CasePhoto.objects.get(public=True)
    page = page_of(client, case)
    assert f"/t/{case.tracking_code}/photos/{reply_photo.pk}" in page
    assert f"/photos/{resident_photo.pk}" not in page
    response = client.get(f"/t/{case.tracking_code}/photos/{reply_photo.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client.get(f"/t/{case.tracking_code}/photos/{resident_photo.pk}").status_code == 404
    other = world.opinion()
    assert client.get(f"/t/{other.tracking_code}/photos/{reply_photo.pk}").status_code == 404
