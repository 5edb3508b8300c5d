"""Background work on projects. Idempotent: running it twice tells nobody twice.
To run it periodically, settings.PERIODIC_TASKS needs ("lianxin.projects.tasks.milestones_overdue", 3600)."""

from django_tasks import task

from lianxin.core import priorities

from . import services_implementation


@task(priority=priorities.ROUTINE)
def milestones_overdue() -> int:
    """Tell each project's supervision group and the office once about a milestone past its date."""
    return services_implementation.milestones_overdue_sweep()
