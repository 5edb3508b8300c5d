"""A merged group (并单) is handled once: the original's answer reaches every resident of the
group, each rates it on his or her own page, and a low rating on any of them reopens the group.
The group is one issue, so its duplicates carry the original's category."""

from datetime import timedelta

import pytest

from lianxin.cases import services
from lianxin.cases.models import Resolution
from lianxin.cases.selectors import Queue, case_list_for_user, queue_filter
from lianxin.cases.tasks import sla_sweep
from lianxin.cases.workflow import Action, Status
from lianxin.core import clock
from lianxin.rollups.models import CaseFact
from tests.hotspots.conftest import LAMP, LAMP_AGAIN, REPLY, fresh, handle_to_reply

SECOND_REPLY = "东湖社区3幢门口路灯已重新布线，另加装一盏，今晚起全部正常亮灯。"


@pytest.fixture
def group(world):
    """An original and two other residents' opinions merged into it."""
    original = world.opinion(text=LAMP, contact_phone="13800000001")
    dups = [world.opinion(text=LAMP_AGAIN, contact_phone=f"1380000000{i}") for i in (2, 3)]
    for dup in dups:
        services.case_link_duplicate(case=dup, actor=world.office1, original=original)
    return original, dups


def rate(client, case, stars: int):
    return client.post(f"/t/{case.tracking_code}/rate", {"stars": stars, "comment": "评价"})


def test_the_reply_to_the_original_reaches_every_resident_of_the_group(world, group, client):
    original, dups = group
    handle_to_reply(world, original)
    for dup in dups:
        dup = fresh(dup)
        assert (dup.status, dup.reply_text) == (Status.REPLIED, REPLY)
        assert dup.first_answered_at == dup.replied_at == fresh(original).replied_at
        event = dup.events.get(action=Action.SHARE_REPLY)
        assert event.public and event.note == REPLY and event.department == world.dept_a
        page = client.get(f"/t/{dup.tracking_code}").content.decode()
        assert REPLY in page and 'id="rate"' in page


def test_each_resident_of_the_group_rates_the_reply_on_his_or_her_own_page(world, group, client):
    original, (dup1, dup2) = group
    handle_to_reply(world, original)
    assert rate(client, dup1, 5).status_code == 302
    assert rate(client, dup2, 4).status_code == 302
    assert rate(client, original, 3).status_code == 302
    assert [(fresh(c).status, fresh(c).rating) for c in (original, dup1, dup2)] == [
        (Status.CLOSED, 3),
        (Status.CLOSED, 5),
        (Status.CLOSED, 4),
    ]


def test_a_low_rating_on_a_duplicate_reopens_the_group(world, group, client):
    original, (dup1, dup2) = group
    handle_to_reply(world, original)
    rate(client, original, 5)  # the first resident is satisfied and closes his case
    assert fresh(original).status == Status.CLOSED

    rate(client, dup1, 2)

    original = fresh(original)
    assert original.status == Status.IN_PROGRESS and original.lead_department == world.dept_a
    assert original.due_at > clock.now() and original.reopen_count == 1
    event = original.events.get(action=Action.GROUP_REOPEN)
    assert event.data["duplicate"] == dup1.tracking_code and event.data["stars"] == 2
    assert (fresh(dup1).status, fresh(dup1).rating) == (Status.MERGED, 2)
    assert fresh(dup2).status == Status.MERGED  # not rated yet: it waits for the next reply too
    # The department answers again; the waiting residents get the new reply and rate it.
    services.case_reply(case=original, actor=world.handler_a, text=SECOND_REPLY)
    for dup in (dup1, dup2):
        assert (fresh(dup).status, fresh(dup).reply_text) == (Status.REPLIED, SECOND_REPLY)
    rate(client, dup1, 4)
    assert (fresh(dup1).status, fresh(dup1).rating) == (Status.CLOSED, 4)


def test_a_resident_who_rated_keeps_the_closed_case_when_another_reopens_the_group(world, group, client):
    original, (dup1, dup2) = group
    handle_to_reply(world, original)
    rate(client, dup1, 5)
    rate(client, dup2, 1)
    assert fresh(dup1).status == Status.CLOSED
    assert fresh(original).status == Status.IN_PROGRESS


def test_a_case_merged_after_the_reply_gets_it_at_once(world, take_in):
    original = world.opinion(text=LAMP)
    handle_to_reply(world, original)
    late = world.opinion(text=LAMP_AGAIN)
    services.case_link_duplicate(case=late, actor=world.office1, original=original)
    late = fresh(late)
    assert (late.status, late.reply_text) == (Status.REPLIED, REPLY)
    assert [e.action for e in late.events.order_by("pk")][-2:] == [Action.LINK_DUPLICATE, Action.SHARE_REPLY]


def test_merging_into_a_duplicate_joins_its_original(world, group):
    original, (dup1, _dup2) = group
    third = world.opinion(text=LAMP_AGAIN)
    services.case_link_duplicate(case=third, actor=world.office1, original=dup1)
    assert fresh(third).duplicate_of == original


def test_resolving_the_original_on_the_spot_closes_the_group_with_the_same_reason(world, group, client):
    original, dups = group
    services.case_resolve_on_spot(case=original, actor=world.office1, reason="代表现场协调，物业当场修好。")
    for dup in dups:
        dup = fresh(dup)
        assert (dup.status, dup.resolution) == (Status.CLOSED, Resolution.ON_SPOT)
        assert "物业当场修好" in client.get(f"/t/{dup.tracking_code}").content.decode()


def test_a_merged_duplicate_has_no_clock_of_its_own(world, group):
    original, dups = group
    services.case_triage(case=original, actor=world.office1, category=world.category)
    services.case_assign(case=original, actor=world.office1, department=world.dept_a)
    late = fresh(original).due_at + timedelta(hours=1)
    with clock.frozen_at(late):
        sla_sweep.call()
        overdue = case_list_for_user(world.office1).filter(queue_filter(Queue.OVERDUE, user=world.office1, now=late))
        assert list(overdue.values_list("pk", flat=True)) == [original.pk]
    assert fresh(original).escalated_at is not None
    for dup in dups:
        dup = fresh(dup)
        assert dup.due_at is None and dup.escalated_at is None and dup.reminded_at is None


def test_the_residents_page_of_a_merged_opinion_says_it_is_handled_with_the_others(world, group, client):
    _original, (dup1, _dup2) = group
    page = client.get(f"/t/{dup1.tracking_code}").content.decode()
    assert "handled once for all of you" in page and 'id="rate"' not in page


def test_a_duplicate_merged_into_a_triaged_original_takes_its_category(world, client):
    original = world.opinion(text=LAMP)
    services.case_triage(case=original, actor=world.office1, category=world.category)
    dup = world.opinion(text=LAMP_AGAIN)
    services.case_link_duplicate(case=dup, actor=world.office1, original=original)
    assert fresh(dup).category == world.category
    page = client.get(f"/t/{dup.tracking_code}").content.decode()
    assert world.category.name in page and "Not yet classified" not in page


def test_triaging_the_original_gives_its_category_to_the_whole_group(world, group):
    original, dups = group
    assert all(fresh(d).category is None for d in dups)
    services.case_triage(case=original, actor=world.office1, category=world.category)
    assert all(fresh(d).category == world.category for d in dups)
    # The cockpit counts them under the category, not as uncategorised (rollups follow the column).
    facts = CaseFact.objects.filter(case_id__in=[original.pk, *(d.pk for d in dups)])
    assert set(facts.values_list("category", flat=True)) == {world.category.pk}


def test_a_duplicate_keeps_its_own_category_while_the_original_has_none(world):
    original = world.opinion(text=LAMP)
    dup = world.opinion(text=LAMP_AGAIN)
    services.case_triage(case=dup, actor=world.office1, category=world.category)
    services.case_link_duplicate(case=dup, actor=world.office1, original=original)
    assert fresh(dup).category == world.category
