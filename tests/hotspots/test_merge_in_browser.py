"""In Chromium: the office confirms a suggested merge on the case page, the department answers
the first opinion only, and the resident of the merged one reads that reply and rates it."""

import pytest
from playwright.sync_api import expect

from lianxin.cases.workflow import Status
from lianxin.hotspots.models import CandidateStatus, DuplicateCandidate
from tests.conftest import browser_log_in
from tests.hotspots.conftest import LAMP, LAMP_AGAIN, REPLY, fresh, handle_to_reply


@pytest.mark.browser
def test_staff_merge_a_suggested_duplicate_and_its_resident_gets_the_reply(
    live_server, live_world, desktop_page, phone_page
):
    world = live_world
    original = world.opinion(text=LAMP)  # committed: the search after intake has run
    case = world.opinion(text=LAMP_AGAIN, contact_phone="13811112222")
    candidate = DuplicateCandidate.objects.get(case=case)
    assert candidate.original == original

    # The office sees the suggestion in the triage queue and opens the case.
    office = desktop_page
    browser_log_in(office, live_server, world.office1)
    office.goto(f"{live_server.url}/desk/?queue=triage")
    row = office.locator(f".likely-duplicate[data-case='{case.pk}']")
    expect(row).to_contain_text(original.display_code)
    office.goto(f"{live_server.url}/desk/cases/{case.pk}/")
    card = office.locator("#likely-duplicates")
    expect(card).to_contain_text(original.display_code)
    with office.expect_navigation():
        card.locator(f"form[action='/hot/candidates/{candidate.pk}/merge/'] button").click()
    expect(office.locator(".notice.error")).to_have_count(0)
    expect(office.locator("#likely-duplicates")).to_have_count(0)  # decided: no longer offered
    assert fresh(case).status == Status.MERGED and fresh(case).duplicate_of == original
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.MERGED and candidate.decided_by == world.office1

    # The department handles the first opinion only.
    handle_to_reply(world, original)

    # The resident of the merged opinion reads the same reply on the phone and rates it.
    phone = phone_page
    phone.goto(f"{live_server.url}/t/{case.tracking_code}")
    expect(phone.locator(".reply")).to_contain_text(REPLY)
    radio = phone.locator("input[name='stars'][value='5']")
    phone.locator(f"label[for='{radio.get_attribute('id')}']").click()
    with phone.expect_navigation():
        phone.locator("#rate button[type=submit]").click()
    merged = fresh(case)
    assert (merged.status, merged.rating) == (Status.CLOSED, 5)
    assert fresh(original).status == Status.REPLIED  # the first resident rates on his own page
