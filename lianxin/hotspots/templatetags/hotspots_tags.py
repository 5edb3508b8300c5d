"""The likely duplicates on the case page (`{% duplicate_candidates case %}`) and in a triage
queue row (`{% queue_duplicate case %}`), as inclusion tags so cases/views.py needs no change."""

from django import template

from lianxin.cases.selectors import Queue, case_actions_for_user
from lianxin.cases.workflow import Action

from .. import selectors, services

register = template.Library()

_CACHE_KEY = "hotspots_best_candidates"


@register.inclusion_tag("hotspots/_candidates_card.html", takes_context=True)
def duplicate_candidates(context, case) -> dict:
    request = context["request"]
    return {
        "case": case,
        "rows": selectors.candidates_for_case(request.user, case),
        "window_days": services.duplicate_window().days,
        "csrf_token": context.get("csrf_token"),
    }


def _page_candidates(context, user) -> dict:
    """The best likely duplicate of every case on the page, fetched once for the whole list."""
    cached = context.render_context.get(_CACHE_KEY)
    if cached is None:
        cached = selectors.best_candidates(user, [c.pk for c in context.get("page") or []])
        context.render_context[_CACHE_KEY] = cached
    return cached


@register.inclusion_tag("hotspots/_queue_duplicate.html", takes_context=True)
def queue_duplicate(context, case) -> dict:
    request = context.get("request")
    if request is None or context.get("queue") != Queue.TRIAGE:
        return {"candidate": None}
    found = _page_candidates(context, request.user).get(case.pk)
    if found is None or Action.LINK_DUPLICATE not in case_actions_for_user(request.user, case):
        return {"candidate": None}
    candidate, count = found
    return {
        "candidate": candidate,
        "percent": round(candidate.similarity * 100),
        "more": count - 1,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
