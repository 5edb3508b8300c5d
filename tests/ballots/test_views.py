"""The pages: a deputy's phone ballot, the office's ballot page, paper entry, results, PDF."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from lianxin.ballots import services
from lianxin.ballots.models import BallotSlot, Elector
from tests.factories import member

from .conftest import open_ballot


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _vote_url(ballot):
    return reverse("ballots:vote", args=[ballot.pk])


def test_deputy_sees_the_candidates_and_the_counter(ballot, town):
    response = _client(town.users[0]).get(_vote_url(ballot))
    assert response.status_code == 200
    body = response.content.decode()
    assert "老旧小区加装电梯" in body and "data-chosen" in body and "/ 3" in body
    assert response["Cache-Control"].startswith("private")


def test_choose_confirm_and_receipt(ballot, town):
    client = _client(town.users[0])
    review = client.post(_vote_url(ballot), {"step": "review", "choice": ["1", "3"]})
    assert review.status_code == 200 and b"data-confirm" in review.content
    assert not Elector.objects.filter(ballot=ballot, voted=True).exists()  # nothing cast yet
    done = client.post(_vote_url(ballot), {"step": "confirm", "choice": ["1", "3"]})
    assert done.status_code == 200 and b"data-receipt" in done.content
    code = BallotSlot.objects.get(ballot=ballot, filled=True).receipt_code
    assert f"{code[:5]}-{code[5:]}".encode() in done.content
    assert "no-store" in done["Cache-Control"]
    again = client.get(_vote_url(ballot))
    assert b'data-state="voted"' in again.content and code.encode() not in again.content


def test_too_many_choices_are_refused_and_kept(ballot, town):
    response = _client(town.users[0]).post(_vote_url(ballot), {"step": "review", "choice": ["1", "2", "3", "4"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "data-error" in body
    assert body.count(" checked data-mark") == 4  # what was chosen is kept


def test_a_second_cast_from_a_stale_page_gets_a_clear_message(ballot, town):
    client = _client(town.users[0])
    client.post(_vote_url(ballot), {"step": "confirm", "choice": ["1"]})
    response = client.post(_vote_url(ballot), {"step": "confirm", "choice": ["2"]})
    assert response.status_code == 409
    assert b"data-error" in response.content or b'data-state="voted"' in response.content


def test_non_electors_get_404_and_garbage_gets_400(ballot, town):
    assert _client(town.world.outsider).get(_vote_url(ballot)).status_code == 404
    assert _client(town.world.office2).get(reverse("ballots:detail", args=[ballot.pk])).status_code == 404
    response = _client(town.users[0]).post(_vote_url(ballot), {"step": "review", "choice": ["99", "x"]})
    assert response.status_code == 400


def test_office_page_shows_turnout_but_no_result_while_open(ballot, town):
    services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={"p1": "for"})
    client = _client(town.office)
    page = client.get(reverse("ballots:detail", args=[ballot.pk]))
    assert page.status_code == 200 and b"data-voted" in page.content
    assert b"data-results" not in page.content
    results = client.get(reverse("ballots:results", args=[ballot.pk]))
    assert results.status_code == 409 and b"data-refusal" in results.content
    assert client.get(reverse("ballots:results_pdf", args=[ballot.pk])).status_code == 409


def test_closing_early_is_refused_with_a_message_and_allowed_when_all_voted(ballot, town):
    client = _client(town.office)
    response = client.post(reverse("ballots:close", args=[ballot.pk]))
    assert response.status_code == 409
    for user in town.users:
        services.ballot_cast(ballot=ballot, deputy_user=user, marks={"p1": "for", "p2": "for"})
    response = client.post(reverse("ballots:close", args=[ballot.pk]))
    assert response.status_code == 302
    page = client.get(reverse("ballots:results", args=[ballot.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "data-adopted" in body and "data-shortfall" in body
    first = sorted(BallotSlot.objects.filter(ballot=ballot).values_list("receipt_code", flat=True))[0]
    assert f"{first[:5]}-{first[5:]}" in body  # written as on the deputy's receipt


def test_a_deputy_cannot_close(ballot, town):
    response = _client(town.users[0]).post(reverse("ballots:close", args=[ballot.pk]))
    assert response.status_code == 404


def test_result_sheet_pdf(ballot, town):
    for user in town.users:
        services.ballot_cast(ballot=ballot, deputy_user=user, marks={"p1": "for"})
    services.ballot_close(ballot=ballot, actor=town.office)
    response = _client(town.office).get(reverse("ballots:results_pdf", args=[ballot.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_result_sheet_states_ties_and_signature_lines(town):
    from django.template.loader import render_to_string

    from lianxin.ballots import pdf

    ballot = open_ballot(town, seats=2, options=[("a", "甲项目"), ("b", "乙项目"), ("c", "丙项目")])
    for user, chosen in zip(town.users, ["ab", "ab", "ac", "bc", "c"], strict=True):
        services.ballot_cast(ballot=ballot, deputy_user=user, marks=dict.fromkeys(chosen, "for"))
    services.ballot_close(ballot=ballot, actor=town.office)
    results = services.ballot_results(ballot)
    html = render_to_string(pdf.TEMPLATE, pdf.result_sheet_context(results))
    assert "data-tie" in html and "甲项目、乙项目、丙项目" in html  # 3 votes each for 2 places
    assert "data-shortfall" not in html
    assert html.count("Teller") + html.count("计票人") >= 2


@pytest.fixture
def paper_ballot(town):
    town.teller2 = member("congress_office", place=town.place)
    ballot = open_ballot(town, paper=True)
    services.presence_record(ballot=ballot, actor=town.office, present_deputy_ids=[d.pk for d in town.deputies])
    return ballot


def test_paper_entry_pages_and_mismatch_block(paper_ballot, town):
    url = reverse("ballots:paper", args=[paper_ballot.pk])
    first, second = _client(town.office), _client(town.teller2)
    assert first.post(url, {"choice": ["1"]}).status_code == 302
    entry = paper_ballot.paper_entries.get()
    confirm = reverse("ballots:paper_confirm", args=[paper_ballot.pk, entry.pk])
    assert first.post(confirm, {"choice": ["1"]}).status_code == 400  # same teller
    assert second.post(confirm, {"choice": ["2"]}).status_code == 302
    page = second.get(url)
    assert b'data-status="mismatch"' in page.content
    first.post(reverse("ballots:close", args=[paper_ballot.pk]))
    assert first.get(reverse("ballots:results", args=[paper_ballot.pk])).status_code == 409
    second.post(reverse("ballots:paper_correct", args=[paper_ballot.pk, entry.pk]), {"choice": ["1"]})
    first.post(confirm, {"choice": ["1"]})
    assert first.get(reverse("ballots:results", args=[paper_ballot.pk])).status_code == 200


def test_ballot_list_shows_only_ballots_in_scope(ballot, town):
    assert ballot.title.encode() in _client(town.office).get(reverse("ballots:list")).content
    assert ballot.title.encode() in _client(town.users[0]).get(reverse("ballots:list")).content
    assert ballot.title.encode() not in _client(town.world.office2).get(reverse("ballots:list")).content


def test_a_leader_reads_the_ballot_without_its_forms(ballot, town):
    client = _client(town.world.leader)
    page = client.get(reverse("ballots:detail", args=[ballot.pk]))
    assert page.status_code == 200 and b"data-close" not in page.content
    assert client.post(reverse("ballots:close", args=[ballot.pk])).status_code == 404


def test_separate_marks_on_the_phone(town):
    ballot = open_ballot(town, separate_marks=True)
    client = _client(town.users[0])
    page = client.get(_vote_url(ballot))
    assert page.content.count(b'type="radio"') == 12  # 4 candidates × for/against/abstain
    marks = {"step": "review", "mark-1": "for", "mark-2": "against", "mark-3": "abstain"}
    review = client.post(_vote_url(ballot), marks)
    assert review.status_code == 200 and b"data-confirm" in review.content
    done = client.post(_vote_url(ballot), marks | {"step": "confirm"})
    assert done.status_code == 200
    assert BallotSlot.objects.get(ballot=ballot, filled=True).marks == "FAB-"
    bad = _client(town.users[1]).post(_vote_url(ballot), {"step": "review", "mark-1": "maybe"})
    assert bad.status_code == 400


def test_the_phone_page_says_when_voting_is_not_possible(ballot, town):
    from lianxin.core import clock

    client = _client(town.users[0])
    with clock.frozen_at(ballot.opens_at - timedelta(hours=1)):
        assert b'data-state="not_yet"' in client.get(_vote_url(ballot)).content
        refused = client.post(_vote_url(ballot), {"step": "confirm", "choice": ["1"]})
        assert refused.status_code == 409 and b"data-error" not in refused.content  # the state page says why
    with clock.frozen_at(ballot.closes_at + timedelta(minutes=1)):
        assert b'data-state="ended"' in client.get(_vote_url(ballot)).content
        services.ballot_close(ballot=ballot, actor=town.office)
    page = client.get(_vote_url(ballot))
    assert (
        b'data-state="closed"' in page.content and reverse("ballots:results", args=[ballot.pk]).encode() in page.content
    )


def test_the_office_page_does_not_show_who_has_voted_while_open(ballot, town):
    services.ballot_cast(ballot=ballot, deputy_user=town.users[0], marks={"p1": "for"})
    body = _client(town.office).get(reverse("ballots:detail", args=[ballot.pk])).content.decode()
    assert "disabled" not in body and body.count('name="present"') == 5
    assert body.count(" checked>") == 0  # voting on the phone does not tick the presence box


def test_the_menu_leads_deputies_and_offices_to_ballots_with_a_badge_until_cast(ballot, town):
    list_url = reverse("ballots:list")
    deputy = _client(town.users[0])
    page = deputy.get(reverse("projects:list")).content.decode()
    assert f'href="{list_url}"' in page and 'class="badge"' in page.split(list_url)[1].split("</a>")[0]
    assert "data-ballot-waiting" in page  # and a banner on every page but the ballot's own
    assert b"data-ballot-waiting" not in deputy.get(_vote_url(ballot)).content
    deputy.post(_vote_url(ballot), {"step": "confirm", "choice": ["1"]})
    page = deputy.get(reverse("projects:list")).content.decode()
    assert f'href="{list_url}"' in page and 'class="badge"' not in page.split(list_url)[1].split("</a>")[0]
    assert "data-ballot-waiting" not in page
    assert f'href="{list_url}"' in _client(town.office).get(reverse("projects:list")).content.decode()
    assert f'href="{list_url}"' not in _client(town.world.handler_a).get(reverse("projects:list")).content.decode()
