"""Background work on reports. Both tasks are idempotent."""

import logging

from django_tasks import task

from lianxin.core import priorities

from . import services

logger = logging.getLogger(__name__)


@task(priority=priorities.INTERACTIVE)
def generate_report(report_id: int) -> bool:
    """Make one queued report's PDF and Word files."""
    return services.report_generate(report_id=report_id)


@task(priority=priorities.BATCH)
def schedule_reports() -> int:
    """Queue last month's and last quarter's reports of every district and town, once."""
    created = services.reports_schedule()
    if created:
        logger.info("Queued %d scheduled reports.", len(created))
    return len(created)
