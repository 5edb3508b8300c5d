"""Reads of the routing app: where a case goes, what the machine suggested, how well it did."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from lianxin.cases.models import Case, CaseEvent
from lianxin.cases.workflow import Action, Actor
from lianxin.places.models import Category, Department, Place, PlaceKind
from lianxin.places.scope import user_scope

from .models import AutoTriageSetting, CasePrediction, ModelVersion, PredictionSource, RoutingRule

# Thresholds the settings page measures, besides each office's own.
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def active_model_version() -> ModelVersion | None:
    return ModelVersion.objects.filter(active=True).first()


def ancestor_paths(path: str) -> list[str]:
    """'/d/t1/c1/' → ['/d/', '/d/t1/', '/d/t1/c1/'], the place itself included."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


# --- the routing table ------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    lead: Department | None = None
    helpers: tuple[Department, ...] = field(default_factory=tuple)
    rule: RoutingRule | None = None  # None: the category's default lead department, or nothing


def route_for(*, category: Category | None, place: Place) -> Route:
    """The nearest place's rule for this category, else the general rule, else the default lead."""
    if category is None:
        return Route()
    rules = RoutingRule.objects.filter(
        Q(place__isnull=True) | Q(place__path__in=ancestor_paths(place.path)), category=category
    ).select_related("place", "lead_department")
    best = max(rules, key=lambda r: r.place.depth if r.place_id else -1, default=None)
    if best is not None and best.lead_department.active:
        helpers = tuple(d for d in best.helper_departments.all() if d.active and d.pk != best.lead_department_id)
        return Route(best.lead_department, helpers, best)
    default = category.default_department
    return Route(default if default is not None and default.active else None)


def auto_setting_for(*, place: Place, category: Category) -> AutoTriageSetting | None:
    """The automatic-triage setting of the nearest place above (or at) `place` for `category`."""
    settings = AutoTriageSetting.objects.filter(category=category, place__path__in=ancestor_paths(place.path))
    return max(settings.select_related("place"), key=lambda s: s.place.depth, default=None)


def auto_settings_above(place: Place) -> dict[int, AutoTriageSetting]:
    """Per category, the setting a place inherits from the nearest place above it."""
    above = AutoTriageSetting.objects.filter(place__path__in=ancestor_paths(place.path)).exclude(place=place)
    found: dict[int, AutoTriageSetting] = {}
    for setting in above.select_related("place").order_by("-place__depth"):
        found.setdefault(setting.category_id, setting)
    return found


# --- suggestions ------------------------------------------------------------------------


def _suggestions() -> QuerySet[CasePrediction]:
    return (
        CasePrediction.objects.filter(source=PredictionSource.INTAKE)
        .select_related("category", "lead_department", "model_version")
        .prefetch_related("helper_departments")
    )


def suggestions_for(case_ids: Iterable[int]) -> dict[int, CasePrediction]:
    """The newest intake prediction of each case, in two queries whatever the number of cases."""
    found: dict[int, CasePrediction] = {}
    for prediction in _suggestions().filter(case_id__in=list(case_ids)).order_by("case_id", "-created_at", "-id"):
        found.setdefault(prediction.case_id, prediction)
    return found


def suggestion_for(case: Case) -> CasePrediction | None:
    return _suggestions().filter(case=case).order_by("-created_at", "-id").first()


def latest_prediction_for(case: Case) -> CasePrediction | None:
    """Any prediction of the case (intake or evaluation), to compare with a person's triage."""
    return CasePrediction.objects.filter(case=case).order_by("-created_at", "-id").first()


def suggested_departments(case: Case) -> tuple[int | None, list[int]]:
    """Lead and helper department ids to pre-select for assignment: the routing table for the
    case's category, or the machine's suggestion while the case has no category yet."""
    if case.category_id:
        route = route_for(category=case.category, place=case.place)
        return (route.lead.pk if route.lead else None), [h.pk for h in route.helpers]
    suggestion = suggestion_for(case)
    if suggestion is None:
        return None, []
    return suggestion.lead_department_id, [h.pk for h in suggestion.helper_departments.all()]


def suggested_category_id(case: Case) -> int | None:
    suggestion = suggestion_for(case)
    return suggestion.category_id if suggestion else None


# --- who may manage triage --------------------------------------------------------------


def may_manage_triage(user) -> bool:
    """Congress offices and administrators see the models and set automatic triage."""
    scope = user_scope(user)
    return scope.is_admin or bool(scope.office_paths)


def office_places_for_user(user) -> QuerySet[Place]:
    """Places whose automatic-triage settings the user may change: his or her offices' places
    (administrators: every district and town)."""
    scope = user_scope(user)
    if scope.is_admin:
        return Place.objects.filter(kind__in=[PlaceKind.DISTRICT, PlaceKind.TOWN])
    return Place.objects.filter(path__in=scope.office_paths)


def model_versions() -> QuerySet[ModelVersion]:
    return ModelVersion.objects.all()


# --- measured precision at a threshold --------------------------------------------------


@dataclass(frozen=True)
class Measure:
    threshold: float
    n: int  # predictions of the category on cases triaged by people
    above: int  # of which confident enough
    correct: int  # of which the person chose the same category

    @property
    def precision(self) -> float | None:
        return self.correct / self.above if self.above else None

    @property
    def coverage(self) -> float | None:
        return self.above / self.n if self.n else None


def triaged_by_people_q() -> Q:
    person = CaseEvent.objects.filter(case=OuterRef("case"), action=Action.TRIAGE).exclude(actor_role=Actor.SYSTEM)
    return Q(Exists(person))


def precision_table(
    *,
    place: Place,
    version: ModelVersion | None,
    categories: Sequence[Category],
    thresholds: dict[int, Sequence[float]],
) -> dict[int, list[Measure]]:
    """Per category: how often the model's prediction of that category, at or above each
    threshold, matched the category people set, on the cases of `place`'s subtree.

    Counted: the version's predictions (made at intake, or on the held-back slice when it was
    trained, so never on texts it learnt from) of cases that a person triaged. One query."""
    if version is None:
        return {c.pk: [Measure(t, 0, 0, 0) for t in thresholds[c.pk]] for c in categories}
    rows = (
        CasePrediction.objects.filter(
            model_version=version, category__in=categories, case__place__path__startswith=place.path
        )
        .filter(triaged_by_people_q())
        .values_list("category_id", "confidence", "case__category_id")
    )
    by_category: dict[int, list[tuple[float, bool]]] = {}
    for category_id, confidence, truth in rows:
        by_category.setdefault(category_id, []).append((confidence, truth == category_id))
    return {c.pk: [_measure(by_category.get(c.pk, []), t) for t in thresholds[c.pk]] for c in categories}


def _measure(rows: list[tuple[float, bool]], threshold: float) -> Measure:
    above = [ok for confidence, ok in rows if confidence >= threshold]
    return Measure(threshold, len(rows), len(above), sum(above))
