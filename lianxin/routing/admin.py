"""The routing table and the automatic-triage switches are edited here (offices also have a
page of their own); model versions, predictions and labels are records, read only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import selectors, training
from .models import AutoTriageSetting, CasePrediction, ModelVersion, RoutingRule, TriageLabel


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "place", "lead_department", "helpers")
    list_filter = ("category",)
    search_fields = ("category__name_zh", "category__code", "place__name", "lead_department__name")
    autocomplete_fields = ("place", "lead_department")
    filter_horizontal = ("helper_departments",)

    @admin.display(description=_("helper departments"))
    def helpers(self, obj: RoutingRule) -> str:
        return ", ".join(d.name for d in obj.helper_departments.all()) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category", "place", "lead_department")


@admin.register(AutoTriageSetting)
class AutoTriageSettingAdmin(admin.ModelAdmin):
    list_display = ("place", "category", "enabled", "threshold", "measured_precision", "measured_coverage")
    list_filter = ("enabled", "category")
    autocomplete_fields = ("place",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("place", "category")

    def _measure(self, obj: AutoTriageSetting) -> selectors.Measure:
        table = selectors.precision_table(
            place=obj.place,
            version=selectors.active_model_version(),
            categories=[obj.category],
            thresholds={obj.category.pk: [obj.threshold]},
        )
        return table[obj.category.pk][0]

    @admin.display(description=_("measured precision"))
    def measured_precision(self, obj: AutoTriageSetting) -> str:
        measure = self._measure(obj)
        return "—" if measure.precision is None else f"{measure.precision:.0%} ({measure.correct}/{measure.above})"

    @admin.display(description=_("coverage"))
    def measured_coverage(self, obj: AutoTriageSetting) -> str:
        measure = self._measure(obj)
        return "—" if measure.coverage is None else f"{measure.coverage:.0%} ({measure.above}/{measure.n})"

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    list_display = ("content_hash", "trained_at", "source", "n_train", "n_held_back", "macro_f1", "active")
    list_filter = ("active", "source")
    actions = ["activate"]

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.is_superuser  # the list's action, never the form

    @admin.action(description=_("Make the selected version the active model"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version."), messages.ERROR)
            return
        version = training.model_activate(version=queryset.get())
        self.message_user(request, _("Version %(version)s is now active.") % {"version": version})


@admin.register(CasePrediction)
class CasePredictionAdmin(ReadOnlyAdmin):
    list_display = ("case", "label", "confidence", "lead_department", "source", "auto_applied", "created_at")
    list_filter = ("source", "auto_applied", "model_version")
    search_fields = ("case__tracking_code",)


@admin.register(TriageLabel)
class TriageLabelAdmin(ReadOnlyAdmin):
    list_display = ("case", "label", "predicted_label", "confidence", "labelled_by", "created_at")
    list_filter = ("label",)
    search_fields = ("case__tracking_code", "text")
