"""Report periods and the anonymised quotes."""

from datetime import date

from django.utils import translation

from lianxin.reports.anonymise import anonymise, short_quote
from lianxin.reports.periods import Period, PeriodKind, last_complete, period_of


def test_a_quarter_runs_three_calendar_months_and_follows_the_one_before():
    q = period_of("quarter", date(2025, 2, 14))
    assert (q.start, q.end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert q.previous() == Period(PeriodKind.QUARTER, date(2024, 10, 1))
    assert q.previous().end == date(2024, 12, 31)


def test_a_month_ends_on_its_last_day_and_the_one_before_crosses_the_year():
    m = period_of("month", date(2024, 2, 10))
    assert m.end == date(2024, 2, 29)
    assert period_of("month", date(2025, 1, 5)).previous().start == date(2024, 12, 1)


def test_the_last_complete_period_is_the_one_before_today():
    assert last_complete("month", date(2025, 6, 1)).start == date(2025, 5, 1)
    assert last_complete("quarter", date(2025, 6, 15)).start == date(2025, 1, 1)
    assert last_complete("quarter", date(2025, 1, 1)).start == date(2024, 10, 1)


def test_labels_in_english():
    with translation.override("en"):
        assert Period(PeriodKind.QUARTER, date(2025, 4, 1)).label() == "Q2 2025"
        assert Period(PeriodKind.MONTH, date(2025, 6, 1)).label() == "June 2025"


def test_quotes_hide_names_phones_and_house_numbers():
    text = "我叫李建国，住幸福路88号3栋2单元501室，电话138 1234 5678，张先生家门口的路灯坏了，邮箱li@example.org。"
    masked = anonymise(text, known=["李建国"])
    for leaked in ("李建国", "88号", "3栋", "2单元", "501", "5678", "张先生", "li@example.org"):
        assert leaked not in masked
    assert "路灯坏了" in masked


def test_a_named_resident_stays_hidden_without_a_form_of_address():
    assert "王小红" not in anonymise("王小红反映楼道灯不亮。", known=["王小红", "13900001111"])


def test_a_quote_is_the_first_sentence_cut_short():
    assert short_quote("路灯坏了三个月。晚上出行很不方便。") == "路灯坏了三个月。"
    long = short_quote("噪音" * 40)
    assert len(long) == 40 and long.endswith("…")
