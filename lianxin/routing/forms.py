"""Forms of the routing pages: the one-click acceptance and an office's automatic-triage table."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.places.models import Category

from .models import AutoTriageSetting

DEFAULT_THRESHOLD_PERCENT = 90


class AcceptSuggestionForm(forms.Form):
    prediction = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    seen_status = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)


class AutoTriageForm(forms.Form):
    """One switch and one threshold (in percent) per category."""

    def __init__(self, *args, categories: list[Category], current: dict[int, AutoTriageSetting], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.categories = categories
        for category in categories:
            setting = current.get(category.pk)
            self.fields[f"enabled_{category.pk}"] = forms.BooleanField(
                label=_("Automatic"), required=False, initial=bool(setting and setting.enabled)
            )
            self.fields[f"threshold_{category.pk}"] = forms.IntegerField(
                label=_("Threshold (%)"),
                min_value=50,
                max_value=100,
                initial=round(setting.threshold * 100) if setting else DEFAULT_THRESHOLD_PERCENT,
                widget=forms.NumberInput(attrs={"step": 1, "min": 50, "max": 100}),
                error_messages={
                    "required": _("Please give a threshold between 50 and 100."),
                    "min_value": _("Please give a threshold between 50 and 100."),
                    "max_value": _("Please give a threshold between 50 and 100."),
                    "invalid": _("Please give a threshold between 50 and 100."),
                },
            )

    def rows(self) -> list[tuple[Category, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"enabled_{c.pk}"], self[f"threshold_{c.pk}"]) for c in self.categories]

    def choices(self) -> list[tuple[Category, bool, float]]:
        data = self.cleaned_data
        return [(c, data[f"enabled_{c.pk}"], data[f"threshold_{c.pk}"] / 100) for c in self.categories]
