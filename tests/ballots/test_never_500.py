"""Every ballot page, for every persona, with junk input, in both states: never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from lianxin.ballots import services
from lianxin.ballots.models import Elector
from tests.factories import member

from .conftest import open_ballot

JUNK = [{}, {"step": "confirm"}, {"choice": ["x", "99", ""]}, {"mark-1": "maybe", "mark-x": "for"}, {"present": ["a"]}]


def _urls(ballot, entry_pk: int) -> list[str]:
    names = ["detail", "vote", "close", "presence", "paper", "results", "results_pdf"]
    urls = [reverse(f"ballots:{name}", args=[ballot.pk]) for name in names]
    urls += [reverse(f"ballots:{name}", args=[ballot.pk, entry_pk]) for name in ("paper_confirm", "paper_correct")]
    return [*urls, reverse("ballots:list")]


@pytest.mark.parametrize("paper", [False, True])
def test_no_page_answers_500(town, paper):
    teller2 = member("congress_office", place=town.place)
    ballot = open_ballot(town, paper=paper)
    entry_pk = 999
    if paper:
        services.presence_record(ballot=ballot, actor=town.office, present_deputy_ids=[town.deputies[0].pk])
        entry_pk = services.paper_entry_add(ballot=ballot, actor=town.office, marks={"p1": "for"}).pk
    w = town.world
    people = [town.office, teller2, town.users[0], w.office2, w.leader, w.outsider, w.admin, w.deputy_user, None]
    for closing in (False, True):
        if closing:  # junk posts may have cast a blank ballot or closed it already
            ballot.refresh_from_db()
            voted = set(Elector.objects.filter(ballot=ballot, voted=True).values_list("deputy_id", flat=True))
            for user, deputy in zip(town.users, town.deputies, strict=True):
                if not paper and deputy.pk not in voted and ballot.status == "open":
                    services.ballot_cast(ballot=ballot, deputy_user=user, marks={"p1": "for"})
            if ballot.status == "open":
                services.ballot_close(ballot=ballot, actor=town.office)
        for person in people:
            client = Client()
            if person is not None:
                client.force_login(person)
            for url in _urls(ballot, entry_pk):
                assert client.get(url).status_code < 500, (url, person)
                for data in JUNK:
                    assert client.post(url, data).status_code < 500, (url, person, data)
    assert Client().get(reverse("ballots:detail", args=[ballot.pk + 100])).status_code == 302  # login first
