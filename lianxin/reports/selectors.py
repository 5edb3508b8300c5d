"""Reads for reports: which reports and places a user may see, and the figures of one report.

The figures come from the cockpit's selectors, read as the congress office of the report's
place would (its whole subtree), so a report says the same whoever asked for it and can be
kept in an archive that everyone with that place in scope may open.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.http import Http404

from lianxin.accounts.models import Role
from lianxin.cases.models import Case
from lianxin.cockpit import selectors as cockpit
from lianxin.places.models import Place, PlaceKind
from lianxin.places.scope import Scope, has_place_scope, path_in_scope, user_scope

from .anonymise import short_quote
from .models import Report
from .periods import Period

logger = logging.getLogger(__name__)
HOT_ISSUES = 5
TREND_MONTHS = 12


# --- scope --------------------------------------------------------------------------------


def report_place_choices(user) -> QuerySet[Place]:
    """Places a user may make reports for: the cockpit's (the subtree, without grids)."""
    return cockpit.cockpit_place_choices(user)


def report_list_for_user(user) -> QuerySet[Report]:
    scope = user_scope(user)
    reports = Report.objects.select_related("place", "requested_by")
    if scope.is_admin:
        return reports
    if not has_place_scope(scope):
        return reports.none()
    return reports.filter(place__in=report_place_choices(user))


def report_get_for_user(user, pk: int) -> Report:
    report = report_list_for_user(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def may_report_on(user, place: Place) -> bool:
    scope = user_scope(user)
    return place.kind != PlaceKind.GRID and (scope.is_admin or path_in_scope(scope.place_paths, place.path))


# --- the figures of one report ---------------------------------------------------------------


class OfficeReader:
    """Reads like the congress office of `place`: its subtree and nothing else."""

    is_authenticated = True
    is_superuser = False
    pk = None

    def __init__(self, place: Place) -> None:
        self._lianxin_scope = Scope(office_paths=(place.path,), roles=frozenset({Role.CONGRESS_OFFICE}))


@dataclass
class ReportFigures:
    place: Place
    period: Period
    now: datetime
    current: dict  # cockpit_figures of the period
    previous: dict  # cockpit_figures of the period before
    trend: list[dict]  # received/answered/closed by month, the 12 months up to the period's end
    departments: list[dict]
    deputies: dict
    hot: list[dict] | None  # name, opinions, residents, urges, quote (anonymised); None: not available
    quotes: list[dict]  # a typical opinion of each top category: name, quote


def report_figures(place: Place, period: Period) -> ReportFigures:
    reader = OfficeReader(place)
    span = {"place": place, "date_from": period.start, "date_to": period.end}
    current = cockpit.cockpit_figures(reader, **span)
    before = period.previous()
    previous = cockpit.cockpit_figures(reader, place=place, date_from=before.start, date_to=before.end)
    trend_from = cockpit.add_months(period.end.replace(day=1), -(TREND_MONTHS - 1))
    trend = cockpit.cockpit_figures(reader, place=place, date_from=trend_from, date_to=period.end)["by_month"]
    return ReportFigures(
        place=place,
        period=period,
        now=current["now"],
        current=current,
        previous=previous,
        trend=trend,
        departments=cockpit.department_figures(reader, **span),
        deputies=cockpit.deputy_activity(reader, **span),
        hot=_hot_issues(reader, place, period.start, period.end, current["now"]),
        quotes=_typical_quotes(reader, place, period, current["by_category"][:3]),
    )


def _hot_issues(reader, place: Place, date_from: date, date_to: date, now: datetime) -> list[dict] | None:
    try:
        from lianxin.hotspots.selectors import hot_issues
    except ImportError:  # the hot-issues app is optional for reports
        logger.warning("Hot issues are not available: the report says so.")
        return None
    try:
        page = hot_issues(reader, place=place, date_from=date_from, date_to=date_to, now=now)
    except Exception:  # a report is still worth sending without them; the log keeps the error
        logger.exception("Hot issues failed for %s %s–%s: the report says so.", place.code, date_from, date_to)
        return None
    issues = page.issues[:HOT_ISSUES]
    contacts = _contacts([i.original.case_id for i in issues])
    return [
        {
            "name": "、".join(issue.name),  # key terms, as the hot-issues page shows them
            "opinions": issue.opinions,
            "residents": issue.residents,
            "urges": issue.urges,
            "quote": short_quote(contacts.get(issue.original.case_id, ("", []))[0], known=_known(issue, contacts)),
        }
        for issue in issues
    ]


def _known(issue, contacts: dict) -> list[str]:
    return contacts.get(issue.original.case_id, ("", []))[1]


def _contacts(case_ids: list[int]) -> dict[int, tuple[str, list[str]]]:
    """Each case's text with the personal values to hide wherever they appear in it."""
    rows = Case.objects.filter(pk__in=case_ids).values(
        "pk", "text", "contact_name", "contact_phone", "contact_email", "address"
    )
    return {
        r["pk"]: (r["text"], [r["contact_name"], r["contact_phone"], r["contact_email"], r["address"]]) for r in rows
    }


def _typical_quotes(reader, place: Place, period: Period, top_categories: list[dict]) -> list[dict]:
    """For each top category, the most urged (then latest) opinion of the period, quoted."""
    cases = cockpit.case_list_for_user(reader).filter(
        place__path__startswith=place.path,
        created_at__gte=cockpit.day_start(period.start),
        created_at__lt=cockpit.day_start(period.end + timedelta(days=1)),
    )
    quotes = []
    for row in top_categories:
        if row["category_id"] is None:
            continue
        found = cases.filter(category_id=row["category_id"]).order_by("-reopen_count", "-created_at").first()
        if found is not None:
            known = [found.contact_name, found.contact_phone, found.contact_email, found.address]
            quotes.append({"name": row["name"], "quote": short_quote(found.text, known=known)})
    return quotes
