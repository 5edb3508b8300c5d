"""The whole closed loop in Chromium, as its people do it.

A resident opens a deputy's QR link on a phone, sends an opinion with a photo and gets a
tracking code; the town's congress office triages and assigns it; the department accepts
and replies; the resident rates 2 stars and the case goes back to the department; the
department replies again; the resident rates 5 and the case closes. Staff log in through
the login form; the resident never logs in. Both timelines must show every step.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from lianxin.cases.models import Case
from lianxin.cases.workflow import Status
from tests.public.conftest import jpeg_bytes

OPINION = "小区东门的路灯坏了三个多月，晚上老人出门很不安全，希望尽快修好。"
FIRST_REPLY = "已安排维修人员核查，本周内更换东门路灯。"
SECOND_REPLY = "东门三盏路灯已于今日全部更换并通电，欢迎监督。"
STEPS = ["submit", "triage", "assign", "accept", "reply", "rate", "reopen", "reply", "rate", "close"]


def log_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/?next=/desk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "pass-1234")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/desk/$"))


def act(page: Page, action: str, **fields: str) -> None:
    """Fill and send one action form of the case page, then wait for the page to come back."""
    form = page.locator(f"#act-{action}")
    for name, value in fields.items():
        field = form.locator(f"[name='{action}-{name}']")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".notice.error")).to_have_count(0)


def rate(phone: Page, stars: int, comment: str) -> None:
    phone.reload()
    radio = phone.locator(f"input[name='stars'][value='{stars}']")
    phone.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()
    phone.fill("textarea[name='comment']", comment)
    with phone.expect_navigation():
        phone.locator("#rate button[type=submit]").click()


def timeline_labels(page: Page) -> list[str]:
    return [label.strip() for label in page.locator("ol.timeline > li strong").all_inner_texts()]


@pytest.mark.browser
def test_qr_code_to_rated_reply(live_server, live_world, phone_page, desktop_page, new_context):
    world = live_world
    phone = phone_page

    # The resident scans the deputy's code: a phone page, no login, Chinese.
    phone.goto(f"{live_server.url}/q/{world.deputy.qr_token}")
    expect(phone.locator("h1")).to_contain_text(world.deputy.name)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.fill("textarea[name='text']", OPINION)
    phone.set_input_files(
        "input[name='photos']", {"name": "路灯.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(gps=True)}
    )
    phone.fill("input[name='contact_name']", "李阿姨")
    phone.fill("input[name='contact_phone']", "13812345678")
    with phone.expect_navigation():
        phone.locator("form.intake button[type=submit]").click()
    code = phone.locator(".tracking-code").inner_text().strip()
    assert code
    track_url = phone.url
    case = Case.objects.get()
    assert case.deputy == world.deputy and case.photos.count() == 1
    assert case.status == Status.SUBMITTED and case.contact_phone == "13812345678"

    # The town's congress office finds it in the queue, triages and assigns it.
    office = desktop_page
    log_in(office, live_server, world.office1)
    office.get_by_role("link", name=code).click()
    expect(office.locator("h1")).to_contain_text(code)
    act(office, "triage", category=world.category.name_zh)
    act(office, "assign", department=world.dept_a.name)
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and case.lead_department == world.dept_a

    # The department accepts and replies.
    department = new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
    log_in(department, live_server, world.handler_a)
    department.goto(f"{live_server.url}/desk/cases/{case.pk}/")
    act(department, "accept")
    act(department, "reply", text=FIRST_REPLY)

    # The resident reads the reply, is not satisfied: the case goes back to the department.
    phone.goto(track_url)
    expect(phone.locator(".reply")).to_contain_text(FIRST_REPLY)
    rate(phone, 2, "只是说核查，没有说什么时候修。")
    expect(phone.locator(".notice.warning")).to_be_visible()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1

    # The department replies again; the resident rates 5 and the case closes.
    department.reload()
    act(department, "reply", text=SECOND_REPLY)
    phone.goto(track_url)
    expect(phone.locator(".reply")).to_contain_text(SECOND_REPLY)
    rate(phone, 5, "修好了，谢谢！")
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.rating == 5

    # Every step is on the timeline, in order; the resident sees the public ones.
    events = list(case.events.order_by("at", "id"))
    assert [e.action for e in events] == STEPS
    with translation.override("zh-hans"):
        everything = [str(e.action_label) for e in events]
        public = [str(e.action_label) for e in events if e.public]
    phone.reload()
    assert timeline_labels(phone) == public
    assert len(public) >= 8  # the resident sees every step but the internal ones
    expect(phone.locator("p.stars-shown")).to_be_visible()
    office.reload()
    assert timeline_labels(office) == everything
    assert "13812345678" not in phone.content()
