"""Retraining from the platform's own cases, with the retrain guard.

The training set is every closed case with a category, plus the newest person's triage of
each case still open (a label, corrections included), optionally seeded with an outside CSV
corpus whose labels are mapped to our category codes. The newest 20% of the platform's cases
of each category are held back: both the new model and the active one are scored on them, and
the new one becomes active only if its macro-F1 is at least the active one's. A model that
loses is kept as an inactive version, with its scores, for the model page."""

import logging
import os
import time
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.cases.models import Case
from lianxin.cases.workflow import Status
from lianxin.core import clock
from lianxin.core.errors import ApplicationError
from lianxin.places.models import Category
from lianxin.triage.classifier import TextClassifier, score_predictions, train
from lianxin.triage.corpus import read_messages_csv

from . import selectors
from .models import CasePrediction, Decision, ModelVersion, PredictionSource, TrainingSource, TriageLabel
from .services import model_load

log = logging.getLogger(__name__)

HELD_BACK_SHARE = 0.2
# A category needs this many platform cases before some of them are held back.
MIN_TO_HOLD_BACK = 5


class Activate:
    AUTO = "auto"  # the retrain guard decides
    ALWAYS = "always"
    NEVER = "never"


ACTIVATE_CHOICES = (Activate.AUTO, Activate.ALWAYS, Activate.NEVER)


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    case_id: int | None = None
    at: datetime | None = None


# --- the data -------------------------------------------------------------------------------


def platform_examples() -> list[Example]:
    """Closed cases (not merged duplicates) with their final category, then open cases with a
    person's latest triage, oldest first. Categories no longer active are left out."""
    codes = set(Category.objects.filter(active=True).values_list("code", flat=True))
    examples: dict[int, Example] = {}
    # A merged duplicate carries its group's category, not a judgement of its own text.
    closed = Case.objects.filter(status=Status.CLOSED, category__isnull=False, duplicate_of__isnull=True)
    for pk, text, code, at in closed.values_list("pk", "text", "category__code", "created_at"):
        examples[pk] = Example(text, code, pk, at)
    labels = TriageLabel.objects.exclude(case__status=Status.CLOSED).order_by("created_at", "id")
    for case_id, text, code, at in labels.values_list("case_id", "text", "label", "case__created_at"):
        examples[case_id] = Example(text, code, case_id, at)  # the newest label of a case wins
    kept = [e for e in examples.values() if e.label in codes]
    return sorted(kept, key=lambda e: (e.at, e.case_id))


def split_held_back(examples: Sequence[Example], share: float = HELD_BACK_SHARE) -> tuple[list, list]:
    """The newest `share` of each category (stratified by category, cut by time)."""
    by_label: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_label[example.label].append(example)
    kept, held = [], []
    for group in by_label.values():
        group.sort(key=lambda e: (e.at, e.case_id))
        n_held = round(len(group) * share) if len(group) >= MIN_TO_HOLD_BACK else 0
        kept += group[: len(group) - n_held]
        held += group[len(group) - n_held :]
    return kept, held


def seed_examples(path: str | Path, label_map: Mapping[str, str]) -> list[Example]:
    """An outside corpus (id,title,body,time,label) with its labels mapped to category codes;
    rows whose label the map does not name are skipped."""
    codes = set(Category.objects.filter(active=True).values_list("code", flat=True))
    unknown = sorted({code for code in label_map.values() if code not in codes})
    if unknown:
        raise ApplicationError(
            _("The label map names categories that do not exist: %(codes)s") % {"codes": ", ".join(unknown)},
            code="label_map_unknown",
        )
    try:
        texts, labels = read_messages_csv(path)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ApplicationError(
            _("The corpus %(path)s cannot be read: %(error)s") % {"path": path, "error": error}, code="seed_unreadable"
        ) from None
    return [Example(t, label_map[label]) for t, label in zip(texts, labels, strict=True) if label in label_map]


# --- training and the guard -------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingResult:
    version: ModelVersion
    activated: bool
    macro_f1: float | None
    compared_macro_f1: float | None
    n_train: int
    n_held_back: int
    seconds: float


def train_and_register(
    *,
    source: str = TrainingSource.COMMAND,
    seed_csv: str | Path | None = None,
    label_map: Mapping[str, str] | None = None,
    activate: str = Activate.AUTO,
    seed: int = 0,
) -> TrainingResult:
    """Train on the platform's cases (and the seed corpus), judge, save and register the model."""
    if activate not in ACTIVATE_CHOICES:
        raise ApplicationError(_("Unknown activation policy."), code="activate_unknown")
    started = time.monotonic()
    kept, held = split_held_back(platform_examples())
    seeds = seed_examples(seed_csv, label_map or {}) if seed_csv else []
    training = seeds + kept
    if len({e.label for e in training}) < 2:
        raise ApplicationError(
            _("Not enough labelled cases to train: at least two categories are needed."), code="too_few_labels"
        )
    model = train([e.text for e in training], [e.label for e in training], seed=seed)
    predictions = model.predict_many([e.text for e in held])
    metrics = _score(held, [p.label for p in predictions], model) if held else {}
    compared = _score_active(held)
    decision = _decide(activate, metrics.get("macro_f1"), compared, has_active=selectors.active_model_version())
    version = _register(model, metrics, compared, decision, source=source, n_train=len(training), n_held=len(held))
    _store_held_back(version, held, predictions)
    return TrainingResult(
        version=version,
        activated=version.active,
        macro_f1=metrics.get("macro_f1"),
        compared_macro_f1=compared,
        n_train=len(training),
        n_held_back=len(held),
        seconds=time.monotonic() - started,
    )


def _score(held: Sequence[Example], predicted: Sequence[str], model: TextClassifier) -> dict:
    return {**score_predictions([e.label for e in held], predicted, model.labels), "n": len(held)}


def _score_active(held: Sequence[Example]) -> float | None:
    """The active model's macro-F1 on the same slice; None when there is nothing to compare."""
    active = selectors.active_model_version()
    if active is None or not held:
        return None
    model = model_load(active)
    if model is None:
        return None  # its file is gone: it cannot defend its place
    predicted = [p.label for p in model.predict_many([e.text for e in held])]
    return _score(held, predicted, model)["macro_f1"]


def _decide(activate: str, new: float | None, current: float | None, *, has_active) -> str:
    if activate == Activate.ALWAYS:
        return Decision.FORCED
    if activate == Activate.NEVER:
        return Decision.NOT_ASKED
    if not has_active:
        return Decision.FIRST
    if new is None or current is None:
        # No held-back slice, or an active model that cannot be read.
        return Decision.BETTER if new is not None else Decision.NO_SLICE
    return Decision.BETTER if new >= current else Decision.WORSE


ACTIVATING = {Decision.FIRST, Decision.BETTER, Decision.FORCED}


def _save_file(model: TextClassifier) -> tuple[str, str]:
    """Write the model under TRIAGE_MODEL_DIR, named by its content hash; returns (hash, name)."""
    folder = Path(settings.TRIAGE_MODEL_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".training-{uuid.uuid4().hex}.tmp"
    try:
        content_hash = model.save(partial)
        name = f"triage-{content_hash}.pkl"
        os.replace(partial, folder / name)
    finally:
        partial.unlink(missing_ok=True)
    return content_hash, name


@transaction.atomic
def _register(
    model: TextClassifier, metrics: dict, compared: float | None, decision: str, *, source: str, n_train: int, n_held
) -> ModelVersion:
    model.metadata["metrics"] = metrics
    # The platform's clock, not the machine's: a frozen clock gives the same file for the same data.
    model.metadata["trained_at"] = clock.now().isoformat(timespec="seconds")
    content_hash, name = _save_file(model)
    version, _created = ModelVersion.objects.get_or_create(
        content_hash=content_hash,
        defaults={
            "path": name,
            "trained_at": clock.now(),
            "source": source,
            "n_train": n_train,
            "n_held_back": n_held,
            "labels": list(model.labels),
            "metrics": metrics,
            "macro_f1": metrics.get("macro_f1"),
            "compared_macro_f1": compared,
            "library_versions": model.metadata.get("library_versions", {}),
            "decision": decision,
        },
    )
    if decision in ACTIVATING and not version.active:
        model_activate(version=version, decision=decision)
    return version


@transaction.atomic
def model_activate(*, version: ModelVersion, decision: str = Decision.MANUAL) -> ModelVersion:
    """Make `version` the one active model (the others are switched off first: at most one)."""
    ModelVersion.objects.select_for_update().filter(active=True).exclude(pk=version.pk).update(active=False)
    ModelVersion.objects.filter(pk=version.pk).update(active=True, activated_at=clock.now(), decision=decision)
    version.refresh_from_db()
    log.info("Triage model %s is now active (%s).", version, decision)
    return version


def _store_held_back(version: ModelVersion, held: Sequence[Example], predictions) -> None:
    """The version's predictions on cases it never saw: the measured precision of the settings
    page starts from these, before any new opinion arrives."""
    codes = dict(Category.objects.values_list("code", "pk"))
    rows = [
        CasePrediction(
            case_id=example.case_id,
            model_version=version,
            source=PredictionSource.HELD_BACK,
            label=prediction.label,
            category_id=codes.get(prediction.label),
            confidence=prediction.confidence,
            top_terms=list(prediction.top_terms),
            created_at=clock.now(),
        )
        for example, prediction in zip(held, predictions, strict=True)
        if example.case_id is not None
    ]
    CasePrediction.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)


# --- the weekly run ---------------------------------------------------------------------------

WEEKLY_MIN_AGE_DAYS = 6


def retrain_if_due() -> TrainingResult | None:
    """The weekly task: retrain unless a model was trained in the last days (the scheduler
    enqueues every task when it starts, so a restart must not retrain each time)."""
    newest = ModelVersion.objects.order_by("-trained_at").first()
    if newest and (clock.now() - newest.trained_at).days < WEEKLY_MIN_AGE_DAYS:
        log.info("Triage model %s is recent: no retraining.", newest)
        return None
    try:
        return train_and_register(source=TrainingSource.WEEKLY)
    except ApplicationError as error:
        log.info("Weekly retraining skipped: %s", error.message)
        return None
