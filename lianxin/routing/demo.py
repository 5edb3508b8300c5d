"""The demo district's routing: its routing table, a classifier trained on its year of cases,
and suggestions for the opinions still waiting for triage. Called once by demo_load."""

import logging
from collections import Counter, defaultdict
from datetime import datetime

from django.db import transaction

from lianxin.cases.models import Case
from lianxin.cases.workflow import Status
from lianxin.core import clock
from lianxin.core.errors import ApplicationError
from lianxin.places.models import Category, Department, Place

from .models import RoutingRule, TrainingSource
from .services import case_predict
from .training import TrainingResult, train_and_register

log = logging.getLogger(__name__)

WAITING = (Status.SUBMITTED, Status.TRIAGED, Status.RETURNED)


def demo_routing(*, now: datetime) -> TrainingResult | None:
    with clock.frozen_at(now):
        seed_routing_rules()
        try:
            result = train_and_register(source=TrainingSource.DEMO)
        except ApplicationError as error:
            log.warning("The demo has no triage model: %s", error.message)
            return None
        for case_id in Case.objects.filter(status__in=WAITING).values_list("pk", flat=True):
            case_predict(case_id=case_id)
    return result


def _majority_departments() -> dict[str, str]:
    """Per category, the department that handles most of the demo's kinds of problems."""
    from lianxin.demo.district import CATEGORY_LEADS
    from lianxin.demo.problems import catalogue

    weights: dict[str, Counter] = defaultdict(Counter)
    for problem in catalogue():
        weights[problem.category][problem.department or CATEGORY_LEADS[problem.category]] += problem.weight
    return {code: counts.most_common(1)[0][0] for code, counts in weights.items()}


@transaction.atomic
def seed_routing_rules() -> None:
    """A general row per category, and the seat street's own office for the matters it keeps."""
    from lianxin.demo.district import ROOT_CODE, STREET_OFFICE_CATEGORIES, STREET_OFFICE_TOWN

    departments = {
        d.code.removeprefix(f"{ROOT_CODE}-"): d for d in Department.objects.filter(code__startswith=f"{ROOT_CODE}-")
    }
    categories = {c.code: c for c in Category.objects.all()}
    for code, key in _majority_departments().items():
        if code in categories and key in departments:
            RoutingRule.objects.get_or_create(
                category=categories[code], place=None, defaults={"lead_department": departments[key]}
            )
    town = Place.objects.filter(code=f"{ROOT_CODE}-{STREET_OFFICE_TOWN}").first()
    if town is None or "donghu" not in departments:
        return
    for code in STREET_OFFICE_CATEGORIES:
        RoutingRule.objects.get_or_create(
            category=categories[code], place=town, defaults={"lead_department": departments["donghu"]}
        )
