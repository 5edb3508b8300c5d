from django.http import HttpRequest

from .models import AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR") if request is not None else None


def audit_record(*, action: str, request: HttpRequest | None = None, user=None, username: str = "", **detail) -> None:
    AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=username or (user.get_username() if user is not None and user.is_authenticated else ""),
        action=action,
        ip=client_ip(request),
        detail=detail,
    )
