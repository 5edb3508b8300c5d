"""Who may read, list, export and act on which case, through the staff screens."""

import pytest

from lianxin.cases import services
from lianxin.cases.models import Case, CaseEvent
from lianxin.cases.workflow import Status
from lianxin.core.codes import format_tracking_code
from tests.staff.conftest import assigned_to_a


def _listed(client, case, queue: str = "all") -> bool:
    return format_tracking_code(case.tracking_code) in client.get(f"/desk/?queue={queue}").content.decode()


def _exported(client, case) -> bool:
    return case.tracking_code in client.get("/desk/export.csv?queue=all").content.decode("utf-8-sig")


# --- departments --------------------------------------------------------------------------


def test_department_cannot_read_list_or_export_another_departments_case(world, as_user):
    case = assigned_to_a(world)
    other = as_user(world.handler_b)
    assert other.get(f"/desk/cases/{case.pk}/").status_code == 404
    assert not _listed(other, case)
    assert not _exported(other, case)


def test_department_reads_lists_and_exports_its_own_case(world, as_user):
    case = assigned_to_a(world)
    own = as_user(world.handler_a)
    assert own.get(f"/desk/cases/{case.pk}/").status_code == 200
    assert _listed(own, case, "mine")
    assert _exported(own, case)


@pytest.mark.parametrize("action", ["accept", "return", "note", "progress", "reply"])
def test_department_cannot_act_on_another_departments_case(world, as_user, action):
    case = assigned_to_a(world)
    events_before = case.events.count()
    response = as_user(world.handler_b).post(
        f"/desk/cases/{case.pk}/act/{action}", {f"{action}-reason": "不归我们管", f"{action}-note": "看看"}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert case.events.count() == events_before


def test_helper_department_sees_the_case_but_not_the_residents_phone(world, as_user):
    case = world.opinion(contact_name="张三", contact_phone="13812345678")
    services.case_triage(case=case, actor=world.office1, category=world.category)
    services.case_assign(case=case, actor=world.office1, department=world.dept_a, helpers=[world.dept_b])
    helper_page = as_user(world.handler_b).get(f"/desk/cases/{case.pk}/").content.decode()
    lead_page = as_user(world.handler_a).get(f"/desk/cases/{case.pk}/").content.decode()
    assert format_tracking_code(case.tracking_code) in helper_page and "13812345678" not in helper_page
    assert "13812345678" in lead_page and "张三" in lead_page


# --- towns --------------------------------------------------------------------------------


def test_town_office_cannot_see_another_towns_case(world, as_user):
    case = world.opinion(place=world.community2)
    office1 = as_user(world.office1)
    assert office1.get(f"/desk/cases/{case.pk}/").status_code == 404
    assert not _listed(office1, case)
    assert not _exported(office1, case)
    office2 = as_user(world.office2)
    assert office2.get(f"/desk/cases/{case.pk}/").status_code == 200
    assert _listed(office2, case, "triage")
    assert _exported(office2, case)


def test_town_office_cannot_act_on_another_towns_case(world, as_user):
    case = world.opinion(place=world.community2)
    response = as_user(world.office1).post(
        f"/desk/cases/{case.pk}/act/triage", {"triage-category": world.category.pk, "triage-urgency": "normal"}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED


def test_outsider_without_a_role_sees_no_case(world, as_user):
    case = world.opinion()
    outsider = as_user(world.outsider)
    assert outsider.get(f"/desk/cases/{case.pk}/").status_code == 404
    assert not _listed(outsider, case)
    assert not _exported(outsider, case)


def test_anonymous_visitor_is_sent_to_the_login_page(world, client):
    case = world.opinion()
    for url in ["/desk/", f"/desk/cases/{case.pk}/", "/desk/export.csv", "/desk/new/", "/inbox/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"]


# --- leaders ------------------------------------------------------------------------------


def test_leader_sees_the_case_but_gets_no_action_forms(world, as_user):
    case = world.opinion()
    page = as_user(world.leader).get(f"/desk/cases/{case.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and format_tracking_code(case.tracking_code) in html
    assert "/act/" not in html
    assert "There is nothing for you to do on this case now." in html


def test_leader_does_not_see_the_residents_name_or_phone(world, as_user):
    case = world.opinion(contact_name="张三", contact_phone="13812345678")
    html = as_user(world.leader).get(f"/desk/cases/{case.pk}/").content.decode()
    export = as_user(world.leader).get("/desk/export.csv?queue=all").content.decode("utf-8-sig")
    assert "13812345678" not in html and "张三" not in html
    assert case.tracking_code in export and "13812345678" not in export and "Phone" not in export


@pytest.mark.parametrize("action", ["triage", "assign", "reject", "note", "close"])
def test_leader_posting_an_action_is_refused_and_changes_nothing(world, as_user, action):
    case = world.opinion()
    data = {
        "triage-category": world.category.pk,
        "triage-urgency": "normal",
        "assign-department": world.dept_a.pk,
        "reject-reason": "不属于受理范围",
        "note-note": "领导批示",
    }
    response = as_user(world.leader).post(f"/desk/cases/{case.pk}/act/{action}", data)
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_unknown_action_is_not_found(world, as_user):
    case = world.opinion()
    assert as_user(world.office1).post(f"/desk/cases/{case.pk}/act/remind").status_code == 404
    assert as_user(world.office1).post(f"/desk/cases/{case.pk}/act/nonsense").status_code == 404


def test_actions_are_not_reachable_with_get(world, as_user):
    case = world.opinion()
    assert as_user(world.office1).get(f"/desk/cases/{case.pk}/act/triage").status_code == 405
