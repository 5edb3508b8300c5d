"""Writes for reports: ask for one (the worker makes it), make it, and the schedule's run.

A report row is created QUEUED and made by `tasks.generate_report` after the commit. Making
it is idempotent: only a QUEUED row is made, and the files and the DONE status are written
together, conditionally on the row still being QUEUED."""

import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lianxin.core import clock
from lianxin.core.errors import ApplicationError
from lianxin.places.models import Place, PlaceKind

from . import selectors
from .compose import compose
from .models import Report, ReportOrigin, ReportStatus
from .pdf import render_pdf
from .periods import Period, PeriodKind, last_complete
from .word import render_docx

logger = logging.getLogger(__name__)
SCHEDULED_KINDS = (PlaceKind.DISTRICT, PlaceKind.TOWN)


@transaction.atomic
def report_request(*, user, place: Place, period: Period, language: str) -> Report:
    """Queue a report for `place` and `period` in `language`. A report already queued for the
    same is returned instead of a second one."""
    if not selectors.may_report_on(user, place):
        raise ApplicationError(_("You may not make reports for this place."), code="not_allowed")
    if period.end >= timezone.localtime(clock.now()).date():
        raise ApplicationError(_("Reports are made for periods that have ended."), code="period_not_over")
    same = {"place": place, "period_kind": period.kind, "period_start": period.start, "language": language}
    queued = Report.objects.filter(status=ReportStatus.QUEUED, **same).first()
    if queued is not None:
        return queued
    report = Report.objects.create(origin=ReportOrigin.ON_DEMAND, requested_by=user, **same)
    _enqueue(report)
    return report


def _enqueue(report: Report) -> None:
    """After the commit; a report someone asked for goes before the scheduled ones."""
    from lianxin.core import priorities

    from .tasks import generate_report

    asked = report.origin == ReportOrigin.ON_DEMAND
    task = generate_report.using(priority=priorities.INTERACTIVE if asked else priorities.BATCH)
    transaction.on_commit(lambda: task.enqueue(report.pk))


def report_generate(*, report_id: int) -> bool:
    """Make the PDF and Word files of a queued report. False when there was nothing to do
    (already made, or the row is gone); a failure is recorded on the row and re-raised."""
    report = Report.objects.filter(pk=report_id, status=ReportStatus.QUEUED).select_related("place").first()
    if report is None:
        return False
    started = time.perf_counter()
    try:
        with translation.override(report.language):
            document = compose(selectors.report_figures(report.place, report.period))
            pdf, docx = render_pdf(document), render_docx(document)
    except Exception as error:
        Report.objects.filter(pk=report.pk, status=ReportStatus.QUEUED).update(
            status=ReportStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000], updated_at=clock.now()
        )
        raise
    return _store(report, pdf, docx, time.perf_counter() - started)


def _store(report: Report, pdf: bytes, docx: bytes, seconds: float) -> bool:
    stem = f"{report.place.code}-{report.period_kind}-{report.period_start:%Y-%m}-{report.language}-{report.pk}"
    with transaction.atomic():
        locked = Report.objects.select_for_update().filter(pk=report.pk, status=ReportStatus.QUEUED).first()
        if locked is None:
            return False
        locked.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        locked.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        now = clock.now()
        locked.pdf_size, locked.docx_size = len(pdf), len(docx)
        locked.status, locked.generated_at, locked.seconds, locked.updated_at = ReportStatus.DONE, now, seconds, now
        locked.save()
    return True


def reports_schedule(*, language: str | None = None) -> list[Report]:
    """Queue last month's and last quarter's report of every district and town, once each, in
    the site's language: the unique constraint on scheduled reports makes a second run (or two
    at once) a no-op."""
    language = language or settings.LANGUAGE_CODE
    today = timezone.localtime(clock.now()).date()
    created = []
    for place in Place.objects.filter(kind__in=SCHEDULED_KINDS).order_by("path"):
        for kind in PeriodKind:
            period = last_complete(kind, today)
            report = _schedule_one(place, period, language)
            if report is not None:
                created.append(report)
    return created


def _schedule_one(place: Place, period: Period, language: str) -> Report | None:
    same = {"place": place, "period_kind": period.kind, "period_start": period.start, "language": language}
    if Report.objects.filter(origin=ReportOrigin.SCHEDULED, **same).exists():
        return None
    try:
        with transaction.atomic():
            report = Report.objects.create(origin=ReportOrigin.SCHEDULED, **same)
            _enqueue(report)
    except IntegrityError:  # another run queued it meanwhile
        return None
    return report
