"""A resident's follow-up of a proposal: the code every proposal gets (like a case's tracking
code), the status page /p/proposals/<code>/ the solicitation form leads to, what it says at
each stage of the round, and the lookup on the public index. Assertions are on data, URLs
and the page's ids, not on wording (the Chinese catalogue is filled in afterwards)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from lianxin.core.codes import ALPHABET
from lianxin.projects import services
from lianxin.projects.models import Candidate, CandidateStatus, Proposal, ProposalSource
from lianxin.projects.workflow import Status

from .conftest import at_status, soliciting_in_window

BACKFILL = importlib.import_module("lianxin.projects.migrations.0003_proposal_tracking_code")
REASON = "老小区没有电梯，老人上下楼困难。"
PHONE = "13812345678"
NAME = "王阿姨"


@pytest.fixture
def soliciting(world, round_):
    services.round_open_solicitation(round_=round_, actor=world.office1)
    return round_


def _propose(round_, title="加装电梯", **kwargs) -> Proposal:
    proposal, _created = services.proposal_submit(round_=round_, title=title, reason=REASON, **kwargs)
    return proposal


def _is_code(code: str | None) -> bool:
    return code is not None and len(code) == 8 and all(ch in ALPHABET for ch in code)


# --- the code -------------------------------------------------------------------------------


def test_every_source_of_proposal_gets_a_distinct_code(world, soliciting):
    resident = _propose(soliciting)
    deputy = _propose(soliciting, title="修缮凉亭", actor=world.deputy_user)
    staff = _propose(soliciting, title="增设路灯", actor=world.office1)
    from_case = services.proposal_from_case(round_=soliciting, case=world.opinion(), actor=world.office1)
    assert deputy.source == ProposalSource.DEPUTY and from_case.source == ProposalSource.CASE
    codes = [p.tracking_code for p in (resident, deputy, staff, from_case)]
    assert all(_is_code(c) for c in codes) and len(set(codes)) == 4
    assert resident.display_code == f"{resident.tracking_code[:4]}-{resident.tracking_code[4:]}"


def test_a_resend_keeps_the_first_code(soliciting):
    first = _propose(soliciting, idempotency_key="k1")
    again = _propose(soliciting, idempotency_key="k1")
    assert again.pk == first.pk and again.tracking_code == first.tracking_code


def test_the_migration_gives_existing_proposals_distinct_codes(world, soliciting):
    kept = _propose(soliciting)
    others = [_propose(soliciting, title=f"项目{i}") for i in range(5)]
    Proposal.objects.filter(pk__in=[p.pk for p in others]).update(tracking_code=None)
    BACKFILL.backfill_tracking_codes(apps, None)
    codes = dict(Proposal.objects.values_list("pk", "tracking_code"))
    assert codes[kept.pk] == kept.tracking_code  # a code already given is left alone
    assert all(_is_code(c) for c in codes.values()) and len(set(codes.values())) == 6


# --- after sending ----------------------------------------------------------------------------


def _form(key: str = "a" * 32) -> dict:
    return {
        "title": "春晖社区老楼加装电梯",
        "location": "春晖社区三号楼",
        "reason": REASON,
        "benefit": "三号楼四十户居民",
        "contact_name": NAME,
        "contact_phone": "138 1234 5678",
        "idempotency_key": key,
    }


def _page_url(proposal: Proposal) -> str:
    return f"/p/proposals/{proposal.tracking_code}/"


def test_the_status_page_url():
    assert reverse("projects_public:proposal", args=["7KQ2M9XD"]) == "/p/proposals/7KQ2M9XD/"
    assert reverse("projects_public:proposal_lookup") == "/p/proposals/"


def test_sending_leads_to_the_proposals_page_with_its_code_and_no_contact(client, soliciting):
    response = client.post(reverse("projects_public:solicit", args=[soliciting.public_token]), _form())
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == _page_url(proposal)
    assert proposal.contact_phone == PHONE and proposal.contact_name == NAME
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert 'class="messages"' in body  # the flash message saying it was received
    assert 'id="proposal-code"' in body and f'class="tracking-code">{proposal.display_code}<' in body
    assert f"http://testserver{_page_url(proposal)}" in body
    assert "春晖社区老楼加装电梯" in body and "春晖社区三号楼" in body and REASON in body and "三号楼四十户居民" in body
    assert PHONE not in body and "5678" not in body and NAME not in body


def test_a_resent_form_leads_to_the_same_proposals_page(client, soliciting):
    url = reverse("projects_public:solicit", args=[soliciting.public_token])
    first = client.post(url, _form())
    again = client.post(url, _form())
    assert Proposal.objects.count() == 1
    assert again.status_code == 302 and again["Location"] == first["Location"] == _page_url(Proposal.objects.get())


def test_a_refused_form_still_shows_the_form(client, soliciting):
    url = reverse("projects_public:solicit", args=[soliciting.public_token])
    response = client.post(url, {**_form(), "reason": "太短"})
    assert response.status_code == 400 and not Proposal.objects.exists()


# --- where it stands --------------------------------------------------------------------------


def _standing(client, proposal: Proposal) -> str:
    response = client.get(_page_url(proposal))
    assert response.status_code == 200
    body = response.content.decode()
    assert proposal.title in body and proposal.round.title in body and "东湖街道" in body and "2026" in body
    assert f'href="/p/{proposal.round.public_token}/"' in body and 'href="/p/"' in body
    return body


def _candidate(round_, proposals, status=CandidateStatus.CANDIDATE, **fields) -> Candidate:
    candidate = Candidate.objects.create(round=round_, title="春晖社区加装电梯工程", status=status, **fields)
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(candidate=candidate)
    return candidate


def test_while_soliciting_it_is_received_and_says_when_the_window_closes(client, world, round_, now):
    soliciting_in_window(round_, world, now, days_left=8)
    body = _standing(client, _propose(round_))
    assert 'class="standing standing-sorting"' in body
    assert 'id="collection-closes"' in body and "2026-03-10 10:00" in body


def test_without_a_window_no_closing_date_is_invented(client, soliciting):
    body = _standing(client, _propose(soliciting))
    assert 'class="standing standing-sorting"' in body and 'id="collection-closes"' not in body


def test_while_shortlisting_without_a_candidate_it_is_being_sorted(client, soliciting):
    proposal = _propose(soliciting)
    at_status(soliciting, Status.SHORTLISTING)
    body = _standing(client, proposal)
    assert 'class="standing standing-sorting"' in body and 'id="in-candidate"' not in body


def test_in_a_candidate_alone_it_is_not_called_merged(client, soliciting):
    proposal = _propose(soliciting)
    at_status(soliciting, Status.SHORTLISTING)
    candidate = _candidate(soliciting, [proposal])
    body = _standing(client, proposal)
    assert 'class="standing standing-candidate"' in body
    assert 'id="in-candidate"' in body and candidate.title in body and 'id="merged"' not in body


def test_merged_with_similar_proposals_it_says_so(client, soliciting):
    proposal, other = _propose(soliciting), _propose(soliciting, title="老楼电梯")
    at_status(soliciting, Status.DELIBERATION)
    _candidate(soliciting, [proposal, other])
    body = _standing(client, proposal)
    assert 'class="standing standing-candidate"' in body and 'id="merged"' in body
    assert "老楼电梯" not in body  # the other resident's proposal is not shown


def test_during_the_ballot_it_is_on_the_ballot(client, soliciting):
    proposal = _propose(soliciting)
    _candidate(soliciting, [proposal])
    at_status(soliciting, Status.BALLOTING)
    assert 'class="standing standing-balloting"' in _standing(client, proposal)


def test_adopted_it_links_to_the_project_page_with_its_progress(client, world, soliciting):
    proposal = _propose(soliciting)
    at_status(soliciting, Status.IMPLEMENTING)
    project = _candidate(soliciting, [proposal], status=CandidateStatus.ADOPTED, percent_done=40)
    body = _standing(client, proposal)
    assert 'class="standing standing-adopted"' in body
    assert f'id="project-link" href="/p/projects/{project.pk}/"' in body and "40%" in body
    assert client.get(f"/p/projects/{project.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("status", "key"),
    [
        (CandidateStatus.NOT_ADOPTED, "not_adopted"),
        (CandidateStatus.WITHDRAWN, "withdrawn"),
        (CandidateStatus.UNDECIDED, "undecided"),
    ],
)
def test_a_candidate_not_adopted_withdrawn_or_tied_says_so_without_a_project_link(client, soliciting, status, key):
    proposal = _propose(soliciting)
    at_status(soliciting, Status.COUNTED)
    _candidate(soliciting, [proposal], status=status)
    body = _standing(client, proposal)
    assert f'class="standing standing-{key}"' in body and 'id="project-link"' not in body
    assert ('id="kept-on-record"' in body) == (key != "undecided")


@pytest.mark.parametrize("status", [Status.DELIBERATION, Status.IMPLEMENTING, Status.CLOSED])
def test_past_the_shortlist_without_a_candidate_it_is_not_shortlisted_but_kept(client, soliciting, status):
    proposal = _propose(soliciting)
    at_status(soliciting, status)
    body = _standing(client, proposal)
    assert 'class="standing standing-not_shortlisted"' in body and 'id="kept-on-record"' in body


# --- finding it by its code -------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["{dashed}", "{lower}", " {lower_dashed} "])
def test_the_index_lookup_takes_the_code_as_people_type_it(client, soliciting, typed):
    proposal = _propose(soliciting)
    code = typed.format(
        dashed=proposal.display_code,
        lower=proposal.tracking_code.lower(),
        lower_dashed=proposal.display_code.lower(),
    )
    response = client.get("/p/proposals/", {"code": code})
    assert response.status_code == 302 and response["Location"] == _page_url(proposal)


def test_the_index_offers_the_lookup_form(client, db):
    body = client.get("/p/").content.decode()
    assert 'id="proposal-lookup"' in body and 'action="/p/proposals/"' in body and 'name="code"' in body


def test_an_unknown_code_on_the_index_says_so_and_keeps_what_was_typed(client, soliciting):
    _propose(soliciting)
    response = client.get("/p/proposals/", {"code": "zzzz-9999"})
    body = response.content.decode()
    assert response.status_code == 404
    assert 'id="id_proposal_code_error"' in body and 'value="zzzz-9999"' in body
    assert 'id="proposal-lookup"' in body  # the index itself, not a bare error


def test_an_unknown_code_page_has_no_place_tabs_that_would_look_it_up_again(client, world, soliciting):
    other = services.round_create(place=world.town2, year=2026, title="西山镇2026年民生实事项目", actor=world.office2)
    services.round_open_solicitation(round_=other, actor=world.office2)
    assert f'href="?place={world.town2.pk}"' in client.get("/p/").content.decode()
    body = client.get("/p/proposals/", {"code": "ZZZZ9999"}).content.decode()
    assert f'place={world.town2.pk}"' not in body and other.title in body


def test_an_empty_lookup_goes_back_to_the_form(client, db):
    response = client.get("/p/proposals/", {"code": "  "})
    assert response.status_code == 302 and response["Location"] == "/p/#proposal-lookup"


def test_a_typed_page_address_is_made_canonical(client, soliciting):
    proposal = _propose(soliciting)
    response = client.get(f"/p/proposals/{proposal.display_code.lower()}/")
    assert response.status_code == 302 and response["Location"] == _page_url(proposal)


@pytest.mark.parametrize("code", ["ZZZZ9999", "not-a-code", "%E4%B8%AD%E6%96%87", "-"])
def test_an_unknown_or_malformed_code_is_a_friendly_404(client, soliciting, code):
    _propose(soliciting)
    response = client.get(f"/p/proposals/{code}/", follow=True)
    body = response.content.decode()
    assert response.status_code == 404
    assert 'id="proposal-unknown"' in body and 'id="id_proposal_code_error"' in body


def test_the_status_page_is_read_only(client, soliciting):
    proposal = _propose(soliciting)
    assert client.post(_page_url(proposal)).status_code == 405


# --- the office's side ------------------------------------------------------------------------


def test_the_office_sees_each_proposals_code_on_the_round_page(client, world, soliciting):
    proposal = _propose(soliciting, contact_phone=PHONE)
    client.force_login(world.office1)
    body = client.get(reverse("projects:round", args=[soliciting.pk])).content.decode()
    assert f'<small class="muted proposal-code">{proposal.display_code}</small>' in body


def test_an_unknown_code_puts_the_lookup_and_its_message_first_on_the_index(client, soliciting):
    page = client.get(reverse("projects_public:proposal_lookup"), {"code": "ZZZZ-ZZZ2"}).content.decode()
    assert page.count('id="proposal-lookup"') == 1
    assert page.index('id="proposal-lookup"') < page.index('class="card intro"')
    assert page.index('id="id_proposal_code_error"') < page.index('class="card intro"')


def test_an_opinions_code_typed_for_a_proposal_leads_to_the_opinion(client, world, soliciting):
    """Residents keep one kind of code; the wrong lookup forwards instead of saying not found."""
    case = world.opinion()
    track = reverse("public:track", args=[case.tracking_code])
    lookup = client.get(reverse("projects_public:proposal_lookup"), {"code": case.tracking_code.lower()})
    assert (lookup.status_code, lookup["Location"]) == (302, track)
    page = client.get(f"/p/proposals/{case.tracking_code}/")
    assert (page.status_code, page["Location"]) == (302, track)


def test_a_proposals_code_typed_for_an_opinion_leads_to_the_proposal(client, soliciting):
    proposal = _propose(soliciting)
    for response in (
        client.get(reverse("public:track", args=[proposal.tracking_code])),
        client.get(reverse("public:track_lookup"), {"code": proposal.display_code}),
    ):
        assert (response.status_code, response["Location"]) == (302, _page_url(proposal))
