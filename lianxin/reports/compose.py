"""Build the report (document.Document) from its figures: sentences from writing.py, tables
and charts from the same rows. Runs in the active language."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lianxin.cockpit.selectors import REPLY_WINDOW
from lianxin.places.models import PlaceKind

from . import charts, writing
from .document import Bullets, Chart, Document, Paragraph, Section, Table
from .periods import PeriodKind
from .selectors import ReportFigures

HOURS = int(REPLY_WINDOW.total_seconds() // 3600)
TABLE_ROWS = 12


def compose(f: ReportFigures) -> Document:
    period, totals, before = f.period, f.current["totals"], f.previous["totals"]
    today = formats.date_format(timezone.localtime(f.now).date(), "DATE_FORMAT")
    names = {"place": f.place.name, "period": period.label()}
    title = (
        _("Public opinion analysis report of %(place)s, %(period)s")
        if period.kind == PeriodKind.QUARTER
        else _("Monthly public opinion analysis report of %(place)s, %(period)s")
    ) % names
    sections = [
        _overview(f, today),
        _categories(f),
        _places(f),
        _hot(f),
        _departments(f, today),
        _satisfaction(f),
        _deputies(f),
        _advice(f),
        _method(),
    ]
    return Document(
        title=title,
        subtitle=_("Opinions received from %(start)s to %(end)s, in %(place)s and the places under it")
        % {**names, "start": _date(period.start), "end": _date(period.end)},
        issuer=_office_name(f.place),
        date_line=_("Issued on %(date)s") % {"date": today},
        summary=writing.sentences(writing.volume(period, totals, before), writing.handling(totals, HOURS)),
        sections=[s for s in sections if s.blocks],
        footer=_("%(place)s · %(period)s · no personal data") % names,
    )


def _date(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _office_name(place) -> str:
    if place.kind == PlaceKind.DISTRICT:
        return _("Standing Committee of the %(place)s People's Congress") % {"place": place.name}
    return _("People's Congress office of %(place)s") % {"place": place.name}


def _overview(f: ReportFigures, today: str) -> Section:
    t, b = f.current["totals"], f.previous["totals"]
    rows = [
        [_("Received"), str(t["received"]), str(b["received"])],
        [_("Answered"), str(t["answered"]), str(b["answered"])],
        [_("Answered within %(hours)d hours") % {"hours": HOURS},
         writing.percent(t["rate_48h"]), writing.percent(b["rate_48h"])],
        [_("Closed"), str(t["closed"]), str(b["closed"])],
        [_("Average satisfaction (of 5 stars)"), writing.stars(t["rating_avg"]), writing.stars(b["rating_avg"])],
        [_("Satisfied (4–5 stars)"), writing.percent(t["satisfied_share"]), writing.percent(b["satisfied_share"])],
        [_("Adopted"), str(t["adopted"]), str(b["adopted"])],
    ]  # fmt: skip
    # The volume and handling sentences open the report (Document.summary): not repeated here.
    blocks: list = [
        Table(_("Key figures"), [_("Figure"), f.period.label(), f.period.previous().label()], rows, numeric=(1, 2)),
    ]
    if any(m["received"] for m in f.trend):
        labels = [formats.date_format(m["month"], "YEAR_MONTH_FORMAT") for m in f.trend]
        png = charts.trend(
            labels, [m["received"] for m in f.trend], [m["answered"] for m in f.trend],
            names=(_("Received"), _("Answered")),
        )  # fmt: skip
        blocks.append(Chart(_("Opinions received and answered, by month (12 months)"), png))
    return Section(_("1. Overview"), blocks)


def _categories(f: ReportFigures) -> Section:
    total = f.current["totals"]["received"]
    rows, before = f.current["by_category"], f.previous["by_category"]
    blocks: list = [Paragraph(s) for s in writing.categories(f.period, rows, before, total)]
    if not rows:
        return Section(_("2. What residents raised"), blocks)
    previous = {r["name"]: r["received"] for r in before}
    shown = rows[:TABLE_ROWS]
    blocks.append(
        Chart(
            _("Opinions by category"),
            charts.compare_bars(
                [r["name"] for r in shown], [r["received"] for r in shown], [previous.get(r["name"], 0) for r in shown],
                names=(f.period.label(), f.period.previous().label()),
            ),
        )
    )  # fmt: skip
    table_rows = [
        [r["name"], str(r["received"]), writing.percent(r["received"] / total), str(previous.get(r["name"], 0)),
         writing.percent(r["rate_48h"]), writing.stars(r["rating_avg"])]
        for r in rows
    ]  # fmt: skip
    headers = [_("Category"), _("Received"), _("Share"), f.period.previous().label(), _("Within 48 h"), _("Rating")]
    blocks.append(Table(_("Opinions by category"), headers, table_rows, numeric=(1, 2, 3, 4, 5)))
    if f.quotes:
        blocks.append(Paragraph(_("Typical opinions, as residents wrote them (personal details removed):")))
        blocks.append(Bullets([_("%(name)s: “%(quote)s”") % q for q in f.quotes if q["quote"]]))
    return Section(_("2. What residents raised"), blocks)


def _places(f: ReportFigures) -> Section:
    total = f.current["totals"]["received"]
    rows = list(f.current["by_place"])
    if not total or len(rows) < 2:
        text = writing.places(rows, total)
        return Section(_("3. Where the opinions came from"), [Paragraph(text)] if text else [])
    before = {r["name"]: r["received"] for r in f.previous["by_place"]}
    ranked = sorted(rows, key=lambda r: -r["received"])[:TABLE_ROWS]
    blocks = [
        Paragraph(writing.places(rows, total)),
        Chart(
            _("Opinions by place"),
            charts.compare_bars(
                [r["name"] for r in ranked], [r["received"] for r in ranked],
                [before.get(r["name"], 0) for r in ranked],
                names=(f.period.label(), f.period.previous().label()),
            ),
        ),
        Table(
            _("Opinions by place"),
            [_("Place"), _("Received"), f.period.previous().label(), _("Within 48 h"), _("Closed"), _("Rating")],
            [[r["name"], str(r["received"]), str(before.get(r["name"], 0)), writing.percent(r["rate_48h"]),
              str(r["closed"]), writing.stars(r["rating_avg"])] for r in ranked],
            numeric=(1, 2, 3, 4, 5),
        ),
    ]  # fmt: skip
    return Section(_("3. Where the opinions came from"), blocks)


def _hot(f: ReportFigures) -> Section:
    intro, items = writing.hot_issues(f.period, f.hot)
    blocks: list = [Paragraph(intro)]
    if items:
        blocks.append(Bullets(items))
    return Section(_("4. Hot issues"), blocks)


def _departments(f: ReportFigures, today: str) -> Section:
    rows = f.departments
    blocks: list = [
        Paragraph(s) for s in writing.departments(f.period, rows, f.current["totals"]["overdue_now"], today)
    ]
    if not rows:
        return Section(_("5. How departments handled them"), blocks)
    shown = rows[:TABLE_ROWS]
    blocks.append(
        Chart(
            _("Share answered within %(hours)d hours, by department") % {"hours": HOURS},
            charts.rate_bars([r["name"] for r in shown], [r["rate_48h"] for r in shown],
                             target=writing.TARGET_48H, target_label=_("Target"), below_label=_("Below target")),
        )
    )  # fmt: skip
    headers = [_("Department"), _("Assigned"), _("Answered"), _("Within 48 h"), _("Past deadline"),
               _("Overdue now"), _("Returned"), _("Rating")]  # fmt: skip
    table_rows = [
        [r["name"], str(r["received"]), str(r["answered"]), writing.percent(r["rate_48h"]), str(r["escalated"]),
         str(r["overdue_now"]), str(r["returned"]), writing.stars(r["rating_avg"])]
        for r in rows
    ]  # fmt: skip
    blocks.append(Table(_("Departments"), headers, table_rows, numeric=(1, 2, 3, 4, 5, 6, 7)))
    return Section(_("5. How departments handled them"), blocks)


def _satisfaction(f: ReportFigures) -> Section:
    t = f.current["totals"]
    adopted = [r for r in f.current["by_category"] if r["adopted"]]
    return Section(
        _("6. Satisfaction and adoption"),
        [
            Paragraph(writing.satisfaction(f.period, t, f.previous["totals"])),
            Paragraph(writing.adoption(f.period, t, adopted)),
        ],
    )


def _deputies(f: ReportFigures) -> Section:
    activity = f.deputies
    blocks: list = [Paragraph(writing.deputies(f.period, activity, f.current["totals"]["received"]))]
    if activity["stations"]:
        headers = [_("Liaison station"), _("Brought in"), _("Urged"), _("Followed")]
        rows = [[s["name"], str(s["brought_in"]), str(s["urged"]), str(s["followed"])] for s in activity["stations"]]
        blocks.append(Table(_("Deputies' work by liaison station"), headers, rows, numeric=(1, 2, 3)))
    return Section(_("7. What deputies did"), blocks)


def _advice(f: ReportFigures) -> Section:
    totals = f.current["totals"]
    rising = writing.rising_category(f.current["by_category"], f.previous["by_category"])
    return Section(_("8. Next steps"), [Bullets(writing.advice(totals, f.departments, rising, f.hot))])


def _method() -> Section:
    return Section(
        _("How we count"),
        [
            Paragraph(
                _(
                    "Opinions are counted in the period they were received, in the place and every place under it. "
                    "“Within %(hours)d hours” compares the first answer on each case's timeline with its submission; "
                    "opinions still within their first %(hours)d hours count neither way. Satisfaction is each rated "
                    "case's latest rating. “Past deadline” counts the period's cases whose deadline passed unanswered; "
                    "“overdue now” is measured on the day of issue. Deputies' urging and following are counted on the "
                    "day they happened. Quotes are shortened and stripped of names, numbers and addresses."
                )
                % {"hours": HOURS}
            )
        ],
    )
