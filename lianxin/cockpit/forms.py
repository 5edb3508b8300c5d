"""The cockpit's filter (GET): place, category and period. A bad date or category never
fails the page: the form reports it and the default is used instead."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lianxin.places.models import Category, Place
from lianxin.places.scope import category_list

from . import selectors


@dataclass(frozen=True)
class CockpitQuery:
    place: Place | None
    category: Category | None
    date_from: date
    date_to: date
    problems: tuple[str, ...]  # translated messages about ignored input


def _date_input() -> forms.DateInput:
    # <input type="date"> only understands ISO dates, whatever the page's language.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Place) -> str:
        return "\u3000" * obj.depth + obj.name  # ideographic spaces show the tree in a plain <select>


class PlaceFilterForm(forms.Form):
    """Place and received-date period of a roll-up page (the cockpit, hot issues): the place
    among the user's subtree without grids, all the user's places when there are several."""

    place = PlaceChoiceField(label=_("Place"), queryset=None, required=False, empty_label=None)
    date_from = forms.DateField(label=_("Received from"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("Received until"), required=False, widget=_date_input())

    def __init__(self, data=None, *, user, roots: list[Place], today: date, initial: dict | None = None) -> None:
        super().__init__(data, initial=initial)
        self.user = user
        self.roots = roots
        self.today = today
        self.fields["place"].queryset = selectors.cockpit_place_choices(user)
        if len(roots) > 1:
            self.fields["place"].empty_label = _("All my places")

    def chosen_place(self) -> Place | None:
        """The place asked for (a place the user may not see is a 404, like any object out of
        scope), the user's only top place, or None for all of them."""
        self.is_valid()
        if "place" in self.errors:
            raise Http404
        return self.cleaned_data.get("place") or (self.roots[0] if len(self.roots) == 1 else None)

    def copy_showing(self, initial: dict) -> "PlaceFilterForm":
        """An unbound copy showing what the page shows (defaults filled in)."""
        return type(self)(user=self.user, roots=self.roots, today=self.today, initial=initial)


class CockpitFilterForm(PlaceFilterForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False, empty_label=_("All"))
    field_order = ["place", "category", "date_from", "date_to"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_list()

    def query(self) -> CockpitQuery:
        """The chosen filters; a bad category or date is reported and replaced by its default."""
        place = self.chosen_place()
        data = self.cleaned_data
        problems = []
        if "category" in self.errors:
            problems.append(_("This category does not exist: all categories are shown."))
        date_from, date_to, problem = self._period(data.get("date_from"), data.get("date_to"))
        if problem:
            problems.append(problem)
        return CockpitQuery(place, data.get("category"), date_from, date_to, tuple(str(p) for p in problems))

    def _period(self, date_from: date | None, date_to: date | None) -> tuple[date, date, str]:
        default_from, default_to = selectors.default_period(self.today)
        for name in ("date_from", "date_to"):
            if name in self.errors:
                problem = _("“%(typed)s” is not a date (YYYY-MM-DD). The last 12 months are shown.") % {
                    "typed": self.data.get(name, "")[:40]
                }
                return default_from, default_to, problem
        date_from, date_to = date_from or default_from, date_to or default_to
        if date_from > date_to:
            return default_from, default_to, _("The start date is after the end date. The last 12 months are shown.")
        if len(selectors.months_between(date_from, date_to)) > selectors.MAX_MONTHS:
            problem = _("Please choose at most %(months)d months. The last 12 months are shown.") % {
                "months": selectors.MAX_MONTHS
            }
            return default_from, default_to, problem
        return date_from, date_to, ""

    def for_display(self, query: CockpitQuery) -> "CockpitFilterForm":
        return self.copy_showing(
            {
                "place": query.place.pk if query.place else None,
                "category": query.category.pk if query.category else None,
                "date_from": query.date_from,
                "date_to": query.date_to,
            }
        )
