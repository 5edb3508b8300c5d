"""Likely duplicates: found by the task after intake (same town, window), shown to the office on
the case page and in the triage queue, merged or dismissed in one click."""

from datetime import timedelta

import pytest
from django.db import transaction

from lianxin.cases import services as case_services
from lianxin.cases.models import CaseEvent
from lianxin.cases.workflow import Action, Status
from lianxin.core import clock
from lianxin.hotspots import services
from lianxin.hotspots.models import CandidateStatus, CaseSignature, DuplicateCandidate
from tests.hotspots.conftest import LAMP, LAMP_AGAIN, OTHER, fresh

# --- found after intake -----------------------------------------------------------------


def test_the_task_after_commit_links_the_earlier_opinion_as_a_likely_duplicate(take_in):
    first = take_in(LAMP)
    second = take_in(LAMP_AGAIN, place=first.place)

    candidate = DuplicateCandidate.objects.get(case=second)
    assert candidate.original == first and candidate.status == CandidateStatus.OPEN
    assert 0.3 <= candidate.similarity < 1
    assert not DuplicateCandidate.objects.filter(case=first).exists()  # only earlier ones are proposed
    assert CaseSignature.objects.filter(case__in=[first, second]).count() == 2
    # Finding a likely duplicate changes no case and writes no timeline step.
    assert fresh(second).status == Status.SUBMITTED
    assert list(second.events.values_list("action", flat=True)) == [Action.SUBMIT]


def test_nothing_is_queued_before_the_commit_and_nothing_if_the_intake_rolls_back(world, take_in):
    take_in(LAMP)
    with pytest.raises(RuntimeError), transaction.atomic():
        world.opinion(text=LAMP_AGAIN)
        raise RuntimeError
    assert not DuplicateCandidate.objects.exists()


def test_the_same_words_in_another_town_are_never_proposed(world, take_in):
    take_in(LAMP, place=world.community2)
    case = take_in(LAMP, place=world.grid1)
    assert not DuplicateCandidate.objects.filter(case=case).exists()
    third = take_in(LAMP_AGAIN, place=world.community1)  # the grid is in the same town: found
    assert set(DuplicateCandidate.objects.filter(case=third).values_list("original", flat=True)) == {case.pk}


def test_an_opinion_older_than_the_window_is_not_proposed(world, take_in, settings):
    settings.DUPLICATE_WINDOW_DAYS = 10
    with clock.frozen_at(clock.now() - timedelta(days=11)):
        take_in(LAMP)
    with clock.frozen_at(clock.now() - timedelta(days=9)):
        recent = take_in(LAMP)
    case = take_in(LAMP_AGAIN)
    assert list(DuplicateCandidate.objects.filter(case=case).values_list("original", flat=True)) == [recent.pk]


def test_different_words_are_not_proposed(take_in):
    take_in(OTHER)
    case = take_in(LAMP)
    assert not DuplicateCandidate.objects.filter(case=case).exists()


def test_running_the_search_again_adds_nothing(take_in):
    take_in(LAMP)
    case = take_in(LAMP_AGAIN)
    services.case_find_duplicates(case_id=case.pk)
    assert services.signatures_backfill() == 0
    assert DuplicateCandidate.objects.filter(case=case).count() == 1


def test_the_backfill_signs_old_cases_oldest_first_and_finds_their_duplicates(world):
    first = world.opinion(text=LAMP)  # no commit callbacks run: as before this app existed
    second = world.opinion(text=LAMP_AGAIN)
    assert services.signatures_backfill() == 2
    assert DuplicateCandidate.objects.get(case=second).original == first


def test_a_case_signed_late_is_not_proposed_its_own_group(world):
    from lianxin.cases import services as case_services

    first = world.opinion(text=LAMP)
    second = world.opinion(text=LAMP_AGAIN)
    case_services.case_link_duplicate(case=second, actor=world.office1, original=first)
    services.signatures_backfill()
    assert not DuplicateCandidate.objects.exists()


# --- the case page and the triage queue ------------------------------------------------------


def test_the_office_sees_the_likely_duplicate_on_the_case_page(world, take_in, client):
    first = take_in(LAMP)
    case = take_in(LAMP_AGAIN)
    client.force_login(world.office1)
    page = client.get(f"/desk/cases/{case.pk}/").content.decode()
    assert "Likely duplicates" in page and first.display_code in page
    assert "Merge into this" in page and "Not the same issue" in page


def test_a_leader_sees_no_merge_buttons(world, take_in, client):
    take_in(LAMP)
    case = take_in(LAMP_AGAIN)
    client.force_login(world.leader)
    page = client.get(f"/desk/cases/{case.pk}/").content.decode()
    assert "Likely duplicates" not in page and "Merge into this" not in page


def test_the_triage_queue_shows_the_best_likely_duplicate_with_one_click_merge(world, take_in, client):
    first = take_in(LAMP)
    case = take_in(LAMP_AGAIN)
    take_in(OTHER, place=world.community1)
    client.force_login(world.office1)
    page = client.get("/desk/?queue=triage").content.decode()
    assert page.count('class="likely-duplicate"') == 1
    assert f"of {first.display_code}" in page
    candidate = DuplicateCandidate.objects.get(case=case)
    assert f"/hot/candidates/{candidate.pk}/merge/" in page

    response = client.post(f"/hot/candidates/{candidate.pk}/merge/", {"next": "/desk/?queue=triage"})
    assert response.status_code == 302 and response["Location"] == "/desk/?queue=triage"
    assert fresh(case).status == Status.MERGED and fresh(case).duplicate_of == first


def test_the_triage_queue_needs_one_query_for_the_likely_duplicates_of_a_page(world, take_in, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.office1)
    take_in(LAMP)
    take_in(LAMP_AGAIN)
    with CaptureQueriesContext(connection) as few:
        client.get("/desk/?queue=triage")
    for _ in range(4):
        take_in(LAMP_AGAIN)
    with CaptureQueriesContext(connection) as more:
        client.get("/desk/?queue=triage")
    assert len(more) <= len(few) + 1  # not one query per row (+1: routing's per-page cache may vary)


# --- merge and dismiss ------------------------------------------------------------------------


@pytest.fixture
def pair(take_in):
    first = take_in(LAMP)
    case = take_in(LAMP_AGAIN)
    return first, case, DuplicateCandidate.objects.get(case=case)


def test_merging_links_the_case_to_its_original_and_writes_the_timeline(world, pair, client):
    first, case, candidate = pair
    client.force_login(world.office1)
    response = client.post(f"/hot/candidates/{candidate.pk}/merge/")
    assert response.status_code == 302 and response["Location"] == f"/desk/cases/{case.pk}/"
    case = fresh(case)
    assert (case.status, case.duplicate_of, case.due_at) == (Status.MERGED, first, None)
    event = case.events.get(action=Action.LINK_DUPLICATE)
    assert (
        event.actor == world.office1 and f"{round(candidate.similarity * 100)}%" in event.note
    )  # in the site language
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by) == (CandidateStatus.MERGED, world.office1)


def test_a_second_click_on_merge_is_refused_with_a_clear_message(world, pair, client):
    _first, case, candidate = pair
    client.force_login(world.office1)
    client.post(f"/hot/candidates/{candidate.pk}/merge/")
    again = client.post(f"/hot/candidates/{candidate.pk}/merge/")
    assert again.status_code == 409
    assert "already decided" in again.content.decode()
    assert CaseEvent.objects.filter(case=case, action=Action.LINK_DUPLICATE).count() == 1


def test_dismissing_keeps_the_case_and_stops_offering_the_pair(world, pair, client):
    _first, case, candidate = pair
    client.force_login(world.office1)
    response = client.post(f"/hot/candidates/{candidate.pk}/dismiss/")
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DISMISSED and fresh(case).status == Status.SUBMITTED
    assert "Likely duplicates" not in client.get(f"/desk/cases/{case.pk}/").content.decode()
    assert client.post(f"/hot/candidates/{candidate.pk}/merge/").status_code == 409
    services.case_find_duplicates(case_id=case.pk)  # the search again does not bring it back
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DISMISSED


@pytest.mark.parametrize("who", ["outsider", "office2", "handler_a"])
def test_someone_who_may_not_see_the_case_gets_404(world, pair, client, who):
    _first, case, candidate = pair
    client.force_login(getattr(world, who))
    for action in ("merge", "dismiss"):
        assert client.post(f"/hot/candidates/{candidate.pk}/{action}/").status_code == 404
    assert fresh(case).status == Status.SUBMITTED


def test_a_leader_who_sees_the_case_may_not_decide(world, pair, client):
    _first, case, candidate = pair
    client.force_login(world.leader)
    response = client.post(f"/hot/candidates/{candidate.pk}/merge/")
    assert response.status_code == 403 and fresh(case).status == Status.SUBMITTED


def test_the_station_staff_may_merge(world, pair, client):
    _first, case, candidate = pair
    client.force_login(world.staff1)
    assert client.post(f"/hot/candidates/{candidate.pk}/merge/").status_code == 302
    assert fresh(case).status == Status.MERGED


def test_a_missing_candidate_is_404_and_get_is_not_allowed(world, pair, client):
    _first, _case, candidate = pair
    client.force_login(world.office1)
    assert client.post("/hot/candidates/999999/merge/").status_code == 404
    assert client.get(f"/hot/candidates/{candidate.pk}/merge/").status_code == 405
    assert client.post(f"/hot/candidates/{candidate.pk}/merge/", {"next": "https://evil.example/"})["Location"] == (
        f"/desk/cases/{candidate.case_id}/"
    )


def test_a_case_assigned_meanwhile_can_no_longer_be_merged(world, pair, client):
    from lianxin.cases import services as case_services

    _first, case, candidate = pair
    case_services.case_triage(case=case, actor=world.office1, category=world.category)
    case_services.case_assign(case=case, actor=world.office1, department=world.dept_a)
    client.force_login(world.office1)
    response = client.post(f"/hot/candidates/{candidate.pk}/merge/")
    assert response.status_code == 409 and fresh(case).status == Status.ASSIGNED
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN


def test_a_merge_by_hand_into_the_same_group_settles_the_likely_duplicate(world, pair):
    first, case, candidate = pair
    case_services.case_link_duplicate(case=case, actor=world.office1, original=first)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by) == (CandidateStatus.MERGED, world.office1)
    assert candidate.decided_at is not None


def test_a_merge_by_hand_into_another_group_leaves_the_likely_duplicate_open(world, pair):
    _first, case, candidate = pair
    elsewhere = world.opinion(text=OTHER)
    case_services.case_link_duplicate(case=case, actor=world.office1, original=elsewhere)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by) == (CandidateStatus.OPEN, None)
