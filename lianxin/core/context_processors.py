from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    context = {"APP_NAME": settings.APP_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from lianxin.notifications.selectors import unread_count
        from lianxin.places.scope import has_place_scope, may_record_opinions, user_scope

        scope = user_scope(user)
        context["unread_notifications"] = unread_count(user)
        # The menu offers only what this user may open.
        context["nav_may_record"] = may_record_opinions(scope)
        context["nav_has_cockpit"] = has_place_scope(scope)
        context["nav_ballots"] = context["nav_has_cockpit"] or bool(scope.deputy_id)
        if scope.deputy_id:
            from lianxin.ballots.selectors import ballots_awaiting

            context["ballots_awaiting"] = ballots_awaiting(scope.deputy_id)
    return context
