"""The machine's suggestion on the staff screens, so the shared templates need one tag each:
`{% queue_suggestion case %}` in a work-queue row, `{% case_suggestion case %}` on the case page,
`{% routing_nav %}` in the menu."""

from django import template

from lianxin.cases.selectors import Queue
from lianxin.cases.workflow import TRANSITIONS, Action, Status, can
from lianxin.places.scope import case_actors, user_scope

from .. import selectors

register = template.Library()

_CACHE_KEY = "routing_suggestions"
_TRIAGE_ACTORS = TRANSITIONS[Action.TRIAGE].actors


def _may_accept(user, case) -> bool:
    """Whether the user may triage this case now (and so take the suggestion in one click)."""
    actors = case_actors(user_scope(user), case) & _TRIAGE_ACTORS
    return any(can(Action.TRIAGE, Status(case.status), actor) for actor in actors)


def _page_suggestions(context) -> dict:
    """Suggestions of every case on the page, fetched once for the whole list."""
    cached = context.render_context.get(_CACHE_KEY)
    if cached is None:
        page = context.get("page") or []
        cached = selectors.suggestions_for(c.pk for c in page if c.status in _SHOWN)
        context.render_context[_CACHE_KEY] = cached
    return cached


_SHOWN = {Status.SUBMITTED, Status.TRIAGED, Status.RETURNED}


@register.inclusion_tag("routing/_queue_suggestion.html", takes_context=True)
def queue_suggestion(context, case) -> dict:
    if context.get("queue") != Queue.TRIAGE or case.status not in _SHOWN:
        return {"suggestion": None}
    request = context.get("request")
    suggestion = _page_suggestions(context).get(case.pk)
    return {
        "case": case,
        "suggestion": suggestion,
        "may_accept": bool(suggestion and request and _may_accept(request.user, case)),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("routing/_case_suggestion.html", takes_context=True)
def case_suggestion(context, case) -> dict:
    if not case.is_open:
        return {"suggestion": None}
    request = context.get("request")
    suggestion = selectors.suggestion_for(case)
    return {
        "case": case,
        "suggestion": suggestion,
        "may_accept": bool(suggestion and request and _may_accept(request.user, case)),
        "next": "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("routing/_nav.html", takes_context=True)
def routing_nav(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"show": bool(user and user.is_authenticated and selectors.may_manage_triage(user))}
