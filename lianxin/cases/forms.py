"""Forms of the staff screens: the work-queue filter, one small form per case action, and
assisted intake. Choices always come from the user's scoped lists, so a posted id outside
the user's scope is an invalid choice, never a leak."""

import logging
import re
import unicodedata
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lianxin.core.codes import normalize_code
from lianxin.places.models import PlaceKind
from lianxin.places.scope import (
    category_list,
    department_list_for_user,
    deputy_list_for_user,
    place_list_for_user,
    station_list_for_user,
    user_scope,
)
from lianxin.routing.selectors import suggested_category_id, suggested_departments
from lianxin.triage import replycheck

from . import selectors
from .models import ASSISTED_CHANNELS, STATUS_CHOICES, Case, Channel, Urgency
from .photos import ProcessedPhoto, process_photo
from .selectors import CaseFilters
from .services import TEXT_MAX, TEXT_MIN

logger = logging.getLogger(__name__)
_KEY = re.compile(r"[0-9a-f]{32}")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")
_MAX_LEN = _("Please write at most %(limit_value)d characters.")


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


# --- the work-queue filter ----------------------------------------------------------------


_DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    place = forms.ModelChoiceField(label=_("Place"), queryset=None, required=False, empty_label=_("All"))
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False, empty_label=_("All"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    department = forms.ModelChoiceField(label=_("Lead department"), queryset=None, required=False, empty_label=_("All"))
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    # <input type="date"> only takes ISO dates, whatever the language's own date format.
    date_from = forms.DateField(label=_("Received from"), required=False, widget=_DATE_INPUT)
    date_to = forms.DateField(label=_("Received until"), required=False, widget=_DATE_INPUT)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = place_list_for_user(user).exclude(kind=PlaceKind.GRID)
        self.fields["category"].queryset = category_list()
        self.fields["department"].queryset = department_list_for_user(user)
        self.fields["status"].choices = [("", _("All")), *STATUS_CHOICES]
        self.fields["channel"].choices = [("", _("All")), *Channel.choices]

    def filters(self, queue: str) -> CaseFilters:
        """The filters of the valid fields; an invalid field (a stale id, a bad date) is ignored."""
        self.is_valid()
        data = self.cleaned_data
        place, category, department = data.get("place"), data.get("category"), data.get("department")
        return CaseFilters(
            queue=queue,
            place_id=place.pk if place else None,
            category_id=category.pk if category else None,
            status=data.get("status") or "",
            department_id=department.pk if department else None,
            channel=data.get("channel") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            query=(data.get("q") or "").strip(),
        )


# --- photos -------------------------------------------------------------------------------


class _MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to settings.MAX_PHOTOS photos, each re-encoded by process_photo (EXIF dropped)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", _MultiplePhotoInput(attrs={"accept": "image/*", "multiple": True}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Up to 3 photos (JPEG, PNG or WebP), at most 10 MB each."))
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list[ProcessedPhoto]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > settings.MAX_PHOTOS:
            raise ValidationError(
                _("You can attach at most %(max)d photos; you chose %(count)d."),
                code="too_many_photos",
                params={"max": settings.MAX_PHOTOS, "count": len(files)},
            )
        processed = []
        for upload in files:
            super().clean(upload, initial)
            processed.append(process_photo(upload))  # ValidationError carries a translated message
        return processed


# --- case actions -------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Base of every action form: carries the status the page showed, to detect stale posts."""

    seen_status = forms.CharField(widget=forms.HiddenInput, required=False)
    has_files = False

    def __init__(self, *args, user, case: Case, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("seen_status", case.status)
        super().__init__(*args, **kwargs)
        self.user = user
        self.case = case


def _note(label=None, *, required: bool = False, max_length: int = 2000) -> forms.CharField:
    return forms.CharField(
        label=label or _("Note"),
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please write a few words."), "max_length": _MAX_LEN},
    )


def _reason() -> forms.CharField:
    return forms.CharField(
        label=_("Reason"),
        min_length=2,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Please give a reason."),
            "min_length": _("Please write at least %(limit_value)d characters."),
            "max_length": _MAX_LEN,
        },
    )


class TriageForm(ActionForm):
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    note = _note()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_list()
        self.initial.setdefault("category", self.case.category_id or suggested_category_id(self.case))
        self.initial.setdefault("urgency", self.case.urgency)


class LinkDuplicateForm(ActionForm):
    original = forms.CharField(
        label=_("Tracking code of the original case"), max_length=20, error_messages={"max_length": _MAX_LEN}
    )
    note = _note()

    def clean_original(self) -> Case:
        code = normalize_code(self.cleaned_data["original"])
        original = selectors.case_list_for_user(self.user).filter(tracking_code=code).first()
        if original is None:
            raise ValidationError(_("No case with this tracking code is visible to you."), code="unknown_case")
        return original


class AssignForm(ActionForm):
    department = forms.ModelChoiceField(label=_("Lead department"), queryset=None)
    helpers = forms.ModelMultipleChoiceField(
        label=_("Helper departments"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    due_at = forms.DateTimeField(
        label=_("Reply due (leave empty for the usual deadline)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    note = _note()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        departments = department_list_for_user(self.user).filter(active=True)
        self.fields["department"].queryset = departments
        self.fields["helpers"].queryset = departments
        # The routing table for the case's category, or the machine's suggestion before triage.
        lead, helpers = suggested_departments(self.case) if not self.case.lead_department_id else (None, [])
        lead = self.case.lead_department_id or lead
        self.initial.setdefault("department", lead)
        self.initial.setdefault("helpers", helpers)


class AcceptForm(ActionForm):
    note = _note()


class ReturnForm(ActionForm):
    reason = _reason()


class ProgressForm(ActionForm):
    has_files = True
    note = _note(_("Progress"), required=True)
    photos = PhotosField(label=_("Photos"))
    public = forms.BooleanField(label=_("The resident may see this note and its photos"), required=False, initial=True)


class ReplyForm(ActionForm):
    """The reply, checked before it is sent (lianxin.triage.replycheck): when the check warns,
    the form comes back with the warnings explained and a box to send the reply as it is.
    Advice only: once the box is ticked the reply goes through, whatever the check says."""

    has_files = True
    text = forms.CharField(
        label=_("Reply to the resident"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Please write the reply."),
            "min_length": _("Please write at least %(limit_value)d characters."),
            "max_length": _MAX_LEN,
        },
    )
    photos = PhotosField(label=_("Photos"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reply_warnings: list[replycheck.ReplyWarning] = []
        if self.is_bound and self.add_prefix("confirm") in self.data:
            self._offer_confirm()

    def _offer_confirm(self) -> None:
        self.fields["confirm"] = forms.BooleanField(label=_("Send the reply as it is"), required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        text = cleaned.get("text")
        if not text or cleaned.get("confirm"):
            return cleaned
        self.reply_warnings = _reply_warnings(self.case, text)
        if self.reply_warnings:
            self._offer_confirm()
            raise ValidationError(
                _("Please check the reply before it is sent. Change it, or tick “%(confirm)s” to send it unchanged."),
                code="reply_check",
                params={"confirm": self.fields["confirm"].label},
            )
        return cleaned

    def reply_warning_messages(self) -> list[str]:
        return [_explain(w) for w in self.reply_warnings]


def _reply_warnings(case: Case, text: str) -> list[replycheck.ReplyWarning]:
    kind = case.category.code if case.category_id else ""
    try:
        return replycheck.check_reply(case.text, text, kind=kind)
    except Exception:  # advice must never stop a reply from being sent
        logger.exception("reply check failed on case %s", case.pk)
        return []


def _explain(warning: replycheck.ReplyWarning) -> str:
    v = warning.values
    if warning.code == replycheck.TOO_SHORT:
        return _(
            "It is much shorter than replies to opinions like this one: %(length)d characters of content "
            "(greetings and thanks not counted), where about %(expected)d are usual."
        ) % {"length": v["length"], "expected": v["expected"]}
    if warning.code == replycheck.OFF_TOPIC:
        return _("It does not mention what the opinion is about; not mentioned: %(terms)s.") % {
            "terms": "、".join(v["missing"])
        }
    return _(
        "It promises nothing concrete: no action taken or planned, no date or deadline, "
        "no phone number, office or window to contact, and no rule cited."
    )


class CloseForm(ActionForm):
    note = _note()


class ReasonForm(ActionForm):
    """Resolve on the spot, or close as not admissible: the resident reads the reason."""

    reason = _reason()


class UrgeForm(ActionForm):
    note = _note(_("What should the department do?"), required=True, max_length=1000)


class FollowForm(ActionForm):
    pass


class NoteForm(ActionForm):
    note = _note(_("Internal note (never shown to the resident)"), required=True)


class AdoptForm(ActionForm):
    note = _note()


# --- assisted intake ----------------------------------------------------------------------


def normalize_phone(value: str) -> str:
    """A mainland mobile ('+86 138-1234 5678' → '13812345678') or a landline ('0571-12345678')."""
    compact = re.sub(r"[\s()（）]", "", unicodedata.normalize("NFKC", value or ""))
    compact = re.sub(r"^(?:\+86|0086)(?=1\d{10}$)", "", compact)
    mobile = compact.replace("-", "")
    if _MOBILE.fullmatch(mobile):
        return mobile
    if _LANDLINE.fullmatch(compact):
        return compact
    raise ValidationError(
        _("Please enter an 11-digit mobile number or a landline with its area code, e.g. 0571-12345678."),
        code="phone",
    )


class AssistedIntakeForm(forms.Form):
    channel = forms.ChoiceField(label=_("How was it received?"), choices=())
    place = forms.ModelChoiceField(label=_("Community or grid"), queryset=None)
    station = forms.ModelChoiceField(label=_("Liaison station"), queryset=None)
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=None, required=False, empty_label=_("None"))
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=None, required=False, empty_label=_("Not yet classified")
    )
    text = forms.CharField(
        label=_("What happened?"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Please describe the matter in at least 5 characters."),
            "min_length": _("Please write at least %(limit_value)d characters."),
            "max_length": _MAX_LEN,
        },
    )
    address = forms.CharField(
        label=_("Where?"), required=False, max_length=200, error_messages={"max_length": _MAX_LEN}
    )
    contact_name = forms.CharField(
        label=_("Resident's name"), required=False, max_length=50, error_messages={"max_length": _MAX_LEN}
    )
    contact_phone = forms.CharField(label=_("Resident's phone"), required=False, max_length=30)
    publish_consent = forms.BooleanField(
        label=_("The resident agrees that the reply may be published without name and phone number."), required=False
    )
    photos = PhotosField(label=_("Photos"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        scope = user_scope(user)
        self.own_deputy = scope.deputy_id
        self.fields["channel"].choices = [(c.value, c.label) for c in ASSISTED_CHANNELS]
        self.fields["place"].queryset = place_list_for_user(user).filter(kind__in=[PlaceKind.COMMUNITY, PlaceKind.GRID])
        self.fields["station"].queryset = station_list_for_user(user).filter(active=True)
        self.fields["deputy"].queryset = deputy_list_for_user(user).filter(active=True).select_related("station")
        self.fields["category"].queryset = category_list()
        station_id = _default_station(scope)
        self.initial.setdefault("station", station_id)
        # The station's own community is where most visits come from.
        home = self.fields["station"].queryset.filter(pk=station_id).values_list("place_id", flat=True).first()
        if home and self.fields["place"].queryset.filter(pk=home).exists():
            self.initial.setdefault("place", home)
        self.initial.setdefault("deputy", scope.deputy_id)
        if self.own_deputy and not (scope.station_ids or scope.office_paths or scope.is_admin):
            # A deputy recording a visit is the deputy of that case.
            self.fields["deputy"].disabled = True
            self.fields["deputy"].initial = scope.deputy_id

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data.get("contact_phone", "")
        return normalize_phone(value) if value.strip() else ""

    def clean_idempotency_key(self) -> str:
        value = (self.cleaned_data.get("idempotency_key") or "").strip().lower()
        return value if _KEY.fullmatch(value) else new_idempotency_key()


def _default_station(scope) -> int | None:
    if scope.station_ids:
        return scope.station_ids[0]
    return scope.deputy_station_id


class PromoteToProjectForm(forms.Form):
    """转为民生实事建议: the case becomes a proposal of a livelihood-projects round."""

    round = forms.ModelChoiceField(label=_("Round of livelihood projects"), queryset=None, empty_label=None)
    title = forms.CharField(
        label=_("Proposal's title"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to use the opinion's first words."),
    )

    def __init__(self, *args, rounds, **kwargs) -> None:
        from lianxin.projects.models import Round

        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.filter(pk__in=[r.pk for r in rounds])
