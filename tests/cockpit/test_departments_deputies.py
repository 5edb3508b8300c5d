"""The department league and deputies' activity figures, on the cockpit's known history."""

from datetime import date

import pytest
from django.http import Http404

from lianxin.cases import services
from lianxin.cockpit.selectors import department_figures, deputy_activity
from lianxin.core import clock
from tests.cockpit.conftest import NOW, T, step

PERIOD = {"date_from": date(2024, 7, 1), "date_to": date(2025, 6, 15)}


def test_department_row_counts_assigned_answered_and_lateness(history, at_now):
    world = history.world
    e = history.cases["e"]
    step(e.due_at, services.case_escalate, case=e)
    rows = department_figures(world.office1, place=world.town1, **PERIOD)
    assert [r["name"] for r in rows] == [world.dept_a.name]
    row = rows[0]
    assert (row["received"], row["answered"], row["answered_48h"]) == (4, 3, 2)  # A B D E; B late
    assert row["escalated"] == 1  # E passed its deadline unanswered
    assert row["overdue_now"] == 2  # E, and H received before the period
    assert row["returned"] == 0
    assert row["rating_avg"] == 4.0  # A 5, B 4, D 3


def test_department_figures_refuse_a_place_out_of_scope(history, at_now):
    with pytest.raises(Http404):
        department_figures(history.world.office1, place=history.world.town2, **PERIOD)


def test_deputy_activity_counts_cases_brought_in_and_urged_by_station(history, at_now):
    world = history.world
    with clock.frozen_at(T):
        services.case_submit(
            place=world.community1, station=world.station1, deputy=world.deputy, channel="deputy_qr",
            text="楼道里的灯坏了，晚上老人上下楼不安全。",
        )  # fmt: skip
    step(NOW, services.case_urge, case=history.cases["e"], actor=world.deputy_user, note="请尽快答复群众。")
    activity = deputy_activity(world.office1, place=world.town1, **PERIOD)
    assert activity["totals"] == {"brought_in": 1, "urged": 1, "followed": 0, "active_deputies": 1}
    assert activity["stations"][0]["name"] == world.station1.name
