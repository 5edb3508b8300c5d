"""The report's sentences, on hand-made figures: rises, falls, an empty previous period and
no case at all never divide by zero and say plainly what happened."""

from datetime import date

import pytest
from django.utils import translation

from lianxin.reports import writing
from lianxin.reports.periods import Period, PeriodKind

QUARTER = Period(PeriodKind.QUARTER, date(2025, 4, 1))
MONTH = Period(PeriodKind.MONTH, date(2025, 6, 1))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def totals(received=0, **kwargs) -> dict:
    base = {"received": received, "answered": 0, "answered_48h": 0, "pending_48h": 0, "eligible_48h": 0,
            "rate_48h": None, "closed": 0, "rated": 0, "rating_avg": None, "satisfied": 0,
            "satisfied_share": None, "adopted": 0, "overdue_now": 0}  # fmt: skip
    return base | kwargs


def category(name: str, received: int, **kwargs) -> dict:
    return {"category_id": 1, "name": name, "received": received, "adopted": 0, "rate_48h": None} | kwargs


def test_a_rise_names_the_difference_and_the_percentage():
    text = writing.volume(QUARTER, totals(578), totals(500))
    assert text == "578 opinions were received this quarter, 78 more than the previous quarter (500), up 15.6%."


def test_a_fall_names_the_difference_and_the_percentage():
    text = writing.volume(MONTH, totals(40), totals(50))
    assert text == "40 opinions were received this month, 10 fewer than the previous month (50), down 20.0%."


def test_the_same_volume_says_so():
    assert "as many as the previous month" in writing.volume(MONTH, totals(7), totals(7))


def test_an_empty_previous_period_is_not_divided_by():
    text = writing.volume(QUARTER, totals(12), totals(0))
    assert text == (
        "12 opinions were received this quarter. None was received the previous quarter, "
        "so there is no change to compare."
    )
    assert writing.categories(QUARTER, [category("Roads", 12)], [], 12) == [
        "The most frequent categories were Roads (12, 100.0%)."
    ]


def test_one_opinion_is_singular():
    assert writing.volume(MONTH, totals(1), totals(0)).startswith("1 opinion was received this month.")


def test_no_case_at_all_is_said_plainly_everywhere():
    none = totals(0)
    assert writing.volume(QUARTER, none, none) == "No opinion was received this quarter, nor the previous quarter."
    assert writing.volume(QUARTER, none, totals(9)) == "No opinion was received this quarter (the previous quarter: 9)."
    assert writing.handling(none, 48) == ""
    assert writing.categories(QUARTER, [], [], 0) == []
    assert writing.places([], 0) == ""
    assert (
        writing.satisfaction(QUARTER, none, none) == "No answer to an opinion received this quarter has been rated yet."
    )
    assert writing.adoption(QUARTER, none, []) == "No suggestion received this quarter has been marked as adopted yet."
    activity = {"stations": [], "totals": {"brought_in": 0, "urged": 0, "followed": 0, "active_deputies": 0}}
    assert writing.deputies(QUARTER, activity, 0) == "No deputy brought in, urged or followed a case this quarter."
    assert writing.departments(QUARTER, [], 0, "15 June 2025") == ["No case was assigned to a department this quarter."]
    assert writing.advice(none, [], None, []) == [
        "Keep the stations' codes visible and visit residents: no opinion came in this time."
    ]


def test_handling_compares_the_48_hour_rate_with_the_target():
    good = writing.handling(totals(10, answered=10, closed=9, rate_48h=0.95), 48)
    assert "95.0% were answered within 48 hours, meeting the 90.0% target" in good
    poor = writing.handling(totals(10, answered=8, closed=7, rate_48h=0.5), 48)
    assert "short of the 90.0% target" in poor
    unmeasured = writing.handling(totals(3, rate_48h=None), 48)
    assert "none can be measured against the 48-hour target yet" in unmeasured


def test_categories_name_the_top_three_and_the_biggest_rise():
    now = [category("Roads", 50), category("Noise", 30), category("Parks", 20), category("Water", 5)]
    before = [category("Roads", 45), category("Noise", 10), category("Water", 5)]
    first, rise = writing.categories(QUARTER, now, before, 105)
    assert first == "The most frequent categories were Roads (50, 47.6%), Noise (30, 28.6%), Parks (20, 19.0%)."
    assert rise == "Noise rose the most, from 10 to 30 (up 200.0%)."


def test_a_category_new_this_time_is_not_a_percentage():
    rise = writing.rising_category([category("Parks", 20)], [category("Roads", 3)])
    assert rise == {"name": "Parks", "count": 20, "previous": 0, "percent": "—"}
    assert writing.categories(QUARTER, [category("Parks", 20)], [category("Roads", 3)], 20)[1] == (
        "Parks is new this time: 20 opinions, none before."
    )


def test_departments_that_ran_late_are_named_with_their_counts():
    rows = [
        {"name": "Housing bureau", "escalated": 3, "overdue_now": 1},
        {"name": "Parks bureau", "escalated": 0, "overdue_now": 0},
        {"name": "Water bureau", "escalated": 1, "overdue_now": 0},
    ]
    late, overdue = writing.departments(QUARTER, rows, 1, "15 June 2025")
    assert late == (
        "4 cases received this quarter passed their deadline without an answer: Housing bureau (3), Water bureau (1)."
    )
    assert overdue == "On 15 June 2025, 1 case is still overdue: Housing bureau (1)."
    on_time = writing.departments(QUARTER, [rows[1]], 0, "15 June 2025")
    assert on_time == ["Every department answered the cases received this quarter within their deadlines."]


def test_satisfaction_compares_with_the_previous_period_only_when_it_had_ratings():
    now = totals(10, rated=4, rating_avg=4.25, satisfied_share=0.75)
    assert writing.satisfaction(QUARTER, now, totals(3)) == (
        "4 residents rated the answers: 4.2 of 5 stars on average, 75.0% satisfied (4–5 stars)."
    )
    with_before = writing.satisfaction(QUARTER, now, totals(3, rated=2, satisfied_share=1.0))
    assert with_before.endswith("against 100.0% the previous quarter.")


def test_hot_issues_with_quotes_and_when_there_are_none():
    issue = {"name": "路灯", "opinions": 4, "residents": 3, "urges": 1, "quote": "小区门口路灯坏了三个月。"}
    intro, items = writing.hot_issues(QUARTER, [issue])
    assert intro == "1 issue was raised by several residents together:"
    assert items == ["路灯: 4 opinions from 3 residents. One of them wrote: “小区门口路灯坏了三个月。”"]
    assert writing.hot_issues(QUARTER, []) == ("No issue was raised by several residents together this quarter.", [])
    assert writing.hot_issues(QUARTER, None)[0] == "The hot issues could not be worked out for this report."


def test_advice_follows_the_figures():
    t = totals(20, rate_48h=0.5, overdue_now=2, satisfied_share=0.6)
    rows = [{"name": "Housing bureau", "escalated": 3}]
    rising = {"name": "Noise", "count": 30, "previous": 10, "percent": "200.0%"}
    hot = [{"name": "路灯", "residents": 3}]
    assert writing.advice(t, rows, rising, hot) == [
        "Raise the 48-hour reply rate from 50.0% to 90.0%, starting with Housing bureau.",
        "Clear the 2 cases that are overdue now.",
        "Look into Noise, which rose 200.0%, with the departments concerned.",
        "Follow up on “路灯”, raised by 3 residents, until it is solved.",
        "Review the answers rated 1–2 stars with the departments that wrote them.",
    ]
    calm = totals(20, rate_48h=0.95, satisfied_share=0.9)
    assert writing.advice(calm, [], None, []) == [
        "Keep the present pace: answers are timely and residents are satisfied."
    ]


def test_sentences_are_joined_with_a_space_only_after_a_western_stop():
    assert writing.sentences("One.", "", "Two.") == "One. Two."
    assert writing.sentences("本月共收到5件。", "其中已答复3件。") == "本月共收到5件。其中已答复3件。"
