"""GeoReport v2 (Open311) at /open311/v2/; resources end in .json or .xml (XML if neither)."""

from django.urls import re_path

from . import open311_views as views

app_name = "open311"

FMT = r"(?:\.(?P<fmt>[A-Za-z]+))?"

urlpatterns = [
    re_path(rf"^discovery{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^services{FMT}$", views.services, name="services"),
    re_path(rf"^services/(?P<code>[\w-]+?){FMT}$", views.service_definition, name="service"),
    re_path(rf"^requests{FMT}$", views.requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>[^/.]+){FMT}$", views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/.]+){FMT}$", views.token_detail, name="token"),
    re_path(rf"^.*?{FMT}$", views.not_found, name="not_found"),
]
