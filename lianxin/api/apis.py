"""The JSON API at /api/v1/ (django-ninja): bearer tokens act as their user, and every
read goes through the same scoped selectors as the web pages. Errors are JSON."""

import logging
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer

from lianxin.accounts.models import Role
from lianxin.accounts.selectors import memberships_of
from lianxin.cases.selectors import case_list_for_user
from lianxin.cockpit.api import router as cockpit_router
from lianxin.core.errors import ApplicationError
from lianxin.places.scope import user_scope

from .masking import mask_case_text
from .services import api_token_authenticate

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user  # selectors take the user, as in the web views
        return user


api = NinjaAPI(title="Lianxin API", version="1", urls_namespace="api", auth=BearerToken())


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    return api.create_response(request, {"detail": error.message, "code": error.code}, status=400)


@api.exception_handler(Exception)
def unexpected_error(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path)
    return api.create_response(request, {"detail": _("Something went wrong on our side.")}, status=500)


# --- /me ------------------------------------------------------------------------------------


class MembershipOut(Schema):
    role: str
    role_label: str
    place: str | None = None
    station: str | None = None
    department: str | None = None


class MeOut(Schema):
    id: str
    username: str
    display_name: str
    roles: list[str]
    memberships: list[MembershipOut]


def _membership(m) -> MembershipOut:
    anchor = {k: getattr(m, k).name if getattr(m, k) else None for k in ("place", "station", "department")}
    return MembershipOut(role=m.role, role_label=str(Role(m.role).label), **anchor)


@api.get("/me", response=MeOut, summary="The caller and his or her roles")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        id=str(user.pk),
        username=user.username,
        display_name=str(user),
        roles=sorted(user_scope(user).roles),
        memberships=[_membership(m) for m in memberships_of(user)],
    )


# --- /cases ---------------------------------------------------------------------------------


class CaseOut(Schema):
    """No personal data: no contact details, no tracking code (the resident's key), and
    phone numbers and the like masked in the text."""

    id: str
    kind: str
    channel: str
    status: str
    status_label: str
    category: str | None
    place: str
    place_name: str
    lead_department: str | None
    text: str
    address: str
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None

    @staticmethod
    def resolve_id(case) -> str:
        return str(case.pk)

    @staticmethod
    def resolve_status_label(case) -> str:
        return str(case.get_status_display())

    @staticmethod
    def resolve_category(case) -> str | None:
        return case.category.code if case.category else None

    @staticmethod
    def resolve_place(case) -> str:
        return case.place.code

    @staticmethod
    def resolve_place_name(case) -> str:
        return case.place.name

    @staticmethod
    def resolve_lead_department(case) -> str | None:
        return case.lead_department.code if case.lead_department else None

    @staticmethod
    def resolve_text(case) -> str:
        return mask_case_text(case.text, known=(case.contact_name, case.contact_phone, case.contact_email))

    @staticmethod
    def resolve_address(case) -> str:
        return mask_case_text(case.address, known=(case.contact_name, case.contact_phone))

    @staticmethod
    def resolve_created_at(case) -> datetime:
        return timezone.localtime(case.created_at)

    @staticmethod
    def resolve_updated_at(case) -> datetime:
        return timezone.localtime(case.updated_at)

    @staticmethod
    def resolve_due_at(case) -> datetime | None:
        return timezone.localtime(case.due_at) if case.due_at else None


@api.get("/cases", response=list[CaseOut], summary="The cases the caller may see, newest first")
@paginate(PageNumberPagination, page_size=50)
def cases(request: HttpRequest):
    return case_list_for_user(request.user).order_by("-created_at", "-id")


api.add_router("/cockpit", cockpit_router)
