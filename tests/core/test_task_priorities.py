"""One worker serves every queue: what a person waits for runs before batch work."""

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from lianxin.cases.tasks import sla_sweep
from lianxin.core import priorities
from lianxin.hotspots.tasks import find_duplicates, sign_missing
from lianxin.notifications.tasks import deliver_pending
from lianxin.reports.tasks import generate_report, schedule_reports
from lianxin.routing.tasks import predict_case, retrain_weekly

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_tasks_after_intake_outrank_sweeps_and_sweeps_outrank_batch_work():
    after_intake = {predict_case.priority, find_duplicates.priority}
    batch = {retrain_weekly.priority, sign_missing.priority, schedule_reports.priority}
    assert min(after_intake) > deliver_pending.priority > sla_sweep.priority > max(batch)


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_the_worker_takes_a_new_opinions_prediction_before_queued_reports():
    for report_id in (1, 2, 3):
        generate_report.using(priority=priorities.BATCH).enqueue(report_id)
    retrain_weekly.enqueue()
    generate_report.enqueue(4)  # a report someone asked for
    predict_case.enqueue(42)
    order = [(r.task_path.rsplit(".", 1)[1], r.args_kwargs["args"]) for r in DBTaskResult.objects.ready()]
    assert order[:2] == [("generate_report", [4]), ("predict_case", [42])]  # then first come, first served
    assert order[2:] == [
        ("generate_report", [1]),
        ("generate_report", [2]),
        ("generate_report", [3]),
        ("retrain_weekly", []),
    ]
