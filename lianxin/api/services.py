"""Writes of the api app: issuing and revoking keys and tokens, and Open311 submissions.

Keys and tokens are random, shown once, and stored only as SHA-256 hashes: they are
long random strings, so a fast hash is enough (no password stretching needed)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.cases.models import Case, Channel
from lianxin.cases.services import case_submit
from lianxin.core import clock
from lianxin.core.errors import ApplicationError

from .models import ApiClient, ApiToken, Open311Token
from .selectors import jurisdiction_place, open311_service_get

KEY_PREFIX = "lx_"
TOKEN_PREFIX = "lxt_"  # noqa: S105 (a prefix, not a secret)
# Touch last_used_at at most this often, so reads do not write on every call.
TOUCH_EVERY = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _touch(model, pk: int, last_used_at) -> None:
    now = clock.now()
    if last_used_at is None or now - last_used_at > TOUCH_EVERY:
        model.objects.filter(pk=pk).update(last_used_at=now)


# --- Open311 apps ---------------------------------------------------------------------------


@transaction.atomic
def api_client_issue_key(*, name: str) -> tuple[ApiClient, str]:
    """Register an app, or give an existing one a new key (the old key stops working)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ApplicationError(_("Please give the app a name of 1 to 100 characters."), code="name_invalid")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    fields = {"key_hash": hash_secret(key), "key_prefix": key[:10], "active": True}
    client, _created = ApiClient.objects.update_or_create(name=name, defaults=fields)
    return client, key


def api_client_revoke(*, name: str) -> ApiClient:
    client = ApiClient.objects.filter(name=name.strip()).first()
    if client is None:
        raise ApplicationError(_("There is no app named “%(name)s”.") % {"name": name}, code="not_found")
    ApiClient.objects.filter(pk=client.pk).update(active=False)
    client.active = False
    return client


def api_client_authenticate(key: str) -> ApiClient | None:
    if not key:
        return None
    client = ApiClient.objects.filter(key_hash=hash_secret(key), active=True).first()
    if client is not None:
        _touch(ApiClient, client.pk, client.last_used_at)
    return client


# --- JSON API bearer tokens -----------------------------------------------------------------


def api_token_issue(*, user) -> tuple[ApiToken, str]:
    if not user.is_active:
        raise ApplicationError(_("This account is disabled."), code="user_inactive")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return ApiToken.objects.create(user=user, token_hash=hash_secret(token)), token


def api_token_authenticate(token: str):
    """The user a bearer token acts for, or None."""
    if not token:
        return None
    found = ApiToken.objects.select_related("user").filter(token_hash=hash_secret(token), user__is_active=True).first()
    if found is None:
        return None
    _touch(ApiToken, found.pk, found.last_used_at)
    return found.user


# --- Open311 submissions --------------------------------------------------------------------


@dataclass(frozen=True)
class NewRequest:
    """A validated GeoReport v2 POST (see open311_params.parse_new_request)."""

    service_code: str
    description: str
    jurisdiction_id: str = ""
    lat: Decimal | None = None
    long: Decimal | None = None
    address_string: str = ""
    address_id: str = ""
    contact_name: str = ""
    phone: str = ""
    email: str = ""


def _scoped_idempotency_key(client: ApiClient, key: str) -> str | None:
    """Per-app keys, hashed to fit the column: two apps may use the same key safely."""
    if not key:
        return None
    return f"o311:{client.pk}:{hashlib.sha256(key.encode()).hexdigest()[:40]}"


def _check_rate(client: ApiClient) -> None:
    limit = settings.OPEN311_POSTS_PER_HOUR
    since = clock.now() - timedelta(hours=1)
    recent = Case.objects.filter(channel=Channel.OPEN311, client_name=client.name, created_at__gte=since)
    if limit and recent.count() >= limit:
        raise ApplicationError(_("Too many requests from this app. Please try again later."), code="throttled")


@transaction.atomic
def open311_request_submit(
    *, client: ApiClient, new: NewRequest, idempotency_key: str = ""
) -> tuple[Open311Token, bool]:
    """Create a case from an Open311 app; it enters the same workflow as a QR submission.

    The same Idempotency-Key from the same app always gives back the first request."""
    scoped_key = _scoped_idempotency_key(client, idempotency_key)
    existing = Case.objects.filter(idempotency_key=scoped_key).first() if scoped_key else None
    if existing is None:
        category = open311_service_get(new.service_code)
        place = jurisdiction_place(new.jurisdiction_id)
        _check_rate(client)
        existing, created = case_submit(
            channel=Channel.OPEN311,
            place=place,
            category=category,
            text=new.description,
            address=new.address_string or new.address_id,
            latitude=new.lat,
            longitude=new.long,
            contact_name=new.contact_name,
            contact_phone=new.phone,
            contact_email=new.email,
            idempotency_key=scoped_key,
            client_name=client.name,
        )
    else:
        created = False
    token, _new = Open311Token.objects.get_or_create(
        case=existing, defaults={"token": secrets.token_hex(16), "client": client}
    )
    return token, created
