"""Forms of the residents' pages: an opinion, a rating, the disclosure filter."""

import re
import unicodedata
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .photos import ProcessedPhoto, process_photo
from .selectors_public import public_categories, towns
from .services import TEXT_MAX, TEXT_MIN

_KEY = re.compile(r"[0-9a-f]{32}")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_PHONE_PREFIX = re.compile(r"^(?:\+86|0086|86)(?=1\d{10}$)")


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def normalize_mobile(value: str) -> str:
    """'+86 138-1234 5678' → '13812345678'; ValidationError if it is no mainland mobile."""
    # NFKC turns full-width digits and plus signs from Chinese keyboards into ASCII.
    compact = re.sub(r"[\s\-()（）]", "", unicodedata.normalize("NFKC", value or ""))
    compact = _PHONE_PREFIX.sub("", compact)
    if not _MOBILE.fullmatch(compact):
        raise ValidationError(
            _("Please enter an 11-digit mobile number starting with 13–19, e.g. 138 1234 5678."), code="phone"
        )
    return compact


class _OpinionText(forms.CharField):
    """Browsers send line breaks as CRLF but count them as one character: count them once here too."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class _MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class _PhotosField(forms.FileField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", _MultiplePhotoInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(_PhotosField, self).clean(f, initial) for f in files if f]


class IntakeForm(forms.Form):
    text = _OpinionText(
        label=_("What happened?"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        help_text=_("5–2000 characters. Please say what, where and since when."),
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={
            "required": _("Please describe the matter in at least 5 characters."),
            "min_length": _("Please write at least %(limit_value)d characters (you wrote %(show_value)d)."),
            "max_length": _("Please write at most %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=public_categories(),
        required=False,
        empty_label=_("Not sure"),
        error_messages={"invalid_choice": _("Please choose a category from the list, or “Not sure”.")},
    )
    address = forms.CharField(
        label=_("Where?"),
        required=False,
        max_length=200,
        help_text=_("A street, building or landmark, so the department can find it."),
        error_messages={"max_length": _("Please write at most %(limit_value)d characters.")},
    )
    photos = _PhotosField(
        label=_("Photos"),
        required=False,
        help_text=_("Up to 3 photos (JPEG, PNG or WebP), at most 10 MB each."),
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=50,
        error_messages={"max_length": _("Please write at most %(limit_value)d characters.")},
    )
    contact_phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=30,
        help_text=_("So the department can call you back if needed."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"max_length": _("Please enter an 11-digit mobile number starting with 13–19.")},
    )
    publish_consent = forms.BooleanField(
        label=_("The reply may be published without my name and phone number."), required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data.get("contact_phone", "")
        return normalize_mobile(value) if value.strip() else ""

    def clean_photos(self) -> list[ProcessedPhoto]:
        uploads = self.cleaned_data.get("photos") or []
        if len(uploads) > settings.MAX_PHOTOS:
            raise ValidationError(
                _("You can attach at most %(max)d photos; you chose %(count)d."),
                code="too_many_photos",
                params={"max": settings.MAX_PHOTOS, "count": len(uploads)},
            )
        processed, problems = [], []
        for upload in uploads:
            try:
                processed.append(process_photo(upload))
            except ValidationError as error:
                problems.append(
                    ValidationError(
                        _("“%(name)s”: %(problem)s"),
                        code="photo",
                        params={"name": upload.name, "problem": " ".join(error.messages)},
                    )
                )
        if problems:
            raise ValidationError(problems)
        return processed

    def clean_idempotency_key(self) -> str:
        # A page rendered by us always carries a key; anything else (an old page, a hand-made
        # post) still gets its opinion saved, just without protection against resending.
        value = (self.cleaned_data.get("idempotency_key") or "").strip().lower()
        return value if _KEY.fullmatch(value) else new_idempotency_key()


INTAKE_TEXT_FIELDS = ("text", "category", "address", "contact_name", "contact_phone", "idempotency_key")


def intake_form_from_rejected_post(post) -> IntakeForm:
    """An unbound form showing what a rejected post contained (files cannot be kept)."""
    initial = {name: post.get(name, "") for name in INTAKE_TEXT_FIELDS}
    initial["publish_consent"] = bool(post.get("publish_consent"))
    if not _KEY.fullmatch(initial["idempotency_key"]):
        initial["idempotency_key"] = new_idempotency_key()
    return IntakeForm(initial=initial)


STAR_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("How satisfied are you with the reply?"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose from 1 to 5 stars."),
            "invalid_choice": _("Please choose from 1 to 5 stars."),
        },
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please write at most %(limit_value)d characters.")},
    )


class DisclosureFilterForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=public_categories(), required=False, empty_label=_("All categories")
    )
    town = forms.ModelChoiceField(label=_("Town or street"), queryset=towns(), required=False, empty_label=_("All"))
