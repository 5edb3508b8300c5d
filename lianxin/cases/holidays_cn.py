"""PRC public holidays and make-up workdays (调休), as set each year by the State Council's
国务院办公厅关于部分节假日安排的通知. Pure data, no Django.

Every day of each holiday period is listed, weekend days inside it included, so the names can
label a calendar; make-up workdays are the Saturdays and Sundays worked in exchange. A
"与周末连休" period (a single day off joined to a weekend) lists that weekend too. Years not
listed here fall back to the plain Monday-Friday week: add each new notice when it is
published (usually in November for the following year).
"""

from datetime import date

# ("YYYY-MM-DD", is_workday, name)
DAYS: tuple[tuple[str, bool, str], ...] = (
    # 2024: 国办发明电〔2023〕7号. 元旦 1月1日 with the weekend before it; 春节 2月10日-17日,
    # work 2月4日(日) and 2月18日(日); 清明 4月4日-6日, work 4月7日(日); 劳动节 5月1日-5日,
    # work 4月28日(日) and 5月11日(六); 端午 6月10日 with the weekend before it; 中秋 9月15日-17日,
    # work 9月14日(六); 国庆 10月1日-7日, work 9月29日(日) and 10月12日(六).
    ("2023-12-30", False, "元旦"),
    ("2023-12-31", False, "元旦"),
    ("2024-01-01", False, "元旦"),
    ("2024-02-04", True, "春节调休上班"),
    ("2024-02-10", False, "春节"),
    ("2024-02-11", False, "春节"),
    ("2024-02-12", False, "春节"),
    ("2024-02-13", False, "春节"),
    ("2024-02-14", False, "春节"),
    ("2024-02-15", False, "春节"),
    ("2024-02-16", False, "春节"),
    ("2024-02-17", False, "春节"),
    ("2024-02-18", True, "春节调休上班"),
    ("2024-04-04", False, "清明节"),
    ("2024-04-05", False, "清明节"),
    ("2024-04-06", False, "清明节"),
    ("2024-04-07", True, "清明节调休上班"),
    ("2024-04-28", True, "劳动节调休上班"),
    ("2024-05-01", False, "劳动节"),
    ("2024-05-02", False, "劳动节"),
    ("2024-05-03", False, "劳动节"),
    ("2024-05-04", False, "劳动节"),
    ("2024-05-05", False, "劳动节"),
    ("2024-05-11", True, "劳动节调休上班"),
    ("2024-06-08", False, "端午节"),
    ("2024-06-09", False, "端午节"),
    ("2024-06-10", False, "端午节"),
    ("2024-09-14", True, "中秋节调休上班"),
    ("2024-09-15", False, "中秋节"),
    ("2024-09-16", False, "中秋节"),
    ("2024-09-17", False, "中秋节"),
    ("2024-09-29", True, "国庆节调休上班"),
    ("2024-10-01", False, "国庆节"),
    ("2024-10-02", False, "国庆节"),
    ("2024-10-03", False, "国庆节"),
    ("2024-10-04", False, "国庆节"),
    ("2024-10-05", False, "国庆节"),
    ("2024-10-06", False, "国庆节"),
    ("2024-10-07", False, "国庆节"),
    ("2024-10-12", True, "国庆节调休上班"),
    # 2025: 国办发明电〔2024〕12号, the first under the 2024 revision of 全国年节及纪念日放假办法
    # (除夕 and 5月2日 became statutory days off). 元旦 1月1日; 春节 1月28日-2月4日, work 1月26日(日)
    # and 2月8日(六); 清明 4月4日-6日; 劳动节 5月1日-5日, work 4月27日(日); 端午 5月31日-6月2日;
    # 国庆 and 中秋 together 10月1日-8日, work 9月28日(日) and 10月11日(六). 中秋 itself is 10月6日,
    # named so here so that every year lists all seven festivals.
    ("2025-01-01", False, "元旦"),
    ("2025-01-26", True, "春节调休上班"),
    ("2025-01-28", False, "春节"),
    ("2025-01-29", False, "春节"),
    ("2025-01-30", False, "春节"),
    ("2025-01-31", False, "春节"),
    ("2025-02-01", False, "春节"),
    ("2025-02-02", False, "春节"),
    ("2025-02-03", False, "春节"),
    ("2025-02-04", False, "春节"),
    ("2025-02-08", True, "春节调休上班"),
    ("2025-04-04", False, "清明节"),
    ("2025-04-05", False, "清明节"),
    ("2025-04-06", False, "清明节"),
    ("2025-04-27", True, "劳动节调休上班"),
    ("2025-05-01", False, "劳动节"),
    ("2025-05-02", False, "劳动节"),
    ("2025-05-03", False, "劳动节"),
    ("2025-05-04", False, "劳动节"),
    ("2025-05-05", False, "劳动节"),
    ("2025-05-31", False, "端午节"),
    ("2025-06-01", False, "端午节"),
    ("2025-06-02", False, "端午节"),
    ("2025-09-28", True, "国庆节调休上班"),
    ("2025-10-01", False, "国庆节"),
    ("2025-10-02", False, "国庆节"),
    ("2025-10-03", False, "国庆节"),
    ("2025-10-04", False, "国庆节"),
    ("2025-10-05", False, "国庆节"),
    ("2025-10-06", False, "中秋节"),
    ("2025-10-07", False, "国庆节"),
    ("2025-10-08", False, "国庆节"),
    ("2025-10-11", True, "国庆节调休上班"),
    # 2026: 国办发明电〔2025〕7号. 元旦 1月1日-3日, work 1月4日(日); 春节 2月15日-23日, work
    # 2月14日(六) and 2月28日(六); 清明 4月4日-6日; 劳动节 5月1日-5日, work 5月9日(六);
    # 端午 6月19日-21日; 中秋 9月25日-27日; 国庆 10月1日-7日, work 9月20日(日) and 10月10日(六).
    ("2026-01-01", False, "元旦"),
    ("2026-01-02", False, "元旦"),
    ("2026-01-03", False, "元旦"),
    ("2026-01-04", True, "元旦调休上班"),
    ("2026-02-14", True, "春节调休上班"),
    ("2026-02-15", False, "春节"),
    ("2026-02-16", False, "春节"),
    ("2026-02-17", False, "春节"),
    ("2026-02-18", False, "春节"),
    ("2026-02-19", False, "春节"),
    ("2026-02-20", False, "春节"),
    ("2026-02-21", False, "春节"),
    ("2026-02-22", False, "春节"),
    ("2026-02-23", False, "春节"),
    ("2026-02-28", True, "春节调休上班"),
    ("2026-04-04", False, "清明节"),
    ("2026-04-05", False, "清明节"),
    ("2026-04-06", False, "清明节"),
    ("2026-05-01", False, "劳动节"),
    ("2026-05-02", False, "劳动节"),
    ("2026-05-03", False, "劳动节"),
    ("2026-05-04", False, "劳动节"),
    ("2026-05-05", False, "劳动节"),
    ("2026-05-09", True, "劳动节调休上班"),
    ("2026-06-19", False, "端午节"),
    ("2026-06-20", False, "端午节"),
    ("2026-06-21", False, "端午节"),
    ("2026-09-20", True, "国庆节调休上班"),
    ("2026-09-25", False, "中秋节"),
    ("2026-09-26", False, "中秋节"),
    ("2026-09-27", False, "中秋节"),
    ("2026-10-01", False, "国庆节"),
    ("2026-10-02", False, "国庆节"),
    ("2026-10-03", False, "国庆节"),
    ("2026-10-04", False, "国庆节"),
    ("2026-10-05", False, "国庆节"),
    ("2026-10-06", False, "国庆节"),
    ("2026-10-07", False, "国庆节"),
    ("2026-10-10", True, "国庆节调休上班"),
)


def calendar_days() -> list[tuple[date, bool, str]]:
    """DAYS with parsed dates, e.g. for WorkCalendar.from_days((d, w) for d, w, _ in ...)."""
    return [(date.fromisoformat(day), is_workday, name) for day, is_workday, name in DAYS]
