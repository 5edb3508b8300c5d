"""GeoReport v2 at /open311/v2/: thin views over the api selectors and services.

Every endpoint answers in the format its URL ends with (.json or .xml; XML when there is
none, as the spec's default), and every failure in the spec's error list with the HTTP
status the spec asks for: 400 bad input, 403 missing or wrong api_key, 404 unknown."""

import json
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from lianxin.core.errors import ApplicationError

from . import open311_present as present
from .open311_params import parse_new_request, parse_request_query
from .open311_render import CONTENT_TYPES, DEFAULT_FORMAT, MIME_TYPES, render
from .selectors import (
    jurisdiction_place,
    open311_changeset,
    open311_request_get,
    open311_request_list,
    open311_service_get,
    open311_service_list,
    open311_token_get,
)
from .services import api_client_authenticate, open311_request_submit

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
STATUS_BY_CODE = {
    "api_key": 403,
    "not_found": 404,
    "unknown_service": 404,
    "unknown_jurisdiction": 404,
    "throttled": 429,
}


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return render([present.error_record(status, description)], fmt, root="errors", status=status)


def _language(request: HttpRequest) -> str:
    """The `locale` parameter if we speak it; otherwise what LocaleMiddleware chose."""
    wanted = (request.GET.get("locale") or "").strip().replace("_", "-").lower()
    try:
        return translation.get_supported_language_variant(wanted) if wanted else translation.get_language()
    except LookupError:
        return translation.get_language()


def _refuse_nul(*values: str) -> None:
    """PostgreSQL cannot store or even compare text holding NUL: refuse it at the door."""
    if any("\x00" in value for value in values):
        raise ApplicationError(_("The request contains a NUL character."), code="bad_param")


def open311_endpoint(*methods: str) -> Callable:
    """Format, language, allowed methods and ApplicationError → spec error, for one view."""
    allowed = set(methods) | ({"HEAD"} if "GET" in methods else set())

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def endpoint(request: HttpRequest, *args, fmt: str | None = None, **kwargs) -> HttpResponse:
            fmt = (fmt or DEFAULT_FORMAT).lower()
            with translation.override(_language(request)):
                if fmt not in CONTENT_TYPES:
                    return _error(DEFAULT_FORMAT, 404, _("Unknown format: please use .xml or .json."))
                if request.method not in allowed:
                    response = _error(fmt, 405, _("This method is not allowed here."))
                    response["Allow"] = ", ".join(sorted(allowed))
                    return response
                try:
                    _refuse_nul(request.path, *request.GET.values())
                    return view(request, *args, fmt=fmt, **kwargs)
                except ApplicationError as error:
                    return _error(fmt, STATUS_BY_CODE.get(error.code, 400), error.message)

        return endpoint

    return decorate


def _jurisdiction_id(request: HttpRequest) -> str:
    """Validated when given (404 if unknown); optional while we serve one district."""
    jurisdiction_id = (request.GET.get("jurisdiction_id") or "").strip()
    if jurisdiction_id:
        jurisdiction_place(jurisdiction_id)
    return jurisdiction_id


# --- discovery and services -----------------------------------------------------------------


def _endpoint_url(request: HttpRequest) -> str:
    path = reverse("open311:discovery", kwargs={"fmt": "json"}).rsplit("/", 1)[0]
    return (settings.SITE_URL.rstrip("/") + path) if settings.SITE_URL else request.build_absolute_uri(path)


@open311_endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    changeset = present.w3c(open311_changeset())
    endpoint = {
        "specification": SPECIFICATION,
        "url": _endpoint_url(request),
        "changeset": changeset,
        "type": "production",
        "formats": MIME_TYPES,
    }
    record = {
        "changeset": changeset,
        "contact": settings.OPEN311_CONTACT or _("Please contact the congress office of your district."),
        "key_service": settings.OPEN311_KEY_SERVICE
        or _("Apps that post requests need an api_key: please ask the system administrator for one."),
        "endpoints": [endpoint],
    }
    return render(record, fmt, root="discovery")


@open311_endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    _jurisdiction_id(request)
    return render([present.service_record(c) for c in open311_service_list()], fmt, root="services")


@open311_endpoint("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    _jurisdiction_id(request)
    category = open311_service_get(code)
    return render(present.service_definition(category), fmt, root="service_definition")


# --- service requests -----------------------------------------------------------------------


def _post_params(request: HttpRequest) -> dict[str, str]:
    """The spec posts a form; we also take a JSON object. Query-string values (some
    clients put api_key there) count too, the body winning."""
    params = request.GET.dict()
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise ApplicationError(_("The request body is not valid JSON."), code="bad_param")
        if not isinstance(body, dict):
            raise ApplicationError(_("The request body must be a JSON object."), code="bad_param")
        params.update({str(k): "" if v is None else str(v) for k, v in body.items()})
    else:
        params.update(request.POST.dict())
    _refuse_nul(*params.keys(), *params.values())
    return params


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    params = _post_params(request)
    api_key = (params.get("api_key") or "").strip()
    if not api_key:
        raise ApplicationError(_("api_key is required to post a request."), code="api_key")
    client = api_client_authenticate(api_key)
    if client is None:
        raise ApplicationError(_("Invalid api_key received: the request was not created."), code="api_key")
    new = parse_new_request(params)
    idempotency_key = request.headers.get("Idempotency-Key", "").strip()
    token, _created = open311_request_submit(client=client, new=new, idempotency_key=idempotency_key)
    return render([present.created_record(token)], fmt, root="service_requests")


@open311_endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    cases = open311_request_list(parse_request_query(request.GET))
    return render([present.request_record(c) for c in cases], fmt, root="service_requests")


@open311_endpoint("GET")
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    case = open311_request_get(request_id, jurisdiction_id=_jurisdiction_id(request))
    return render([present.request_record(case)], fmt, root="service_requests")


@open311_endpoint("GET")
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    _jurisdiction_id(request)
    return render([present.token_record(open311_token_get(token))], fmt, root="service_requests")


@open311_endpoint("GET", "POST")
def not_found(request: HttpRequest, fmt: str) -> HttpResponse:
    return _error(fmt, 404, _("There is no such GeoReport v2 resource."))
