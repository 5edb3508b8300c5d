"""Asking for a report, the worker making it, the archive listing it, and who may see it."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.core.errors import ApplicationError
from lianxin.reports import services
from lianxin.reports.models import Report, ReportOrigin, ReportStatus
from lianxin.reports.periods import Period, PeriodKind
from tests.reports.conftest import Q1

ARCHIVE = "/reports/"


def ask(client, place, *, kind="quarter", month="2025-02"):
    return client.post(reverse("reports:request"), {"place": place.pk, "period_kind": kind, "month": month})


def test_an_office_asks_for_a_report_and_the_archive_lists_its_files(
    report_history, at_now, client, django_capture_on_commit_callbacks
):
    world = report_history.world
    client.force_login(world.office1)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, world.town1)
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.status, report.origin, report.requested_by) == (
        ReportStatus.DONE,
        ReportOrigin.ON_DEMAND,
        world.office1,
    )
    assert report.period == Q1 and report.language == "en"
    assert report.pdf_size > 10_000 and report.docx_size > 10_000
    page = client.get(ARCHIVE).content.decode()
    assert reverse("reports:download", args=[report.pk, "pdf"]) in page
    assert reverse("reports:download", args=[report.pk, "docx"]) in page
    assert str(world.office1) in page
    pdf = client.get(reverse("reports:download", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_queued_report_shows_as_being_generated_with_a_reload_link(report_history, at_now, client):
    world = report_history.world
    client.force_login(world.office1)
    ask(client, world.town1)  # no commit callbacks run: the worker has not made it yet
    page = client.get(ARCHIVE).content.decode()
    assert "Being generated" in page
    assert f'href="{ARCHIVE}"' in page  # the reload link, for browsers without JavaScript
    assert 'hx-trigger="every 3s"' in page
    fragment = client.get(ARCHIVE, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="report-list"')


def test_asking_twice_while_queued_queues_one_report(report_history, at_now):
    world = report_history.world
    first = services.report_request(user=world.office1, place=world.town1, period=Q1, language="zh-hans")
    again = services.report_request(user=world.office1, place=world.town1, period=Q1, language="zh-hans")
    assert first.pk == again.pk


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period_kind": "quarter", "month": "2025-13"}, "is not a month"),
        ({"period_kind": "quarter", "month": "soon"}, "is not a month"),
        ({"period_kind": "month", "month": "2025-06"}, "has not ended yet"),
        ({"period_kind": "yearly", "month": "2025-02"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_a_clear_message_not_an_error(report_history, at_now, client, data, message):
    world = report_history.world
    client.force_login(world.office1)
    response = client.post(reverse("reports:request"), {"place": world.town1.pk} | data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Report.objects.exists()


def test_a_place_outside_the_scope_cannot_be_asked_for(report_history, at_now, client):
    world = report_history.world
    client.force_login(world.office1)
    response = ask(client, world.town2)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Report.objects.exists()


def test_reports_outside_the_scope_are_not_found(report_history, at_now, client, django_capture_on_commit_callbacks):
    world = report_history.world
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(user=world.office2, place=world.town2, period=Q1, language="en")
    download = reverse("reports:download", args=[report.pk, "pdf"])
    client.force_login(world.office1)
    assert client.get(download).status_code == 404
    assert download not in client.get(ARCHIVE).content.decode()
    client.force_login(world.district_office)  # the district sees its towns' reports
    assert client.get(download).status_code == 200
    assert client.get(reverse("reports:download", args=[report.pk, "exe"])).status_code == 404


@pytest.mark.parametrize("persona", ["handler_a", "outsider"])
def test_people_without_places_have_no_archive(report_history, at_now, client, persona):
    client.force_login(getattr(report_history.world, persona))
    assert client.get(ARCHIVE).status_code == 404
    assert ask(client, report_history.world.town1).status_code == 404


def test_the_archive_needs_a_login(client):
    assert client.get(ARCHIVE).status_code == 302


def test_a_failed_generation_is_recorded_and_shown(report_history, at_now, client, monkeypatch):
    world = report_history.world
    report = services.report_request(user=world.office1, place=world.town1, period=Q1, language="en")
    monkeypatch.setattr(services, "render_pdf", lambda document: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.report_generate(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "ZeroDivisionError" in report.error
    client.force_login(world.office1)
    assert "Failed" in client.get(ARCHIVE).content.decode()
    assert services.report_generate(report_id=report.pk) is False


def test_a_period_that_has_not_ended_is_refused_by_the_service(report_history, at_now):
    world = report_history.world
    june = Period(PeriodKind.MONTH, date(2025, 6, 1))
    with pytest.raises(ApplicationError, match="只能生成已结束期间的报告") as refused:
        services.report_request(user=world.office1, place=world.town1, period=june, language="en")
    assert refused.value.code == "period_not_over"


def test_the_archive_costs_the_same_queries_however_many_reports_it_lists(report_history, at_now, client):
    world = report_history.world
    client.force_login(world.district_office)

    def queries_for_archive() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ARCHIVE).status_code == 200
        return len(captured.captured_queries)

    for place in (world.town1, world.town2):
        Report.objects.create(place=place, period_kind="month", period_start=date(2025, 1, 1), language="en",
                              origin=ReportOrigin.ON_DEMAND, requested_by=world.office1)  # fmt: skip
    few = queries_for_archive()
    for place in (world.district, world.town1, world.town2):
        Report.objects.create(place=place, period_kind="quarter", period_start=date(2025, 1, 1), language="en",
                              origin=ReportOrigin.SCHEDULED)  # fmt: skip
    assert queries_for_archive() == few
