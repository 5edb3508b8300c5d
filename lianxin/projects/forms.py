"""Forms of the project pages. Services repeat every rule; forms give the messages in place."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.cases.forms_public import normalize_mobile
from lianxin.cases.photos import process_photo
from lianxin.places.scope import department_list_for_user, deputy_list_for_user, place_list_for_user

from .models import Candidate, CandidateStatus, Proposal, Round

_MIN = _("Please write at least %(limit_value)d characters.")
_MAX = _("Please write at most %(limit_value)d characters.")
_DATE = forms.DateInput(attrs={"type": "date"})
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _text(label, *, minimum=1, maximum=2000, rows=3, required=True, **kwargs):
    return forms.CharField(
        label=label,
        min_length=minimum,
        max_length=maximum,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages={"min_length": _MIN, "max_length": _MAX},
        **kwargs,
    )


class ProposalPublicForm(forms.Form):
    """A resident's proposal on the solicitation page (what, where, why, benefit)."""

    title = _text(
        _("What project do you propose?"),
        minimum=2,
        maximum=100,
        rows=0,
        help_text=_("For example: a lift in an old building, a pocket park, street lights."),
    )
    location = _text(_("Where?"), maximum=200, rows=0, required=False)
    reason = _text(_("Why is it needed?"), minimum=10, rows=5)
    benefit = _text(_("Who benefits, and how many people?"), maximum=200, rows=0, required=False)
    contact_name = _text(_("Your name"), maximum=50, rows=0, required=False)
    contact_phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
        error_messages={"max_length": _("Please enter an 11-digit mobile number starting with 13–19.")},
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data.get("contact_phone", "")
        return normalize_mobile(value) if value.strip() else ""


class ProposalStaffForm(forms.Form):
    title = _text(_("What"), minimum=2, maximum=100, rows=0)
    location = _text(_("Where"), maximum=200, rows=0, required=False)
    reason = _text(_("Why"), minimum=10)
    benefit = _text(_("Estimated benefit"), maximum=200, rows=0, required=False)


class RoundCreateForm(forms.Form):
    place = forms.ModelChoiceField(label=_("Place"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = _text(_("Title"), maximum=100, rows=0)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = place_list_for_user(user).filter(kind__in=["district", "town"])


class ConfigureForm(forms.Form):
    seats = forms.IntegerField(label=_("Projects to adopt (N)"), min_value=1, max_value=100, required=False)
    ratio = forms.DecimalField(
        label=_("Extra candidates (e.g. 0.20 = 20%)"), min_value=0, max_digits=4, decimal_places=2, required=False
    )
    window_opens_at = forms.DateTimeField(label=_("Pre-meeting window opens"), required=False, widget=_DATETIME)
    window_closes_at = forms.DateTimeField(label=_("Pre-meeting window closes"), required=False, widget=_DATETIME)


class ProposalChoices(forms.ModelMultipleChoiceField):
    """The round's proposals as tick boxes, each saying which candidate already answers it
    (ticking it moves it there)."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Proposal) -> str:
        if obj.candidate_id is None:
            return obj.title
        return _("%(title)s (now in: %(candidate)s)") % {"title": obj.title, "candidate": obj.candidate.title}


def _round_proposals(round_: Round):
    return round_.proposals.select_related("candidate").order_by("id")


class CandidateAddForm(forms.Form):
    title = _text(_("Project"), minimum=2, maximum=100, rows=0)
    proposals = ProposalChoices(label=_("Proposals it answers"), queryset=Proposal.objects.none(), required=False)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = _round_proposals(round_)


class MergeForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_("Into candidate"), queryset=Candidate.objects.none())
    proposals = ProposalChoices(label=_("Proposals"), queryset=Proposal.objects.none())

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = round_.candidates.filter(status=CandidateStatus.CANDIDATE)
        self.fields["proposals"].queryset = _round_proposals(round_)


class CandidateForm(forms.Form):
    title = _text(_("Project"), minimum=2, maximum=100, rows=0)
    description = _text(_("Description"), required=False)
    location = _text(_("Where"), maximum=200, rows=0, required=False)
    cost = forms.DecimalField(
        label=_("Estimated cost (10k yuan)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    department = forms.ModelChoiceField(label=_("Lead department"), queryset=None, required=False)
    feasibility = _text(_("Feasibility"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = department_list_for_user(user).filter(active=True)


class RemarkForm(forms.Form):
    text = _text(_("Text"), minimum=2, rows=4)
    candidate = forms.ModelChoiceField(label=_("On candidate"), queryset=Candidate.objects.none(), required=False)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = round_.candidates.exclude(status=CandidateStatus.WITHDRAWN)


class PromoteCaseForm(forms.Form):
    tracking_code = forms.CharField(label=_("Tracking code of the opinion"), max_length=12)
    title = _text(_("What"), maximum=100, rows=0, required=False)


class BallotWindowForm(forms.Form):
    ELECTRONIC, PAPER = "electronic", "paper"
    method = forms.ChoiceField(
        label=_("How do the deputies vote?"),
        choices=[
            (ELECTRONIC, _("On their phones (electronic ballot)")),
            (PAPER, _("On paper: two tellers enter and confirm each sheet")),
        ],
        initial=ELECTRONIC,
        required=False,  # not given: electronic
        widget=forms.RadioSelect,
    )
    closes_at = forms.DateTimeField(
        label=_("Ballot closes"),
        required=False,
        widget=_DATETIME,
        help_text=_(
            "Leave empty to close it two hours after opening. It can be closed earlier once everyone has voted."
        ),
    )


class DecisionForm(forms.Form):
    note = _text(_("Decision (e.g. result of the run-off)"), minimum=4)
    adopt = forms.ModelMultipleChoiceField(
        label=_("Adopt"), queryset=Candidate.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    reject = forms.ModelMultipleChoiceField(
        label=_("Do not adopt"), queryset=Candidate.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        voted = round_.candidates.exclude(status__in=[CandidateStatus.WITHDRAWN, CandidateStatus.CANDIDATE])
        self.fields["adopt"].queryset = voted
        self.fields["reject"].queryset = voted


class SurveyWindowForm(forms.Form):
    opens_at = forms.DateTimeField(label=_("Survey opens"), widget=_DATETIME)
    closes_at = forms.DateTimeField(label=_("Survey closes"), widget=_DATETIME)
    dimensions = forms.CharField(
        label=_("Questions (one per line: Chinese | English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty to keep the round's questions."),
    )

    def clean_dimensions(self) -> list[dict] | None:
        lines = [line.strip() for line in self.cleaned_data.get("dimensions", "").splitlines() if line.strip()]
        if not lines:
            return None
        made = []
        for i, line in enumerate(lines, start=1):
            zh, _sep, en = (part.strip() for part in line.partition("|"))
            if not zh or len(zh) > 30 or len(en) > 60:
                raise forms.ValidationError(
                    _("Line %(n)d: a Chinese name of at most 30 characters, then | and an English name.") % {"n": i}
                )
            made.append({"key": f"q{i}", "zh": zh, "en": en})
        if len(made) > 10:
            raise forms.ValidationError(_("At most 10 questions."))
        return made


class ReasonForm(forms.Form):
    note = _text(_("Reason"), minimum=2, maximum=500, rows=2)


# --- a project ----------------------------------------------------------------------------


class PlanForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Lead department"), queryset=None)
    budget = forms.DecimalField(
        label=_("Budget (10k yuan)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    supervisors = forms.ModelMultipleChoiceField(
        label=_("Supervision group"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = department_list_for_user(user).filter(active=True)
        self.fields["supervisors"].queryset = deputy_list_for_user(user).filter(
            active=True, station__place__path__startswith=project.round.place.path
        )


class MilestoneForm(forms.Form):
    title = _text(_("Milestone"), minimum=2, maximum=100, rows=0)
    due_on = forms.DateField(label=_("Due on"), widget=_DATE)


class MilestoneRescheduleForm(forms.Form):
    """A milestone's date moved, with the reason residents will read on the project's timeline."""

    milestone = forms.ModelChoiceField(label=_("Milestone"), queryset=None)
    due_on = forms.DateField(label=_("New date"), widget=_DATE)
    reason = _text(_("Why does the date change?"), minimum=4, maximum=500, rows=2)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = project.milestones.filter(done_at__isnull=True)
        self.fields["milestone"].label_from_instance = lambda m: f"{m.title} · {m.due_on:%Y-%m-%d}"


class _MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class _PhotosField(forms.FileField):
    """Several files in one input: a plain FileField refuses the list the widget returns."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(_PhotosField, self).clean(f, initial) for f in files]


class ProgressForm(forms.Form):
    text = _text(_("Progress"), minimum=5, rows=4)
    percent_done = forms.IntegerField(label=_("Done (%)"), min_value=0, max_value=100, required=False)
    photos = _PhotosField(
        label=_("Photos"), required=False, widget=_MultiplePhotoInput(attrs={"accept": "image/*", "multiple": True})
    )

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if len(files) > 3:
            raise forms.ValidationError(_("Up to 3 photos (JPEG, PNG or WebP), at most 10 MB each."))
        return [process_photo(f) for f in files]


class UrgeForm(forms.Form):
    note = _text(_("What should be done?"), minimum=2, maximum=1000, rows=3)


class InspectForm(forms.Form):
    findings = _text(_("Findings"), minimum=4, rows=4)
    upkeep_ok = forms.NullBooleanField(label=_("Well kept"), required=False)
    in_use = forms.NullBooleanField(label=_("In use"), required=False)
    inspection = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ScheduleForm(forms.Form):
    scheduled_on = forms.DateField(label=_("Look-back on"), widget=_DATE)


class FollowUpForm(forms.Form):
    inspection = forms.IntegerField(widget=forms.HiddenInput)
    text = _text(_("What must be put right?"), minimum=5, rows=3)


SCALE = {
    5: pgettext_lazy("survey scale", "Very satisfied"),
    4: pgettext_lazy("survey scale", "Satisfied"),
    3: pgettext_lazy("survey scale", "Neither"),
    2: pgettext_lazy("survey scale", "Dissatisfied"),
    1: pgettext_lazy("survey scale", "Very dissatisfied"),
}


def survey_form_class(round_):
    """The survey's questions are the round's dimensions: 1–5 stars each."""
    fields = {}
    stars = [(str(i), f"{'★' * i}{'☆' * (5 - i)}  {SCALE[i]}") for i in range(5, 0, -1)]
    from .selectors import dimension_labels

    for key, label in dimension_labels(round_):
        fields[f"score_{key}"] = forms.ChoiceField(
            label=label,
            choices=stars,
            widget=forms.RadioSelect,
            error_messages={"required": _("Please choose one answer.")},
        )
    fields["comment"] = _text(_("Anything else?"), maximum=1000, required=False)
    fields["idempotency_key"] = forms.CharField(widget=forms.HiddenInput, required=False)
    return type("SurveyForm", (forms.Form,), fields)


class MilestoneDoneForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
