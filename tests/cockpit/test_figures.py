"""The cockpit's figures, asserted exactly on a history with known timestamps (conftest.py)."""

from datetime import date

import pytest
from django.http import Http404

from lianxin.cases import services
from lianxin.cases.models import Case
from lianxin.cockpit.selectors import cockpit_figures, default_period
from lianxin.core import clock
from tests.cockpit.conftest import NOW

PERIOD = {"date_from": date(2024, 7, 1), "date_to": date(2025, 6, 15)}


def town1_figures(history, **kwargs) -> dict:
    world = history.world
    return cockpit_figures(world.office1, **({"place": world.town1} | PERIOD | kwargs))


def test_default_period_is_the_current_month_and_the_eleven_before():
    assert default_period(date(2025, 6, 15)) == (date(2024, 7, 1), date(2025, 6, 15))
    assert default_period(date(2025, 1, 31)) == (date(2024, 2, 1), date(2025, 1, 31))


def test_town_totals_count_every_figure_exactly(history, at_now):
    totals = town1_figures(history)["totals"]
    assert totals == {
        "received": 6,  # A B C D E F; H was received before the period, G in another town
        "answered": 4,  # A B C D
        "answered_48h": 3,  # A at 47 h, C on the spot, D at 2 h; B's first reply came at 49 h
        "pending_48h": 1,  # F: 2 hours old, not answered yet
        "eligible_48h": 5,
        "rate_48h": 3 / 5,
        "closed": 4,
        "rated": 3,  # A 5, B 4 (its 2 was replaced), D 3 (its 1 was replaced)
        "rating_avg": 4.0,
        "satisfied": 2,
        "satisfied_share": 2 / 3,
        "adopted": 1,
        "overdue_now": 2,  # E, and H although received before the period
    }


def test_only_the_first_answer_counts_for_the_48_hours(history, at_now):
    # B: late first reply (49 h), reopened, replied again: late. D: first reply at 2 h,
    # reopened by a 1-star rating, replied again at 80 h: in time.
    figures = town1_figures(history)
    rows = {r["code"]: r for r in figures["by_category"]}
    assert (rows["urban_construction"]["answered_48h"], rows["urban_construction"]["eligible_48h"]) == (1, 3)
    assert (rows["environment"]["answered_48h"], rows["environment"]["eligible_48h"]) == (2, 2)
    assert (history.cases["b"].rating, history.cases["d"].rating) == (4, 3)


def test_another_towns_cases_are_never_counted_for_a_town_office(history, at_now):
    figures = town1_figures(history)
    assert figures["totals"]["received"] == 6
    town2 = cockpit_figures(history.world.office2, place=history.world.town2, **PERIOD)["totals"]
    assert (town2["received"], town2["answered_48h"], town2["closed"], town2["overdue_now"]) == (1, 1, 1, 0)


def test_a_town_office_may_not_look_at_another_town(history, at_now):
    with pytest.raises(Http404):
        cockpit_figures(history.world.office1, place=history.world.town2, **PERIOD)
    with pytest.raises(Http404):
        cockpit_figures(history.world.office1, place=history.world.district, **PERIOD)


def test_by_category_gives_received_48_hour_rate_and_satisfaction(history, at_now):
    rows = town1_figures(history)["by_category"]
    summary = [
        (r["code"], r["received"], r["answered_48h"], r["eligible_48h"], r["rating_avg"], r["satisfied_share"])
        for r in rows
    ]
    assert summary == [
        ("urban_construction", 3, 1, 3, 4.5, 1.0),
        ("environment", 2, 2, 2, 3.0, 0.0),
        ("", 1, 0, 0, None, None),  # F, not classified yet and pending: no rate
    ]
    assert rows[2]["rate_48h"] is None and rows[2]["category_id"] is None


def test_by_place_rolls_each_child_place_up_by_path(history, at_now):
    world = history.world
    figures = cockpit_figures(world.district_office, place=world.district, **PERIOD)
    rows = {r["code"]: r for r in figures["by_place"]}
    assert list(rows) == ["t1", "t2"]
    assert (rows["t1"]["received"], rows["t1"]["answered_48h"], rows["t1"]["eligible_48h"]) == (6, 3, 5)
    assert (rows["t2"]["received"], rows["t2"]["answered_48h"], rows["t2"]["closed"]) == (1, 1, 1)
    assert rows["t1"]["rating_avg"] == 4.0 and rows["t2"]["rating_avg"] is None
    totals = figures["totals"]
    assert (totals["received"], totals["answered_48h"], totals["eligible_48h"], totals["overdue_now"]) == (7, 4, 6, 2)


def test_the_grid_case_rolls_up_into_its_community(history, at_now):
    world = history.world
    rows = town1_figures(history)["by_place"]
    assert [(r["place_id"], r["received"]) for r in rows] == [(world.community1.pk, 6)]


def test_cases_at_the_place_itself_get_their_own_row(history, at_now):
    world = history.world
    # A community's children are grids, which the cockpit does not compare: all its cases,
    # including B at its grid, are on the "itself" row, which has no place of its own.
    rows = cockpit_figures(world.office1, place=world.community1, **PERIOD)["by_place"]
    assert [(r["place_id"], r["received"]) for r in rows] == [(None, 6)]


def test_by_month_counts_by_month_of_receipt_in_beijing_time(history, at_now):
    months = town1_figures(history)["by_month"]
    assert [m["month"] for m in months][:2] == [date(2024, 7, 1), date(2024, 8, 1)]
    assert len(months) == 12
    nonzero = {m["month"]: (m["received"], m["answered"], m["closed"]) for m in months if m["received"]}
    # E was received on 1 April 00:30 in Beijing, still 31 March in UTC: April.
    assert nonzero == {date(2025, 3, 1): (4, 4, 4), date(2025, 4, 1): (1, 0, 0), date(2025, 6, 1): (1, 0, 0)}
    assert sum(m["received"] for m in months) == 6


def test_by_channel_counts_received_cases(history, at_now):
    rows = town1_figures(history)["by_channel"]
    assert [(r["channel"], r["received"]) for r in rows] == [
        ("station_qr", 3),
        ("deputy_qr", 1),
        ("phone", 1),
        ("web", 1),
    ]


def test_period_bounds_are_whole_days_in_beijing_time(history, at_now):
    totals = town1_figures(history, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))["totals"]
    # E (1 April 00:30 Beijing = 31 March 16:30 UTC) is outside March.
    assert (totals["received"], totals["answered_48h"], totals["eligible_48h"]) == (4, 3, 4)
    assert totals["overdue_now"] == 2  # not a figure of the period


def test_category_filter_narrows_every_figure(history, at_now):
    figures = town1_figures(history, category=history.environment)
    totals = figures["totals"]
    assert (totals["received"], totals["answered_48h"], totals["rated"], totals["adopted"]) == (2, 2, 1, 1)
    assert totals["overdue_now"] == 0
    assert [r["code"] for r in figures["by_category"]] == ["environment"]


def test_a_pending_case_counts_against_the_rate_once_48_hours_have_passed(history):
    with clock.frozen_at(NOW.replace(day=18)):
        totals = town1_figures(history, date_to=date(2025, 6, 18))["totals"]
    assert (totals["pending_48h"], totals["eligible_48h"], totals["rate_48h"]) == (0, 6, 3 / 6)
    assert totals["overdue_now"] == 3  # F's deadline has passed too


def test_station_staff_see_the_communities_their_station_serves(history, at_now):
    world = history.world
    totals = cockpit_figures(world.staff1, place=world.community1, **PERIOD)["totals"]
    assert totals["received"] == 6
    with pytest.raises(Http404):
        cockpit_figures(world.staff1, place=world.town1, **PERIOD)


def test_the_48_hour_rate_reads_the_timeline_not_the_case_columns(history, at_now):
    # A column edited by hand (or by an import) must not change the figure: the timeline is the record.
    Case.objects.filter(pk=history.cases["b"].pk).update(first_answered_at=history.cases["b"].created_at)
    Case.objects.filter(pk=history.cases["a"].pk).update(first_answered_at=None)
    totals = town1_figures(history)["totals"]
    assert (totals["answered"], totals["answered_48h"], totals["eligible_48h"]) == (4, 3, 5)


def test_cases_linked_as_duplicates_are_still_counted(history, at_now):
    world = history.world
    services.case_link_duplicate(case=history.cases["f"], actor=world.office1, original=history.cases["a"])
    totals = town1_figures(history)["totals"]
    # F, received 2 hours ago, is merged into A, which was answered: F gets A's reply at once and
    # counts as answered then (within its own 48 hours), no longer as pending.
    assert (totals["received"], totals["pending_48h"]) == (6, 0)
    assert (totals["answered"], totals["answered_48h"], totals["eligible_48h"]) == (5, 4, 6)
