"""The form that asks for a report: place, monthly or quarterly, and the month (a quarter is
given by any of its months). Bad input is reported on the form, never a server error."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.cockpit.forms import PlaceChoiceField
from lianxin.core import clock

from . import selectors
from .periods import PERIOD_KIND_LABELS, Period, PeriodKind, last_complete, period_of


class ReportRequestForm(forms.Form):
    place = PlaceChoiceField(label=_("Place"), queryset=None, empty_label=None)
    period_kind = forms.ChoiceField(
        label=_("Report"), choices=[(k.value, label) for k, label in PERIOD_KIND_LABELS.items()]
    )
    month = forms.CharField(
        label=_("Month (a quarter: any of its months)"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2025-06", "pattern": r"\d{4}-\d{2}"}),
    )

    def __init__(self, data=None, *, user, **kwargs) -> None:
        today = timezone.localdate(clock.now())
        kwargs.setdefault(
            "initial",
            {"period_kind": PeriodKind.MONTH, "month": f"{last_complete(PeriodKind.MONTH, today).start:%Y-%m}"},
        )
        super().__init__(data, **kwargs)
        self.today = today
        self.fields["place"].queryset = selectors.report_place_choices(user)

    def clean_month(self) -> date:
        typed = self.cleaned_data["month"].strip()
        try:
            year, month = (int(part) for part in typed.split("-"))
            return date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("“%(typed)s” is not a month (YYYY-MM).") % {"typed": typed[:20]}) from None

    def clean(self) -> dict:
        data = super().clean()
        if "month" in data and "period_kind" in data:
            period = period_of(data["period_kind"], data["month"])
            if period.end >= self.today:
                self.add_error("month", _("This period has not ended yet: reports are made for past periods."))
            elif period.start.year < 2000:
                self.add_error("month", _("Please choose a month after 2000."))
            data["period"] = period
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]
