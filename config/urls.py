from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("lianxin.core.urls")),
    path("", include("lianxin.cases.urls_public")),
    path("accounts/", include("lianxin.accounts.urls")),
    path("desk/", include("lianxin.cases.urls")),
    path("deputies/", include("lianxin.deputies.urls")),
    path("cockpit/", include("lianxin.cockpit.urls")),
    path("reports/", include("lianxin.reports.urls")),
    path("ballots/", include("lianxin.ballots.urls")),
    path("hot/", include("lianxin.hotspots.urls")),
    path("triage/", include("lianxin.routing.urls")),
    path("inbox/", include("lianxin.notifications.urls")),
    path("projects/", include("lianxin.projects.urls")),
    path("p/", include("lianxin.projects.urls_public")),
    path("open311/v2/", include("lianxin.api.open311_urls")),
    path("api/v1/", include("lianxin.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "lianxin.core.views.bad_request"
handler403 = "lianxin.core.views.permission_denied"
handler404 = "lianxin.core.views.not_found"
handler500 = "lianxin.core.views.server_error"
