"""The report archive (民情分析报告): the list a user may see, the form that asks for a new
report, and the downloads. Reports are made by the worker; the page says "being generated"
and updates itself with htmx, or with its reload link without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from lianxin.core.errors import ApplicationError
from lianxin.places.scope import has_place_scope, user_scope

from . import selectors, services
from .forms import ReportRequestForm
from .models import Report, ReportStatus

SHOWN = 100
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _check_access(request: HttpRequest) -> None:
    if not has_place_scope(user_scope(request.user)):
        raise Http404


@login_required
@require_safe
def archive(request: HttpRequest) -> HttpResponse:
    _check_access(request)
    return _render_archive(request, ReportRequestForm(user=request.user))


def _render_archive(request: HttpRequest, form: ReportRequestForm, status: int = 200) -> HttpResponse:
    reports = list(selectors.report_list_for_user(request.user)[:SHOWN])
    context = {"form": form, "reports": reports, "busy": any(r.status == ReportStatus.QUEUED for r in reports)}
    template = "reports/_list.html" if request.headers.get("HX-Request") else "reports/archive.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def request_report(request: HttpRequest) -> HttpResponse:
    _check_access(request)
    form = ReportRequestForm(request.POST, user=request.user)
    if not form.is_valid():
        return _render_archive(request, form, status=400)
    place = form.cleaned_data["place"]
    try:
        services.report_request(user=request.user, place=place, period=form.period, language=get_language())
    except ApplicationError as error:
        form.add_error(None, str(error))
        return _render_archive(request, form, status=400)
    messages.success(
        request,
        _("The report of %(place)s for %(period)s is being generated.") % {
            "place": place.name, "period": form.period.label()
        },
    )  # fmt: skip
    return redirect("reports:archive")


@login_required
@require_safe
def download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    report = selectors.report_get_for_user(request.user, pk)
    stored = getattr(report, kind, None) if kind in CONTENT_TYPES else None
    if report.status != ReportStatus.DONE or not stored:
        raise Http404
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=_file_name(report, kind), content_type=CONTENT_TYPES[kind]
    )


def _file_name(report: Report, kind: str) -> str:
    return _("%(place)s %(period)s public opinion report.%(ext)s") % {
        "place": report.place.name, "period": report.period.label(), "ext": kind
    }  # fmt: skip
