"""What the lead wires up around the projects app: the hourly overdue sweep, the expired
solicitation form that comes back with its text, the demo."""

import re

from django.conf import settings
from django.test import Client

from lianxin.projects import services
from lianxin.projects.models import Proposal

TITLE = "老旧小区加装电梯"
REASON = "老楼没有电梯，老人上下楼困难，很多人常年不下楼。"


def test_milestones_overdue_runs_hourly():
    assert ("lianxin.projects.tasks.milestones_overdue", 3600) in settings.PERIODIC_TASKS


def test_expired_solicitation_form_comes_back_with_what_was_typed(world, round_):
    services.round_open_solicitation(round_=round_, actor=world.office1)
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    data = {
        "title": TITLE,
        "reason": REASON,
        "location": "东湖社区3号楼",
        "contact_name": "李阿姨",
        "idempotency_key": "b" * 32,
        "csrfmiddlewaretoken": "expired-token-from-yesterday",
    }
    response = client.post(f"/p/{round_.public_token}/", data)
    page = response.content.decode()
    assert response.status_code == 403
    assert "The page had expired" in page
    assert TITLE in page and REASON in page and "东湖社区3号楼" in page and "李阿姨" in page
    assert f'value="{"b" * 32}"' in page
    assert Proposal.objects.count() == 0
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    retry = client.post(f"/p/{round_.public_token}/", {**data, "csrfmiddlewaretoken": token})
    assert retry.status_code == 302 and Proposal.objects.count() == 1


def test_expired_form_elsewhere_in_projects_keeps_the_generic_page(world, round_):
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})
    client.force_login(world.office1)
    response = client.post(f"/projects/rounds/{round_.pk}/act/open_solicitation", {})
    assert response.status_code == 403 and "This page has expired" in response.content.decode()
