"""The reply check on the case page: the handler is warned, keeps the text, and may send anyway."""

from django.test import Client

from lianxin.cases.models import Case
from lianxin.cases.workflow import Status
from tests.staff.conftest import in_progress_at_a, jpeg_upload

OPINION = "小区东门的路灯坏了三个多月，晚上老人出门很不安全，希望尽快修好。"
BRUSH_OFF = "您好，您的留言已收悉，感谢您的关心和支持。"
GOOD_REPLY = "已安排维修人员核查，本周内更换东门路灯。"


def _reply(client: Client, case: Case, text: str, **extra):
    return client.post(f"/desk/cases/{case.pk}/act/reply", {"reply-text": text, **extra})


def test_a_brush_off_is_shown_again_with_the_warnings_and_the_text_kept(world, as_user):
    case = in_progress_at_a(world, text=OPINION)
    response = _reply(as_user(world.handler_a), case, BRUSH_OFF)
    html = response.content.decode()
    assert response.status_code == 400
    assert f"{BRUSH_OFF}</textarea>" in html
    assert 'class="notice warning reply-warnings"' in html
    assert "It does not mention what the opinion is about; not mentioned: " in html and "路灯" in html
    assert "It promises nothing concrete" in html
    assert 'name="reply-confirm"' in html and "Send the reply as it is" in html
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS


def test_ticking_send_as_it_is_sends_the_reply_despite_the_warnings(world, as_user):
    case = in_progress_at_a(world, text=OPINION)
    response = _reply(as_user(world.handler_a), case, BRUSH_OFF, **{"reply-confirm": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REPLIED and case.reply_text == BRUSH_OFF


def test_a_concrete_reply_on_the_topic_goes_straight_through(world, as_user):
    case = in_progress_at_a(world, text=OPINION)
    response = _reply(as_user(world.handler_a), case, GOOD_REPLY)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REPLIED and case.reply_text == GOOD_REPLY


def test_the_send_anyway_box_is_offered_only_after_a_warning(world, as_user):
    case = in_progress_at_a(world, text=OPINION)
    html = as_user(world.handler_a).get(f"/desk/cases/{case.pk}/").content.decode()
    assert 'name="reply-text"' in html
    assert 'name="reply-confirm"' not in html and "reply-warnings" not in html


def test_a_changed_reply_is_checked_again_until_the_box_is_ticked(world, as_user):
    case = in_progress_at_a(world, text=OPINION)
    handler = as_user(world.handler_a)
    assert _reply(handler, case, BRUSH_OFF).status_code == 400
    # The box was shown but left unticked: the (still poor) reply is warned about again.
    assert _reply(handler, case, BRUSH_OFF + "我们会尽快处理。").status_code == 400
    assert _reply(handler, case, GOOD_REPLY).status_code == 302


def test_photos_must_be_attached_again_after_a_warning(world, as_user):
    case = in_progress_at_a(world, text=OPINION)
    response = _reply(as_user(world.handler_a), case, BRUSH_OFF, **{"reply-photos": [jpeg_upload()]})
    assert response.status_code == 400
    assert "Photos cannot be kept when the form is shown again" in response.content.decode()


def test_too_short_is_explained_with_the_usual_length(world, as_user):
    more = "东门是小区的主要出入口，每天晚上都有很多老人和孩子经过，之前已经有人摔倒过。"
    long_opinion = OPINION + more * 3
    case = in_progress_at_a(world, text=long_opinion)
    response = _reply(as_user(world.handler_a), case, "已收悉，路灯。")
    html = response.content.decode()
    assert response.status_code == 400
    assert "It is much shorter than replies to opinions like this one: 2 characters of content" in html


def test_the_chinese_page_shows_the_warnings_and_the_box(world):
    case = in_progress_at_a(world, text=OPINION)
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(world.handler_a)
    response = _reply(client, case, BRUSH_OFF)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'lang="zh-Hans"' in html and "发送答复" in html  # the page itself is in Chinese
    assert "reply-warnings" in html and 'name="reply-confirm"' in html
    assert f"{BRUSH_OFF}</textarea>" in html
