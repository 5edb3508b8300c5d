"""The cockpit's known history (tests/cockpit/conftest.py: town 1 in the first quarter of
2025, looked at on 15 June 2025), plus residents who wrote their name, phone and door into
their opinions, two of them about the same broken lamp (a merged group: a hot issue)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from lianxin.cases import services
from lianxin.core import clock
from lianxin.reports.periods import Period, PeriodKind
from tests.cockpit.conftest import NOW, History, T, build_history, step

SHANGHAI = ZoneInfo("Asia/Shanghai")
Q1 = Period(PeriodKind.QUARTER, date(2025, 1, 1))
RESIDENTS = [
    ("李建国", "13812345678", "我叫李建国，住幸福路88号3栋2单元501室，电话13812345678，楼下路灯坏了一个月，晚上太黑。"),
    ("赵秀英", "13900001111", "赵秀英反映：幸福路88号楼下路灯坏了，老人晚上出门摔了一跤，联系电话13900001111。"),
    ("孙志强", "15800002222", "东湖社区垃圾站夏天臭味大，孙志强家就在旁边12号楼，电话15800002222。"),
]
SECRETS = [value for name, phone, _ in RESIDENTS for value in (name, phone)] + ["幸福路88号", "501室", "12号楼"]


@pytest.fixture
def report_history(world) -> History:
    history = build_history(world)
    cases = []
    for i, (name, phone, text) in enumerate(RESIDENTS):
        with clock.frozen_at(datetime(2025, 2, 3 + i, 10, 0, tzinfo=SHANGHAI)):
            case, _ = services.case_submit(
                place=world.community1, station=world.station1, channel="station_qr", text=text,
                contact_name=name, contact_phone=phone, category=history.urban,
            )  # fmt: skip
        cases.append(case)
    step(T, services.case_link_duplicate, case=cases[1], actor=world.office1, original=cases[0])
    history.cases |= {"lamp": cases[0], "lamp_again": cases[1], "bins": cases[2]}
    return history


@pytest.fixture
def at_now():
    with clock.frozen_at(NOW):
        yield NOW


@pytest.fixture
def client() -> Client:
    return Client(headers={"accept-language": "en"})
