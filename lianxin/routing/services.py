"""Writes of the routing app: the prediction after intake (with automatic triage and
assignment where an office switched it on), the one-click acceptance of a suggestion, the
labels people give by triaging, and the offices' settings. Cases change only through
cases/services.py, so the timeline stays the one record of what happened."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lianxin.cases import services as case_services
from lianxin.cases.models import Case
from lianxin.cases.workflow import Status
from lianxin.core import clock
from lianxin.core.errors import ApplicationError
from lianxin.places.models import Category, Place
from lianxin.places.scope import department_list_for_user
from lianxin.triage.classifier import Prediction, TextClassifier, load_cached

from . import selectors
from .models import AutoTriageSetting, CasePrediction, ModelVersion, PredictionSource, TriageLabel

log = logging.getLogger(__name__)


# --- the model file -----------------------------------------------------------------------


def model_path(version: ModelVersion) -> Path:
    return Path(settings.TRIAGE_MODEL_DIR) / version.path


def model_load(version: ModelVersion) -> TextClassifier | None:
    """The version's classifier (cached per process), or None when its file is gone or unreadable."""
    try:
        return load_cached(model_path(version))
    except (OSError, ValueError, EOFError, AttributeError, ImportError) as error:
        log.warning("Triage model %s cannot be loaded from %s: %s", version, model_path(version), error)
        return None


# --- after intake ---------------------------------------------------------------------------


def case_predict(*, case_id: int) -> CasePrediction | None:
    """Predict the category and department of a new case, record it in the timeline, and
    triage and assign it as the system where the office asked for that. Idempotent."""
    version = selectors.active_model_version()
    if version is None:
        log.info("No active triage model: case %s is not classified automatically.", case_id)
        return None
    case = Case.objects.select_related("place").filter(pk=case_id).first()
    if case is None or not case.is_open:
        return None
    model = model_load(version)
    if model is None:
        return None
    return _record_prediction(case.pk, version, model.predict(case.text))


@transaction.atomic
def _record_prediction(case_id: int, version: ModelVersion, prediction: Prediction) -> CasePrediction | None:
    case = Case.objects.select_related("place", "category").get(pk=case_id)
    stored = prediction_store(case=case, version=version, prediction=prediction, source=PredictionSource.INTAKE)
    if stored.event_id is not None:
        return stored  # a repeated task: recorded already
    try:
        stored.event = case_services.case_record_suggestion(
            case=case, note=_suggestion_note(stored), department=stored.lead_department, data=_event_data(stored)
        )
    except ApplicationError:
        return stored  # closed meanwhile: nothing to suggest any more
    stored.source = PredictionSource.INTAKE  # also when the run had predicted it as a held-back case
    stored.save(update_fields=["event", "source"])
    _auto_triage(case, stored)
    return stored


def prediction_store(*, case: Case, version: ModelVersion, prediction: Prediction, source: str) -> CasePrediction:
    """Keep one model run's prediction for a case (the first one, if the run repeats)."""
    category = Category.objects.filter(code=prediction.label, active=True).first()
    route = selectors.route_for(category=category, place=case.place)
    stored, created = CasePrediction.objects.get_or_create(
        case=case,
        model_version=version,
        defaults={
            "source": source,
            "label": prediction.label,
            "category": category,
            "confidence": prediction.confidence,
            "top_terms": list(prediction.top_terms),
            "lead_department": route.lead,
            "created_at": clock.now(),
        },
    )
    if not created and stored.source == PredictionSource.HELD_BACK and stored.event_id is None:
        # The training run scored this case as held back (no route then); now it is a suggestion.
        stored.lead_department = route.lead
        stored.save(update_fields=["lead_department"])
    if (created or stored.event_id is None) and route.helpers:
        stored.helper_departments.set(route.helpers)
    return stored


def _suggestion_note(stored: CasePrediction) -> str:
    """The timeline's note, in the site's language like the other system messages."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(category)s (confidence %(percent)d%%) → %(department)s; key terms: %(terms)s") % {
            "category": stored.category.name if stored.category else stored.label,
            "percent": stored.percent,
            "department": stored.lead_department.name if stored.lead_department else "—",
            "terms": "、".join(stored.top_terms) or "—",
        }


def _event_data(stored: CasePrediction) -> dict:
    return {
        "model_version": stored.model_version.content_hash,
        "category": stored.label,
        "confidence": round(stored.confidence, 4),
        "top_terms": stored.top_terms,
        "lead": stored.lead_department.code if stored.lead_department else None,
        "helpers": [d.code for d in stored.helper_departments.all()],
    }


def _auto_triage(case: Case, stored: CasePrediction) -> bool:
    """Triage and assign as the system when the office switched this category on and the model
    is sure enough; only a case nobody has touched yet (still submitted)."""
    if case.status != Status.SUBMITTED or stored.category is None or stored.lead_department is None:
        return False
    setting = selectors.auto_setting_for(place=case.place, category=stored.category)
    if setting is None or not setting.enabled or stored.confidence < setting.threshold:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Classified and assigned automatically (confidence %(percent)d%%).") % {"percent": stored.percent}
    try:
        with transaction.atomic():
            case_services.case_triage(case=case, actor=None, category=stored.category, note=note)
            helpers = list(stored.helper_departments.all())
            case_services.case_assign(case=case, actor=None, department=stored.lead_department, helpers=helpers)
    except ApplicationError as error:
        log.info("Automatic triage of case %s skipped: %s", case.pk, error.code)
        case.refresh_from_db()
        return False
    stored.auto_applied = True
    stored.save(update_fields=["auto_applied"])
    return True


# --- people's triage as labels --------------------------------------------------------------


def label_record(*, case: Case, category: Category, user) -> TriageLabel:
    """Keep a person's triage as a training label, with what the machine had said (if anything).
    Called inside case_triage's transaction."""
    prediction = selectors.latest_prediction_for(case)
    return TriageLabel.objects.create(
        case=case,
        text=case.text,
        label=category.code,
        predicted_label=prediction.label if prediction else "",
        confidence=prediction.confidence if prediction else None,
        prediction=prediction,
        labelled_by=user,
        created_at=clock.now(),
    )


# --- one click: accept the suggestion -------------------------------------------------------


@transaction.atomic
def suggestion_accept(*, case: Case, actor, prediction: CasePrediction, note: str = "") -> Case:
    """Triage with the suggested category and assign to the suggested departments, in one go."""
    if prediction.case_id != case.pk:
        raise ApplicationError(_("This suggestion does not belong to this case."), code="not_found")
    if prediction.category is None or prediction.lead_department is None:
        raise ApplicationError(
            _("The suggestion names no category or department: please triage and assign by hand."),
            code="suggestion_incomplete",
        )
    assignable = department_list_for_user(actor)
    if not assignable.filter(pk=prediction.lead_department_id).exists():
        raise ApplicationError(
            _("You may not assign cases to the suggested department: please assign by hand."),
            code="department_out_of_scope",
        )
    helpers = list(assignable.filter(pk__in=[d.pk for d in prediction.helper_departments.all()]))
    case_services.case_triage(case=case, actor=actor, category=prediction.category, note=note)
    return case_services.case_assign(case=case, actor=actor, department=prediction.lead_department, helpers=helpers)


# --- the offices' settings ------------------------------------------------------------------


@dataclass(frozen=True)
class AutoTriageChoice:
    category: Category
    enabled: bool
    threshold: float


def _check_office_place(user, place: Place) -> None:
    if not selectors.office_places_for_user(user).filter(pk=place.pk).exists():
        raise ApplicationError(_("You may not change the settings of this place."), code="not_found")


@transaction.atomic
def auto_triage_save(*, actor, place: Place, choices: Sequence[AutoTriageChoice]) -> int:
    """Store an office's switches and thresholds; returns how many rows changed."""
    _check_office_place(actor, place)
    changed = 0
    for choice in choices:
        if not 0.5 <= choice.threshold <= 1.0:
            raise ApplicationError(_("The threshold must be between 50% and 100%."), code="threshold_range")
        current = AutoTriageSetting.objects.filter(place=place, category=choice.category).first()
        if current is None and not choice.enabled:
            continue  # nothing to switch off; keep the table small
        if current and (current.enabled, current.threshold) == (choice.enabled, choice.threshold):
            continue
        AutoTriageSetting.objects.update_or_create(
            place=place,
            category=choice.category,
            defaults={
                "enabled": choice.enabled,
                "threshold": choice.threshold,
                "updated_by": actor,
                "updated_at": clock.now(),
            },
        )
        changed += 1
    return changed
