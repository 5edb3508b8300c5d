"""The report's sentences, written from the figures. Pure functions of plain dicts (no
queries), so they are tested on hand-made figures: rises, falls, an empty previous period,
no case at all. Every sentence is one translatable string with named placeholders; when a
figure is missing or zero the sentence says so instead of dividing by it."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .periods import Period

TARGET_48H = 0.9  # the seeds' promise: "90%以上均在48小时内答复办结"
LOW_SATISFACTION = 0.8
TOP = 3


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def stars(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def join(items: list[str]) -> str:
    # Translators: separator between items of a list in a sentence; Chinese uses "、".
    return _(", ").join(items)


def sentences(*parts: str) -> str:
    """Sentences in a row: a space after a Western full stop, none after a Chinese one."""
    text = ""
    for part in filter(None, parts):
        text += part if not text or text[-1] in "。！？；：" else " " + part
    return text


def change(count: int, previous: int) -> float | None:
    """Relative change, None when there was nothing before."""
    return (count - previous) / previous if previous else None


# --- volume -------------------------------------------------------------------------------


def volume(period: Period, totals: dict, previous: dict) -> str:
    count, before = totals["received"], previous["received"]
    names = {"period": period.unit(), "previous_period": period.previous_unit(), "count": count, "previous": before}
    if not count and not before:
        return _("No opinion was received %(period)s, nor %(previous_period)s.") % names
    if not count:
        return _("No opinion was received %(period)s (%(previous_period)s: %(previous)d).") % names
    if not before:
        return (
            ngettext(
                "%(count)d opinion was received %(period)s. None was received %(previous_period)s, "
                "so there is no change to compare.",
                "%(count)d opinions were received %(period)s. None was received %(previous_period)s, "
                "so there is no change to compare.",
                count,
            )
            % names
        )
    names |= {"difference": abs(count - before), "percent": percent(abs(change(count, before)))}
    if count > before:
        return (
            ngettext(
                "%(count)d opinion was received %(period)s, %(difference)d more than "
                "%(previous_period)s (%(previous)d), up %(percent)s.",
                "%(count)d opinions were received %(period)s, %(difference)d more than "
                "%(previous_period)s (%(previous)d), up %(percent)s.",
                count,
            )
            % names
        )
    if count < before:
        return (
            ngettext(
                "%(count)d opinion was received %(period)s, %(difference)d fewer than "
                "%(previous_period)s (%(previous)d), down %(percent)s.",
                "%(count)d opinions were received %(period)s, %(difference)d fewer than "
                "%(previous_period)s (%(previous)d), down %(percent)s.",
                count,
            )
            % names
        )
    return ngettext(
        "%(count)d opinion was received %(period)s, as many as %(previous_period)s.",
        "%(count)d opinions were received %(period)s, as many as %(previous_period)s.",
        count,
    ) % names  # fmt: skip


def handling(totals: dict, hours: int) -> str:
    if not totals["received"]:
        return ""
    names = {
        "answered": totals["answered"], "closed": totals["closed"], "hours": hours,
        "rate": percent(totals["rate_48h"]), "target": percent(TARGET_48H),
    }  # fmt: skip
    if totals["rate_48h"] is None:
        return (
            _(
                "%(answered)d of them have been answered and %(closed)d closed; none can be measured against "
                "the %(hours)d-hour target yet."
            )
            % names
        )
    if totals["rate_48h"] >= TARGET_48H:
        text = _(
            "%(answered)d of them have been answered and %(closed)d closed; %(rate)s were answered within "
            "%(hours)d hours, meeting the %(target)s target."
        )
    else:
        text = _(
            "%(answered)d of them have been answered and %(closed)d closed; %(rate)s were answered within "
            "%(hours)d hours, short of the %(target)s target."
        )
    return text % names


# --- categories and places ------------------------------------------------------------------


def categories(period: Period, rows: list[dict], previous_rows: list[dict], total: int) -> list[str]:
    if not total:
        return []
    top = [_("%(name)s (%(count)d, %(share)s)") % _share(r, total) for r in rows[:TOP]]
    sentences = [_("The most frequent categories were %(list)s.") % {"list": join(top)}]
    rising = _most_risen(rows, previous_rows)
    if rising:
        sentences.append(rising)
    return sentences


def _share(row: dict, total: int) -> dict:
    return {"name": row["name"], "count": row["received"], "share": percent(row["received"] / total)}


def _most_risen(rows: list[dict], previous_rows: list[dict]) -> str:
    risen = rising_category(rows, previous_rows)
    if risen is None:
        return ""
    if not risen["previous"]:
        return _("%(name)s is new this time: %(count)d opinions, none before.") % risen
    return _("%(name)s rose the most, from %(previous)d to %(count)d (up %(percent)s).") % risen


def rising_category(rows: list[dict], previous_rows: list[dict]) -> dict | None:
    """The category that grew the most in number against a previous period that had cases:
    name, count, previous and the rise in percent (None for a category new this time)."""
    if not previous_rows:
        return None
    before = {r["name"]: r["received"] for r in previous_rows}
    grown = [r for r in rows if r["received"] > before.get(r["name"], 0)]
    if not grown:
        return None
    row = max(grown, key=lambda r: (r["received"] - before.get(r["name"], 0), r["received"]))
    previous = before.get(row["name"], 0)
    rise = change(row["received"], previous)
    return {"name": row["name"], "count": row["received"], "previous": previous, "percent": percent(rise)}


def places(rows: list[dict], total: int) -> str:
    ranked = [r for r in sorted(rows, key=lambda r: -r["received"]) if r["received"]]
    if not total or not ranked:
        return ""
    first = _share(ranked[0], total)
    if len(ranked) == 1:
        return _("All of them came from %(name)s.") % first
    rest = [_("%(name)s (%(count)d)") % _share(r, total) for r in ranked[1:TOP]]
    return _("%(name)s received the most (%(count)d, %(share)s of the total), followed by %(list)s.") % (
        first | {"list": join(rest)}
    )


# --- hot issues -----------------------------------------------------------------------------


def hot_issues(period: Period, issues: list[dict] | None) -> tuple[str, list[str]]:
    if issues is None:
        return _("The hot issues could not be worked out for this report."), []
    if not issues:
        return _("No issue was raised by several residents together %(period)s.") % {"period": period.unit()}, []
    intro = ngettext(
        "%(count)d issue was raised by several residents together:",
        "%(count)d issues were raised by several residents together:",
        len(issues),
    ) % {"count": len(issues)}
    return intro, [_hot_item(issue) for issue in issues]


def _hot_item(issue: dict) -> str:
    names = issue | {"name": issue["name"] or _("(unnamed)")}
    if issue["quote"]:
        return _("%(name)s: %(opinions)d opinions from %(residents)d residents. One of them wrote: “%(quote)s”") % names
    return _("%(name)s: %(opinions)d opinions from %(residents)d residents.") % names


# --- departments ----------------------------------------------------------------------------


def departments(period: Period, rows: list[dict], overdue_now: int, today: str) -> list[str]:
    if not rows:
        return [_("No case was assigned to a department %(period)s.") % {"period": period.unit()}]
    late = [r for r in sorted(rows, key=lambda r: -r["escalated"]) if r["escalated"]]
    escalated = sum(r["escalated"] for r in rows)
    if late:
        listed = join([_("%(name)s (%(count)d)") % {"name": r["name"], "count": r["escalated"]} for r in late[:5]])
        sentences = [ngettext(
            "%(count)d case received %(period)s passed its deadline without an answer: %(list)s.",
            "%(count)d cases received %(period)s passed their deadline without an answer: %(list)s.",
            escalated,
        ) % {"count": escalated, "period": period.unit(), "list": listed}]  # fmt: skip
    else:
        sentences = [_("Every department answered the cases received %(period)s within their deadlines.") % {
            "period": period.unit()
        }]  # fmt: skip
    overdue = [r for r in sorted(rows, key=lambda r: -r["overdue_now"]) if r["overdue_now"]]
    if overdue_now:
        listed = join([_("%(name)s (%(count)d)") % {"name": r["name"], "count": r["overdue_now"]} for r in overdue[:5]])
        sentences.append(ngettext(
            "On %(date)s, %(count)d case is still overdue: %(list)s.",
            "On %(date)s, %(count)d cases are still overdue: %(list)s.",
            overdue_now,
        ) % {"date": today, "count": overdue_now, "list": listed or "—"})  # fmt: skip
    return sentences


# --- satisfaction, adoption, deputies ----------------------------------------------------------


def satisfaction(period: Period, totals: dict, previous: dict) -> str:
    names = {
        "period": period.unit(), "previous_period": period.previous_unit(), "rated": totals["rated"],
        "average": stars(totals["rating_avg"]), "share": percent(totals["satisfied_share"]),
        "previous_share": percent(previous["satisfied_share"]),
    }  # fmt: skip
    if not totals["rated"]:
        return _("No answer to an opinion received %(period)s has been rated yet.") % names
    if previous["satisfied_share"] is None:
        return ngettext(
            "%(rated)d resident rated the answer: %(average)s of 5 stars on average, %(share)s satisfied (4–5 stars).",
            "%(rated)d residents rated the answers: %(average)s of 5 stars on average, %(share)s "
            "satisfied (4–5 stars).",
            totals["rated"],
        ) % names  # fmt: skip
    return ngettext(
        "%(rated)d resident rated the answer: %(average)s of 5 stars on average, %(share)s satisfied "
        "(4–5 stars), against %(previous_share)s %(previous_period)s.",
        "%(rated)d residents rated the answers: %(average)s of 5 stars on average, %(share)s "
        "satisfied (4–5 stars), against %(previous_share)s %(previous_period)s.",
        totals["rated"],
    ) % names  # fmt: skip


def adoption(period: Period, totals: dict, categories_adopted: list[dict]) -> str:
    adopted = totals["adopted"]
    if not adopted:
        return _("No suggestion received %(period)s has been marked as adopted yet.") % {"period": period.unit()}
    listed = join([_("%(name)s (%(count)d)") % {"name": r["name"], "count": r["adopted"]} for r in categories_adopted])
    return ngettext(
        "%(count)d suggestion was adopted by the departments: %(list)s.",
        "%(count)d suggestions were adopted by the departments: %(list)s.",
        adopted,
    ) % {"count": adopted, "list": listed}


def deputies(period: Period, activity: dict, total: int) -> str:
    t = activity["totals"]
    if not (t["brought_in"] or t["urged"] or t["followed"]):
        return _("No deputy brought in, urged or followed a case %(period)s.") % {"period": period.unit()}
    names = t | {"period": period.unit(), "share": percent(t["brought_in"] / total) if total else "—"}
    return ngettext(
        "%(active_deputies)d deputy took part %(period)s: deputies brought in %(brought_in)d "
        "opinions (%(share)s of the total) through their codes and visits, urged departments %(urged)d times "
        "and followed %(followed)d.",
        "%(active_deputies)d deputies took part %(period)s: they brought in %(brought_in)d opinions "
        "(%(share)s of the total) through their codes and visits, urged departments %(urged)d times "
        "and followed %(followed)d.",
        t["active_deputies"],
    ) % names  # fmt: skip


# --- advice -------------------------------------------------------------------------------------


def advice(totals: dict, departments_rows: list[dict], rising: dict | None, issues: list[dict] | None) -> list[str]:
    """What the office should do next, from the same figures."""
    if not totals["received"]:
        return [_("Keep the stations' codes visible and visit residents: no opinion came in this time.")]
    items = []
    if totals["rate_48h"] is not None and totals["rate_48h"] < TARGET_48H:
        slow = [r["name"] for r in sorted(departments_rows, key=lambda r: -r["escalated"]) if r["escalated"]][:3]
        names = {"rate": percent(totals["rate_48h"]), "target": percent(TARGET_48H), "list": join(slow) or "—"}
        items.append(_("Raise the 48-hour reply rate from %(rate)s to %(target)s, starting with %(list)s.") % names)
    if totals["overdue_now"]:
        items.append(_("Clear the %(count)d cases that are overdue now.") % {"count": totals["overdue_now"]})
    if rising and rising["previous"]:
        items.append(_("Look into %(name)s, which rose %(percent)s, with the departments concerned.") % rising)
    elif rising:
        items.append(
            _("Look into %(name)s, new this time with %(count)d opinions, with the departments concerned.") % rising
        )
    if issues:
        items.append(_("Follow up on “%(name)s”, raised by %(residents)d residents, until it is solved.") % issues[0])
    if totals["satisfied_share"] is not None and totals["satisfied_share"] < LOW_SATISFACTION:
        items.append(_("Review the answers rated 1–2 stars with the departments that wrote them."))
    if not items:
        items.append(_("Keep the present pace: answers are timely and residents are satisfied."))
    return items
