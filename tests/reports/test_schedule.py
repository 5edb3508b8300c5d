"""The schedule makes last month's and last quarter's report of every district and town,
once, however often it runs; the worker makes them and the archive lists them."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from lianxin.core import clock
from lianxin.reports.models import Report, ReportOrigin, ReportStatus
from lianxin.reports.tasks import generate_report, schedule_reports
from tests.cockpit.conftest import NOW
from tests.factories import World


def test_scheduled_reports_are_made_once_for_each_district_and_town(
    report_history, at_now, client, django_capture_on_commit_callbacks
):
    world = report_history.world
    with django_capture_on_commit_callbacks(execute=True):
        first = schedule_reports.call()
    assert first == 6  # the district and its two towns, monthly and quarterly
    reports = Report.objects.filter(origin=ReportOrigin.SCHEDULED)
    assert {(r.place.code, r.period_kind, r.period_start) for r in reports} == {
        (code, kind, start)
        for code in ("d", "t1", "t2")
        for kind, start in (("month", date(2025, 5, 1)), ("quarter", date(2025, 1, 1)))
    }
    assert all(r.status == ReportStatus.DONE and r.language == "zh-hans" for r in reports)
    with django_capture_on_commit_callbacks(execute=True):
        assert schedule_reports.call() == 0
    assert Report.objects.count() == 6
    client.force_login(world.office1)
    page = client.get("/reports/").content.decode()
    assert page.count("<td>Schedule</td>") == 2  # town 1's month and quarter; not the district's
    assert world.town2.name not in page
    client.force_login(world.district_office)
    assert client.get("/reports/").content.decode().count("<td>Schedule</td>") == 6


def test_generating_a_made_report_again_changes_nothing(report_history, at_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        schedule_reports.call()
    report = Report.objects.first()
    before = (report.pdf.name, report.generated_at)
    assert generate_report.call(report.pk) is False
    report.refresh_from_db()
    assert (report.pdf.name, report.generated_at) == before


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_makes_a_requested_report(settings, client):
    """The real path: the page queues the task in the database, `db_worker` runs it, the page
    then shows the links."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    world = World()
    client.force_login(world.office1)
    with clock.frozen_at(NOW):
        response = client.post(
            reverse("reports:request"), {"place": world.town1.pk, "period_kind": "quarter", "month": "2025-02"}
        )
        assert response.status_code == 302
        assert "Being generated" in client.get("/reports/").content.decode()
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        page = client.get("/reports/").content.decode()
    report = Report.objects.get()
    assert report.status == ReportStatus.DONE
    assert reverse("reports:download", args=[report.pk, "docx"]) in page
    assert "Being generated" not in page
