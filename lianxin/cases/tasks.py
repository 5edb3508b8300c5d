"""Background work on cases. Each task is idempotent: running it twice changes nothing more."""

from datetime import timedelta

from django.conf import settings
from django_tasks import task

from lianxin.core import clock, priorities

from . import services
from .models import Case
from .workflow import AWAITING_REPLY, Status


@task(priority=priorities.ROUTINE)
def sla_sweep() -> dict[str, int]:
    """Remind departments before the deadline, escalate after it, close long-unrated replies."""
    now = clock.now()
    waiting = Case.objects.filter(status__in=AWAITING_REPLY, due_at__isnull=False).select_related(
        "place", "lead_department"
    )
    soon = now + timedelta(hours=settings.SLA_REMIND_BEFORE_HOURS)
    reminded = sum(
        services.case_remind(case=c) for c in waiting.filter(reminded_at__isnull=True, due_at__gt=now, due_at__lte=soon)
    )
    escalated = sum(services.case_escalate(case=c) for c in waiting.filter(escalated_at__isnull=True, due_at__lte=now))
    stale = now - timedelta(days=settings.AUTO_CLOSE_UNRATED_DAYS)
    closed = 0
    for case in Case.objects.filter(status=Status.REPLIED, replied_at__lte=stale):
        services.case_close_unrated(case=case)
        closed += 1
    return {"reminded": reminded, "escalated": escalated, "closed_unrated": closed}
