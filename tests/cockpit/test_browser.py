"""The cockpit in Chromium: the charts draw, the layout fits a desk and a phone, and the big
screen fills 1920×1080 without scrolling. Screenshots go to $LIANXIN_SCREENSHOTS if set."""

import os
from pathlib import Path

import pytest

from lianxin.cases import services
from lianxin.places.models import Category
from tests.conftest import browser_log_in

CHARTS = ["month", "week", "category", "place", "department", "channel", "deputy"]
SCREEN_CHARTS = ["month", "week", "place", "category", "channel"]


def _some_cases(world) -> None:
    environment = Category.objects.get(code="environment")
    for i in range(4):
        case = world.opinion(place=world.community1 if i % 2 else world.community2, category=world.category)
        if i == 0:
            services.case_resolve_on_spot(case=case, actor=world.office2, reason="当场解决。")
        if i == 1:
            services.case_triage(case=case, actor=world.office1, category=world.category)
            services.case_assign(case=case, actor=world.office1, department=world.dept_a)
    world.opinion(category=environment, channel="web")
    world.opinion(deputy=world.deputy, channel="deputy_qr")


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LIANXIN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _drawn(page, kinds: list[str]) -> dict:
    page.wait_for_selector("[data-chart='channel'] svg")
    return page.evaluate(
        """kinds => Object.fromEntries(kinds.map(kind => {
            const element = document.querySelector(`[data-chart='${kind}']`);
            return [kind, !element.hidden && !!element.querySelector("svg path") && element.clientWidth > 0];
        }))""",
        kinds,
    )


def _boxes(page) -> dict:
    return page.evaluate(
        """() => Object.fromEntries(["by-category", "by-place", "by-month", "by-week"].map(name => {
            const box = document.querySelector("section." + name).getBoundingClientRect();
            return [name, {top: box.top, bottom: box.bottom, left: box.left}];
        }))"""
    )


def _open(page, live_server, world, path: str = "/cockpit/") -> None:
    _some_cases(world)
    browser_log_in(page, live_server, world.district_office)
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200


def _no_scroll(page) -> dict:
    return page.evaluate(
        "() => ({width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight})"
    )


@pytest.mark.browser
def test_cockpit_charts_sit_side_by_side_on_a_desk(live_server, live_world, desktop_page, tmp_path):
    page = desktop_page
    _open(page, live_server, live_world)
    assert _drawn(page, CHARTS) == dict.fromkeys(CHARTS, True)
    assert "示范区" in page.locator("h1").inner_text()
    page.wait_for_selector(".hot-panel .hot-list, .hot-panel h3")  # the lazy panel arrived
    boxes = _boxes(page)
    assert boxes["by-place"]["top"] == boxes["by-category"]["top"]
    assert boxes["by-place"]["left"] > boxes["by-category"]["left"]
    assert boxes["by-week"]["top"] == boxes["by-month"]["top"]
    assert _no_scroll(page)["width"] <= 1440
    page.screenshot(path=_shots(tmp_path) / "cockpit-desk.png", full_page=True)


@pytest.mark.browser
def test_cockpit_charts_stack_on_a_phone(live_server, live_world, phone_page, tmp_path):
    page = phone_page
    _open(page, live_server, live_world)
    assert _drawn(page, CHARTS) == dict.fromkeys(CHARTS, True)
    assert page.locator("h1").is_visible() and "示范区" in page.locator("h1").inner_text()
    boxes = _boxes(page)
    assert boxes["by-place"]["top"] >= boxes["by-category"]["bottom"]
    assert boxes["by-category"]["left"] == boxes["by-place"]["left"]
    assert _no_scroll(page)["width"] <= 390
    widest = page.evaluate("() => Math.max(...[...document.querySelectorAll('[data-chart]')].map(e => e.scrollWidth))")
    assert widest <= 390
    page.screenshot(path=_shots(tmp_path) / "cockpit-phone.png", full_page=True)


@pytest.mark.browser
def test_big_screen_fills_1920_by_1080_without_scrolling(live_server, live_world, new_context, tmp_path):
    page = new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
    _open(page, live_server, live_world, "/cockpit/screen/")
    assert _drawn(page, SCREEN_CHARTS) == dict.fromkeys(SCREEN_CHARTS, True)
    assert "示范区" in page.locator("h1").inner_text() and page.locator("h1").is_visible()
    size = _no_scroll(page)
    assert size["height"] <= 1080 and size["width"] <= 1920
    fonts = page.evaluate(
        """() => ({value: parseFloat(getComputedStyle(document.querySelector('.screen-kpis .value')).fontSize),
                   label: parseFloat(getComputedStyle(document.querySelector('.screen-kpis .label')).fontSize)})"""
    )
    assert fonts["value"] >= 48 and fonts["label"] >= 22
    page.screenshot(path=_shots(tmp_path) / "cockpit-screen.png")

    # The minute's refresh: new panels arrive and their charts are drawn again.
    page.evaluate("document.querySelector('.updated').textContent = 'old'")
    page.evaluate(
        """() => htmx.ajax('GET', location.href, {source: '#screen-panels', target: '#screen-panels',
                                                     swap: 'outerHTML'})"""
    )
    page.wait_for_function("document.querySelector('.updated').textContent !== 'old'")
    assert _drawn(page, SCREEN_CHARTS) == dict.fromkeys(SCREEN_CHARTS, True)
    assert page.locator(".screen-stale").is_hidden()

    # A failed refresh (the server down, an error page) keeps the figures up and says they may be old.
    page.route("**/cockpit/screen/*", lambda route: route.fulfill(status=502, body="Bad gateway"))
    page.evaluate(
        """() => htmx.ajax('GET', location.href, {source: '#screen-panels', target: '#screen-panels',
                                                     swap: 'outerHTML'})"""
    )
    page.wait_for_selector(".screen-stale", state="visible")
    assert page.locator("#screen-panels .screen-kpis li").count() == 8
