from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    context = {"APP_NAME": settings.APP_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from lianxin.notifications.selectors import unread_count

        context["unread_notifications"] = unread_count(user)
    return context
