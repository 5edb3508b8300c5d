"""Deadline arithmetic and the holiday data it runs on. Pure: no database, no Django."""

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest

from lianxin.cases.holidays_cn import DAYS, calendar_days
from lianxin.cases.sla import (
    SHANGHAI,
    WEEKDAYS_ONLY,
    WorkCalendar,
    answered_within,
    due_at,
    humanize_left,
    is_overdue,
    remind_at,
    time_left,
)

CN = WorkCalendar.from_days((day, is_workday) for day, is_workday, _ in calendar_days())
FESTIVALS = {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def working(start: datetime, hours: int, calendar: WorkCalendar = CN) -> datetime:
    return due_at(start, hours=hours, working_days=True, calendar=calendar)


# --- the calendar ---------------------------------------------------------------------------


def test_plain_calendar_is_monday_to_friday() -> None:
    assert WEEKDAYS_ONLY.is_workday(date(2026, 3, 6))  # Friday
    assert not WEEKDAYS_ONLY.is_workday(date(2026, 3, 7))  # Saturday
    assert not WEEKDAYS_ONLY.is_workday(date(2026, 3, 8))  # Sunday


def test_calendar_from_days_marks_holidays_off_and_makeup_weekends_on() -> None:
    assert not CN.is_workday(date(2026, 2, 16))  # Monday in Spring Festival
    assert CN.is_workday(date(2026, 2, 14))  # make-up Saturday
    assert CN.is_workday(date(2026, 1, 4))  # make-up Sunday after 元旦


def test_calendar_from_days_keeps_only_exceptions_to_the_plain_week() -> None:
    calendar = WorkCalendar.from_days(
        [(date(2026, 10, 3), False), (date(2026, 10, 5), False), (date(2026, 10, 10), True), (date(2026, 10, 9), True)]
    )
    assert calendar.holidays == frozenset({date(2026, 10, 5)})
    assert calendar.workdays == frozenset({date(2026, 10, 10)})


def test_makeup_workday_wins_over_conflicting_holiday() -> None:
    day = date(2026, 2, 14)
    assert WorkCalendar(holidays=frozenset({day}), workdays=frozenset({day})).is_workday(day)


# --- due_at ---------------------------------------------------------------------------------


def test_calendar_hours_deadline_ignores_weekends_and_holidays() -> None:
    start = local(2026, 2, 13, 15, 0)
    assert due_at(start, hours=48, working_days=False, calendar=CN) == local(2026, 2, 15, 15, 0)


def test_working_day_deadline_from_friday_afternoon_lands_on_tuesday_same_time() -> None:
    assert working(local(2026, 3, 6, 15, 0), 48, WEEKDAYS_ONLY) == local(2026, 3, 10, 15, 0)


def test_working_day_deadline_from_saturday_starts_counting_monday_midnight() -> None:
    assert working(local(2026, 3, 7, 10, 0), 48, WEEKDAYS_ONLY) == local(2026, 3, 11, 0, 0)


@pytest.mark.parametrize(("hours", "expected_day"), [(0, 10), (1, 10), (24, 10), (25, 11), (72, 12)])
def test_working_day_limit_rounds_hours_up_to_whole_days_and_at_least_one(hours: int, expected_day: int) -> None:
    assert working(local(2026, 3, 9, 9, 30), hours, WEEKDAYS_ONLY) == local(2026, 3, expected_day, 9, 30)


def test_working_day_deadline_skips_spring_festival_and_counts_makeup_saturday() -> None:
    # Fri 13 Feb → Sat 14 Feb (make-up, day 1) → 15-23 Feb off → Tue 24 Feb (day 2).
    assert working(local(2026, 2, 13, 10, 0), 48) == local(2026, 2, 24, 10, 0)


def test_working_day_deadline_can_fall_on_a_makeup_saturday() -> None:
    assert working(local(2026, 2, 27, 9, 0), 24) == local(2026, 2, 28, 9, 0)


def test_case_filed_during_spring_festival_starts_counting_when_holiday_ends() -> None:
    assert working(local(2026, 2, 16, 11, 0), 24) == local(2026, 2, 25, 0, 0)


def test_case_filed_on_makeup_saturday_counts_from_its_own_clock_time() -> None:
    assert working(local(2026, 2, 14, 10, 0), 24) == local(2026, 2, 24, 10, 0)


def test_working_day_deadline_skips_national_day_week() -> None:
    assert working(local(2026, 9, 30, 16, 0), 48) == local(2026, 10, 9, 16, 0)


def test_working_day_deadline_counts_makeup_sunday_before_national_day() -> None:
    assert working(local(2026, 9, 18, 16, 0), 24) == local(2026, 9, 20, 16, 0)


def test_working_day_deadline_skips_eight_day_2025_national_day_and_mid_autumn() -> None:
    assert working(local(2025, 9, 30, 8, 0), 24) == local(2025, 10, 9, 8, 0)


def test_working_days_are_counted_on_shanghai_calendar_and_returned_in_start_zone() -> None:
    # 17:00 UTC on Friday is already 01:00 Saturday in Shanghai: a day off, so Monday 00:00.
    start = datetime(2026, 3, 6, 17, 0, tzinfo=UTC)
    due = working(start, 24, WEEKDAYS_ONLY)
    assert due.tzinfo is UTC
    assert due == local(2026, 3, 10, 0, 0)


def test_due_at_rejects_naive_start() -> None:
    with pytest.raises(ValueError):
        due_at(datetime(2026, 3, 6, 15, 0), hours=48, working_days=True, calendar=CN)


def test_due_at_rejects_negative_hours() -> None:
    with pytest.raises(ValueError):
        due_at(local(2026, 3, 6, 15, 0), hours=-1, working_days=False, calendar=CN)


# --- clock helpers --------------------------------------------------------------------------


def test_time_left_is_negative_when_overdue() -> None:
    due = local(2026, 3, 6, 15, 0)
    assert time_left(due, due + timedelta(hours=3)) == timedelta(hours=-3)
    assert time_left(due, due - timedelta(hours=3)) == timedelta(hours=3)


def test_case_is_overdue_only_after_its_deadline() -> None:
    due = local(2026, 3, 6, 15, 0)
    assert not is_overdue(due, due)
    assert is_overdue(due, due + timedelta(seconds=1))


def test_case_without_deadline_is_never_overdue() -> None:
    assert not is_overdue(None, local(2030, 1, 1, 0, 0))


def test_answer_at_exactly_48_hours_counts_as_within() -> None:
    start = local(2026, 3, 6, 15, 0)
    assert answered_within(start, start + timedelta(hours=48))


def test_answer_one_second_after_48_hours_is_late() -> None:
    start = local(2026, 3, 6, 15, 0)
    assert not answered_within(start, start + timedelta(hours=48, seconds=1))


def test_unanswered_case_is_not_answered_within() -> None:
    assert not answered_within(local(2026, 3, 6, 15, 0), None)


def test_answered_within_uses_elapsed_hours_across_weekends() -> None:
    start = local(2026, 3, 6, 15, 0)  # Friday
    assert not answered_within(start, local(2026, 3, 9, 9, 0), hours=48)


def test_reminder_is_set_hours_before_deadline() -> None:
    assert remind_at(local(2026, 3, 10, 15, 0), 24) == local(2026, 3, 9, 15, 0)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(days=2, hours=5, minutes=59), (2, 5)),
        (timedelta(minutes=59), (0, 0)),
        (-timedelta(days=1, hours=3, minutes=10), (1, 3)),
        (timedelta(0), (0, 0)),
    ],
)
def test_humanize_left_gives_whole_days_and_hours_of_absolute_value(
    delta: timedelta, expected: tuple[int, int]
) -> None:
    assert humanize_left(delta) == expected


# --- holiday data ---------------------------------------------------------------------------


def test_holiday_data_has_no_duplicate_dates() -> None:
    duplicates = [day for day, count in Counter(day for day, _, _ in DAYS).items() if count > 1]
    assert duplicates == []


def test_every_holiday_date_parses_and_is_sorted() -> None:
    parsed = [day for day, _, _ in calendar_days()]
    assert [d.isoformat() for d in parsed] == [day for day, _, _ in DAYS]
    assert parsed == sorted(parsed)


def test_every_makeup_workday_is_a_weekend_day_named_after_its_festival() -> None:
    for day, is_workday, name in calendar_days():
        if is_workday:
            assert day.weekday() >= 5, day
            assert name.removesuffix("调休上班") in FESTIVALS, name


def test_every_day_off_is_named_after_a_festival() -> None:
    assert {name for _, is_workday, name in DAYS if not is_workday} == FESTIVALS


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_each_year_has_all_seven_festivals(year: int) -> None:
    by_year: dict[int, set[str]] = defaultdict(set)
    for day, is_workday, name in calendar_days():
        if not is_workday:
            by_year[day.year].add(name)
    assert by_year[year] == FESTIVALS


def test_2026_spring_festival_is_nine_days_with_two_makeup_saturdays() -> None:
    spring = [(day, w) for day, w, name in calendar_days() if day.year == 2026 and name.startswith("春节")]
    assert [day for day, w in spring if not w] == [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]
    assert [day for day, w in spring if w] == [date(2026, 2, 14), date(2026, 2, 28)]
