from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _


def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """An expired form must not lose what a resident typed: intake and solicitation pages re-render it."""
    resolver = getattr(request, "resolver_match", None)
    if request.method == "POST" and resolver and resolver.url_name == "intake":
        from lianxin.cases.views_public import intake_after_csrf_failure

        return intake_after_csrf_failure(request, resolver.kwargs)
    if request.method == "POST" and resolver and resolver.view_name == "projects_public:solicit":
        from lianxin.projects.views_public import solicit_after_csrf_failure

        return solicit_after_csrf_failure(request, resolver.kwargs)
    context = {"title": _("This page has expired"), "message": _("Please go back, reload the page and try again.")}
    return render(request, "core/error.html", context, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {"title": _("Page not found"), "message": _("The page does not exist or you may not see it.")}
    return render(request, "core/error.html", context, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    context = {"title": _("Something went wrong"), "message": _("Please try again in a moment.")}
    return render(request, "core/error.html", context, status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {"title": _("Not allowed"), "message": _("You may not do this.")}
    return render(request, "core/error.html", context, status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {"title": _("Bad request"), "message": _("The request could not be understood.")}
    return render(request, "core/error.html", context, status=400)


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers and WeChat ask for /favicon.ico whatever the page's <link rel="icon"> says."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
