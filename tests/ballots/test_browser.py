"""Five deputies vote in Chromium on 390×844 phones, the office closes the ballot, and the
results page shows the adopted projects and every receipt code."""

import pytest

from lianxin.ballots.models import BallotSlot
from tests.conftest import browser_log_in

from .conftest import make_town, open_ballot

# 3 places among 4 candidates; p1 and p2 get 5 and 4 votes, p3 3, p4 1 → threshold 3 of 5.
CHOICES = [["1", "2", "3"], ["1", "2"], ["1", "2", "3"], ["1", "3"], ["1", "2", "4"]]


def _phone(new_context):
    context = new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True)
    return context.new_page()


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= 390


def _vote(page, live_server, ballot, positions: list[str]) -> str:
    page.goto(f"{live_server.url}/ballots/{ballot.pk}/vote/")
    assert page.locator("[data-chosen]").inner_text() == "0"
    for position in positions:
        page.locator(f"input[name=choice][value='{position}']").check()
    assert page.locator("[data-chosen]").inner_text() == str(len(positions))
    assert _fits(page)
    page.locator("[data-review]").click()
    page.locator("[data-confirm]").click()
    receipt = page.locator("[data-receipt]").inner_text()
    assert _fits(page)
    return receipt.replace("-", "")


@pytest.mark.browser
def test_five_deputies_vote_on_phones_and_the_result_shows_the_adopted(live_server, live_world, new_context):
    town = make_town(live_world)
    ballot = open_ballot(town)
    receipts = []
    for i, (user, positions) in enumerate(zip(town.users, CHOICES, strict=True)):
        page = _phone(new_context)
        browser_log_in(page, live_server, user)
        if i == 0:  # too many: a clear refusal, and the ticks are kept
            page.goto(f"{live_server.url}/ballots/{ballot.pk}/vote/")
            for position in ["1", "2", "3", "4"]:
                page.locator(f"input[name=choice][value='{position}']").check()
            assert page.locator("[data-too-many]").is_visible()
            page.locator("[data-review]").click()
            assert page.locator("[data-error]").is_visible()
            assert page.locator("input[name=choice]:checked").count() == 4
            assert _fits(page)
        receipts.append(_vote(page, live_server, ballot, positions))
        page.goto(f"{live_server.url}/ballots/{ballot.pk}/vote/")
        assert page.locator("[data-state='voted']").is_visible()
        page.context.close()
    assert sorted(receipts) == sorted(BallotSlot.objects.filter(ballot=ballot).values_list("receipt_code", flat=True))

    office = new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN").new_page()
    browser_log_in(office, live_server, town.office)
    office.goto(f"{live_server.url}/ballots/{ballot.pk}/")
    assert office.locator("[data-voted]").inner_text() == "5"
    office.locator("[data-close]").click()
    office.wait_for_url(f"**/ballots/{ballot.pk}/results/")
    adopted = office.locator("[data-adopted]").inner_text()
    assert "老旧小区加装电梯" in adopted and "农贸市场改造" in adopted and "社区食堂" in adopted
    assert "口袋公园" not in adopted
    assert office.locator("[data-receipts] li").count() == 5
    with office.expect_download() as download:
        office.locator("[data-pdf]").click()
    assert download.value.suggested_filename.endswith(".pdf")

    phone = _phone(new_context)  # a deputy reads the result on the phone too
    browser_log_in(phone, live_server, town.users[0])
    phone.goto(f"{live_server.url}/ballots/{ballot.pk}/results/")
    assert "老旧小区加装电梯" in phone.locator("[data-adopted]").inner_text()
    assert f"{receipts[0][:5]}-{receipts[0][5:]}" in phone.locator("[data-receipts]").inner_text()  # as on the receipt
    assert _fits(phone)
