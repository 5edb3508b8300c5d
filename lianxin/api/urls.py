"""The JSON API at /api/v1/: the ninja API's routes, then a JSON 404 for anything else."""

from django.http import HttpRequest, JsonResponse
from django.urls import re_path
from django.utils.translation import gettext as _

from .apis import api

app_name = "api"  # = api.urls_namespace, so ninja's own reverse() calls resolve


def not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"detail": _("Not found.")}, status=404)


urlpatterns = [*api.urls[0], re_path(r"^.*$", not_found, name="not_found")]
