"""Template filters of the residents' pages."""

from django import template

from lianxin.cases.privacy import mask_case_text, mask_personal_data
from lianxin.cases.selectors_public import community_of
from lianxin.places.models import Place

register = template.Library()


@register.filter
def masked(text: str) -> str:
    """Free text on a public page, with mobile numbers, ID numbers and emails hidden."""
    return mask_personal_data(str(text or ""))


@register.filter
def masked_for(text: str, case) -> str:
    """Like `masked`, and the case's own name, phone and email are hidden wherever they appear."""
    return mask_case_text(str(text or ""), known=(case.contact_name, case.contact_phone, case.contact_email))


@register.filter
def community(place: Place) -> str:
    return community_of(place).name if place else ""


@register.filter
def star_range(stars: int | None) -> range:
    return range(int(stars or 0))


@register.filter
def empty_star_range(stars: int | None) -> range:
    return range(5 - int(stars or 0))
