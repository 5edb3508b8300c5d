"""Parse and validate GeoReport v2 parameters. Every failure is an ApplicationError whose
message names the parameter, so an app developer sees at once what to fix."""

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from lianxin.cases.services import TEXT_MAX, TEXT_MIN
from lianxin.core import clock
from lianxin.core.errors import ApplicationError

from .selectors import OPEN311_STATUSES, RequestQuery, parse_request_id
from .services import NewRequest

WINDOW = timedelta(days=90)  # the spec's default and largest date range
COORD = Decimal("0.000001")
PHONE_MAX = 20
YEARS = range(1900, 3000)  # beyond these, date arithmetic and the database overflow


def _bad(message: str) -> ApplicationError:
    return ApplicationError(message, code="bad_param")


def _text(params: Mapping[str, str], name: str) -> str:
    return (params.get(name) or "").strip()


def _csv(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))


# --- GET requests ---------------------------------------------------------------------------


def parse_w3c(value: str, name: str) -> datetime:
    """A W3C datetime (2010-01-01T00:00:00Z, …+08:00) or a date; no zone means Beijing time."""
    text = value.strip()
    try:
        moment = parse_datetime(text) or parse_datetime(text.replace(" ", "+"))  # "+" sent unencoded
        day = parse_date(text) if moment is None and len(text) == 10 else None
    except ValueError:  # well formed but impossible, such as month 13
        moment = day = None
    if (moment is None and day is None) or (moment or day).year not in YEARS:
        raise _bad(_("%(name)s is not a W3C date and time, such as 2024-05-01T08:00:00+08:00.") % {"name": name})
    moment = moment or datetime.combine(day, time.min)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _parse_dates(params: Mapping[str, str]) -> tuple[datetime, datetime]:
    start = parse_w3c(params["start_date"], "start_date") if _text(params, "start_date") else None
    end = parse_w3c(params["end_date"], "end_date") if _text(params, "end_date") else None
    if start and end:
        if start > end:
            raise _bad(_("start_date must be before end_date."))
        if end - start > WINDOW:
            raise _bad(_("start_date and end_date may not be more than 90 days apart."))
        return start, end
    if start:
        return start, min(start + WINDOW, max(clock.now(), start))
    end = end or clock.now()
    return end - WINDOW, end


def parse_request_query(params: Mapping[str, str]) -> RequestQuery:
    jurisdiction_id = _text(params, "jurisdiction_id")
    raw_ids = _csv(params.get("service_request_id") or "")
    if raw_ids:  # the spec: service_request_id overrides all other arguments
        ids = tuple(pk for pk in map(parse_request_id, raw_ids) if pk is not None)
        return RequestQuery(ids=ids, has_ids=True, jurisdiction_id=jurisdiction_id)
    statuses = tuple(s.lower() for s in _csv(params.get("status") or ""))
    unknown = [s for s in statuses if s not in OPEN311_STATUSES]
    if unknown:
        raise _bad(_("status must be open or closed, not %(value)s.") % {"value": ", ".join(unknown)})
    start, end = _parse_dates(params)
    return RequestQuery(
        service_codes=_csv(params.get("service_code") or ""),
        start=start,
        end=end,
        statuses=statuses,
        jurisdiction_id=jurisdiction_id,
    )


# --- POST requests --------------------------------------------------------------------------


def _coordinate(value: str, name: str, limit: int) -> Decimal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) > limit:
        raise _bad(_("%(name)s must be a number from -%(limit)d to %(limit)d.") % {"name": name, "limit": limit})
    return number.quantize(COORD)


def _location(params: Mapping[str, str]) -> tuple[Decimal | None, Decimal | None]:
    lat, long = _text(params, "lat"), _text(params, "long")
    if bool(lat) != bool(long):
        raise _bad(_("Please send lat and long together."))
    if not lat:
        if not (_text(params, "address_string") or _text(params, "address_id")):
            raise ApplicationError(
                _("A location is required: lat and long, address_string or address_id."), code="missing_param"
            )
        return None, None
    return _coordinate(lat, "lat", 90), _coordinate(long, "long", 180)


def _contact_name(first: str, last: str) -> str:
    """Chinese names read family name first, without a space; others "first last"."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return f"{last}{first}"
    return " ".join(p for p in (first, last) if p)


def _contact(params: Mapping[str, str]) -> dict[str, str]:
    phone, email = _text(params, "phone"), _text(params, "email")
    if len(phone) > PHONE_MAX:
        raise _bad(_("phone may have at most %(n)d characters.") % {"n": PHONE_MAX})
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise _bad(_("email is not a valid e-mail address."))
    name = _contact_name(_text(params, "first_name"), _text(params, "last_name"))
    return {"contact_name": name, "phone": phone, "email": email}


def parse_new_request(params: Mapping[str, str]) -> NewRequest:
    service_code = _text(params, "service_code")
    if not service_code:
        raise ApplicationError(_("service_code is required."), code="missing_param")
    description = _text(params, "description")
    if not description:
        raise ApplicationError(_("description is required."), code="missing_param")
    if not TEXT_MIN <= len(description) <= TEXT_MAX:
        raise _bad(_("description must have %(min)d to %(max)d characters.") % {"min": TEXT_MIN, "max": TEXT_MAX})
    lat, long = _location(params)
    return NewRequest(
        service_code=service_code,
        description=description,
        jurisdiction_id=_text(params, "jurisdiction_id"),
        lat=lat,
        long=long,
        address_string=_text(params, "address_string"),
        address_id=_text(params, "address_id"),
        **_contact(params),
    )
