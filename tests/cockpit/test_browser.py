"""The cockpit in Chromium: the charts draw, and the layout fits a phone and a desk."""

import pytest

from lianxin.cases import services
from lianxin.places.models import Category
from tests.conftest import browser_log_in


def _some_cases(world) -> None:
    environment = Category.objects.get(code="environment")
    for i in range(4):
        case = world.opinion(place=world.community1 if i % 2 else world.community2, category=world.category)
        if i == 0:
            services.case_resolve_on_spot(case=case, actor=world.office2, reason="当场解决。")
    world.opinion(category=environment, channel="web")


def _boxes(page) -> dict:
    return page.evaluate(
        """() => Object.fromEntries(["by-category", "by-place", "by-month", "by-channel"].map(name => {
            const box = document.querySelector("section." + name).getBoundingClientRect();
            return [name, {top: box.top, bottom: box.bottom, left: box.left}];
        }))"""
    )


def _open(page, live_server, world):
    _some_cases(world)
    browser_log_in(page, live_server, world.district_office)
    response = page.goto(live_server.url + "/cockpit/")
    assert response is not None and response.status == 200
    page.wait_for_selector("[data-chart='channel'] svg")
    drawn = page.eval_on_selector_all("[data-chart]", "els => els.map(e => !e.hidden && !!e.querySelector('svg'))")
    assert drawn == [True, True, True, True]
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.browser
def test_cockpit_charts_stack_on_a_phone(live_server, live_world, phone_page):
    _open(phone_page, live_server, live_world)
    boxes = _boxes(phone_page)
    assert boxes["by-place"]["top"] >= boxes["by-category"]["bottom"]
    assert boxes["by-category"]["left"] == boxes["by-place"]["left"]


@pytest.mark.browser
def test_cockpit_charts_sit_side_by_side_on_a_desk(live_server, live_world, desktop_page):
    _open(desktop_page, live_server, live_world)
    boxes = _boxes(desktop_page)
    assert boxes["by-place"]["top"] == boxes["by-category"]["top"]
    assert boxes["by-place"]["left"] > boxes["by-category"]["left"]
