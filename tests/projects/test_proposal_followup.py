"""A resident's follow-up of a proposal: the code every proposal gets (like a case's tracking
code), the status page /p/proposals/<code>/ the solicitation form leads to, what it says at
each stage of the round, and the lookup on the public index. Assertions are on data, URLs
and the page's ids, not on wording (the Chinese catalogue is filled in afterwards)."""

import importlib

import pytest
from django.apps import apps

from lianxin.core.codes import ALPHABET
from lianxin.projects import services
from lianxin.projects.models import Proposal, ProposalSource

BACKFILL = importlib.import_module("lianxin.projects.migrations.0003_proposal_tracking_code")
REASON = "老小区没有电梯，老人上下楼困难。"


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
