"""The routing table, the registry of trained classifiers, the prediction kept for each case,
the offices' automatic-triage switches and the labels staff give by triaging."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core import clock
from lianxin.core.models import BaseModel


class RoutingRule(BaseModel):
    """Category × place → lead department (主办) and helpers (协办).

    A rule without a place is the general one; a rule for a place applies to its whole subtree,
    and the rule of the nearest place above a case wins. Without any rule the category's
    default lead department is used."""

    category = models.ForeignKey(
        "places.Category", on_delete=models.CASCADE, related_name="routing_rules", verbose_name=_("category")
    )
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="routing_rules",
        verbose_name=_("place"),
        help_text=_("Leave empty for the general rule; a place's rule applies to everything below it."),
    )
    lead_department = models.ForeignKey(
        "places.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("lead department")
    )
    helper_departments = models.ManyToManyField(
        "places.Department", blank=True, related_name="+", verbose_name=_("helper departments")
    )

    class Meta:
        ordering = ["category__sort_order", "place__path"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "place"], condition=Q(place__isnull=False), name="routing_rule_unique_place"
            ),
            models.UniqueConstraint(
                fields=["category"], condition=Q(place__isnull=True), name="routing_rule_unique_general"
            ),
        ]

    def __str__(self) -> str:
        where = self.place.name if self.place_id else _("everywhere")
        return f"{self.category} · {where} → {self.lead_department}"


class TrainingSource(models.TextChoices):
    COMMAND = "command", _("Command line")
    WEEKLY = "weekly", _("Weekly retraining")
    DEMO = "demo", _("Demo data")


class Decision(models.TextChoices):
    """Why a trained version is, or is not, the active one (the retrain guard)."""

    FIRST = "first", _("Activated: there was no active model")
    BETTER = "better", _("Activated: at least as good as the active model on the held-back cases")
    FORCED = "forced", _("Activated on request, whatever its score")
    WORSE = "worse", _("Kept inactive: worse than the active model on the held-back cases")
    NO_SLICE = "no_slice", _("Kept inactive: no held-back cases to compare it with the active model")
    NOT_ASKED = "not_asked", _("Kept inactive on request")
    MANUAL = "manual", _("Activated by an administrator")


class ModelVersion(models.Model):
    """One trained classifier file, with its scores on the held-back slice it was judged on.
    At most one is active: the one that predicts for new opinions."""

    content_hash = models.CharField(_("version"), max_length=64, unique=True)
    path = models.CharField(_("file"), max_length=300, help_text=_("Relative to settings.TRIAGE_MODEL_DIR."))
    trained_at = models.DateTimeField(_("trained at"), default=clock.now)
    source = models.CharField(_("trained by"), max_length=20, choices=TrainingSource.choices)
    n_train = models.PositiveIntegerField(_("training texts"), default=0)
    n_held_back = models.PositiveIntegerField(_("held-back cases"), default=0)
    labels = models.JSONField(_("labels"), default=list)
    # On the held-back slice: accuracy, macro_f1, per_class_f1, confusion {"labels", "matrix"}.
    metrics = models.JSONField(_("metrics"), default=dict)
    macro_f1 = models.FloatField(_("macro-F1"), null=True, blank=True)
    # The then active model's macro-F1 on the same slice (None: there was none to compare).
    compared_macro_f1 = models.FloatField(_("active model's macro-F1"), null=True, blank=True)
    library_versions = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)

    class Meta:
        ordering = ["-trained_at", "-id"]
        verbose_name = _("classifier version")
        verbose_name_plural = _("classifier versions")
        constraints = [models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="one_active_model")]

    def __str__(self) -> str:
        return self.content_hash


class PredictionSource(models.TextChoices):
    INTAKE = "intake", _("After intake")
    HELD_BACK = "held_back", _("Held-back evaluation")


class CasePrediction(models.Model):
    """What one model run said about one case: category, confidence, why, and where to send it."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="predictions")
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="predictions")
    source = models.CharField(max_length=20, choices=PredictionSource.choices, default=PredictionSource.INTAKE)
    label = models.CharField(_("predicted label"), max_length=40)
    category = models.ForeignKey(
        "places.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    confidence = models.FloatField(_("confidence"))
    top_terms = models.JSONField(_("top terms"), default=list)
    lead_department = models.ForeignKey(
        "places.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lead department"),
    )
    helper_departments = models.ManyToManyField(
        "places.Department", blank=True, related_name="+", verbose_name=_("helper departments")
    )
    event = models.ForeignKey(
        "cases.CaseEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    auto_applied = models.BooleanField(_("triaged and assigned automatically"), default=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case prediction")
        verbose_name_plural = _("case predictions")
        constraints = [
            models.UniqueConstraint(fields=["case", "model_version"], name="one_prediction_per_case_and_model")
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.label} ({self.confidence:.0%})"

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


def _threshold_validators():
    return [MinValueValidator(0.5), MaxValueValidator(1.0)]


class AutoTriageSetting(BaseModel):
    """An office's switch: triage and assign this category automatically above a confidence.
    The setting of the nearest place above a case applies, so a town can differ from its district."""

    place = models.ForeignKey(
        "places.Place", on_delete=models.CASCADE, related_name="auto_triage_settings", verbose_name=_("office's place")
    )
    category = models.ForeignKey(
        "places.Category", on_delete=models.CASCADE, related_name="auto_triage_settings", verbose_name=_("category")
    )
    enabled = models.BooleanField(_("automatic triage and assignment"), default=False)
    threshold = models.FloatField(_("confidence threshold"), default=0.9, validators=_threshold_validators())
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["place__path", "category__sort_order"]
        verbose_name = _("automatic triage setting")
        verbose_name_plural = _("automatic triage settings")
        constraints = [models.UniqueConstraint(fields=["place", "category"], name="auto_triage_unique")]

    def __str__(self) -> str:
        return f"{self.place} · {self.category}"


class TriageLabel(models.Model):
    """A person's triage kept as a training label: the text as it was, the category chosen,
    and what the machine had predicted (a correction when they differ)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="triage_labels")
    text = models.TextField(_("text"))
    label = models.CharField(_("category set by staff"), max_length=40)
    predicted_label = models.CharField(_("predicted category"), max_length=40, blank=True)
    confidence = models.FloatField(_("confidence"), null=True, blank=True)
    prediction = models.ForeignKey(CasePrediction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=clock.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("triage label")
        verbose_name_plural = _("triage labels")

    def __str__(self) -> str:
        return f"{self.case} · {self.label}"

    @property
    def is_correction(self) -> bool:
        return bool(self.predicted_label) and self.predicted_label != self.label
