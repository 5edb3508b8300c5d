from .services import audit_record


def logged_in(sender, request, user, **kwargs) -> None:
    audit_record(action="login", request=request, user=user)


def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action="logout", request=request, user=user)


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    audit_record(action="login_failed", request=request, username=str(credentials.get("username", ""))[:150])
