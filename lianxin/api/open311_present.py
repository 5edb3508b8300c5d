"""Our objects as GeoReport v2 records (plain dicts in the spec's field order).

A public record never carries the submitter's name, phone or e-mail, and free text is
masked (phone numbers, ID numbers, e-mails, and the submitter's own details)."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.cases.models import Case, CaseKind
from lianxin.core.codes import format_tracking_code
from lianxin.places.models import Category

from .masking import mask_case_text
from .models import Open311Token
from .selectors import open311_status


def w3c(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def service_record(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys(k for k in (category.name_zh, category.name_en) if k)),
        "group": str(CaseKind.OPINION.label),
    }


def service_definition(category: Category) -> dict:
    return {"service_code": category.code, "attributes": []}


def _masked(case: Case, text: str) -> str:
    return mask_case_text(text, known=(case.contact_name, case.contact_phone, case.contact_email))


def _coordinate(value) -> float | None:
    return float(value) if value is not None else None


def request_record(case: Case) -> dict:
    category = case.category
    return {
        "service_request_id": str(case.pk),
        "status": open311_status(case),
        "status_notes": _masked(case, case.closing_reason) or None,
        "service_name": category.name if category else None,
        "service_code": category.code if category else None,
        "description": _masked(case, case.text),
        "agency_responsible": case.lead_department.name if case.lead_department else None,
        "service_notice": None,
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.due_at),
        "address": _masked(case, case.address) or None,
        "address_id": None,
        "zipcode": None,
        "lat": _coordinate(case.latitude),
        "long": _coordinate(case.longitude),
        "media_url": None,
    }


def created_record(token: Open311Token) -> dict:
    """The answer to a POST: only the app that posted sees it, so the tracking code (the
    resident's key to follow and rate the case) travels here, in the notice, and nowhere else."""
    case = token.case
    notice = _(
        "Thank you. Your tracking code is %(code)s: please keep it to follow your request and rate the reply."
    ) % {"code": format_tracking_code(case.tracking_code)}
    return {"service_request_id": str(case.pk), "token": token.token, "service_notice": notice, "account_id": None}


def token_record(case: Case) -> dict:
    return {"service_request_id": str(case.pk), "token": case.open311_token.token}


def error_record(status: int, description: str) -> dict:
    return {"code": status, "description": description}
