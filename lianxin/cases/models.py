"""Cases (opinions, suggestions, tickets) and their append-only timeline (微档案)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core import clock
from lianxin.core.codes import format_tracking_code
from lianxin.core.models import BaseModel

from .workflow import ACTION_LABELS, STATUS_LABELS, Action, Status

STATUS_CHOICES = [(s.value, STATUS_LABELS[s]) for s in Status]
ACTION_CHOICES = [(a.value, ACTION_LABELS[a]) for a in Action]


class CaseKind(models.TextChoices):
    OPINION = "opinion", _("Constituent opinion")
    DEPUTY_SUGGESTION = "deputy_suggestion", _("Deputy suggestion")
    TICKET = "ticket", _("Imported ticket")
    MENU_ORDER = "menu_order", _("Consultation order")


class Channel(models.TextChoices):
    DEPUTY_QR = "deputy_qr", _("Deputy QR code")
    STATION_QR = "station_qr", _("Station QR code")
    WEB = "web", _("Website")
    STATION_VISIT = "station_visit", _("Station visit")
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone")
    HOTLINE = "hotline", _("12345 hotline")
    GRID = "grid", _("Grid report")
    OPEN311 = "open311", _("Open311 app")


# Channels staff or deputies record on a resident's behalf.
ASSISTED_CHANNELS = [Channel.STATION_VISIT, Channel.HOME_VISIT, Channel.PHONE, Channel.HOTLINE, Channel.GRID]


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Resolution(models.TextChoices):
    NONE = "", _("Not closed")
    ANSWERED = "answered", _("Answered and rated")
    UNRATED = "unrated", _("Answered, not rated")
    ON_SPOT = "on_spot", _("Resolved on the spot")
    NOT_ADMISSIBLE = "not_admissible", _("Not admissible")


class Case(BaseModel):
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True, editable=False)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=CaseKind.choices, default=CaseKind.OPINION)
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=Status.SUBMITTED)
    resolution = models.CharField(
        _("resolution"), max_length=20, choices=Resolution.choices, default=Resolution.NONE, blank=True
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="cases", verbose_name=_("place"))
    station = models.ForeignKey(
        "places.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("station"),
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("deputy"),
    )
    category = models.ForeignKey(
        "places.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("category"),
    )

    text = models.TextField(_("what happened"))
    address = models.CharField(_("where"), max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    search_text = models.TextField(editable=False, default="")  # jieba tokens, space-delimited

    # Personal data: never shown publicly, never exported to departments beyond their cases.
    contact_name = models.CharField(_("name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    publish_consent = models.BooleanField(_("reply may be published without personal data"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_name = models.CharField(_("submitting application"), max_length=100, blank=True)

    lead_department = models.ForeignKey(
        "places.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_cases",
        verbose_name=_("lead department"),
    )
    helper_departments = models.ManyToManyField(
        "places.Department", blank=True, related_name="helper_cases", verbose_name=_("helper departments")
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )

    due_at = models.DateTimeField(_("reply due"), null=True, blank=True, db_index=True)
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)
    reply_text = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    closing_reason = models.TextField(_("closing reason"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    adopted = models.BooleanField(_("adopted"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["place", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="case_rating_1_to_5", condition=models.Q(rating__isnull=True) | models.Q(rating__range=(1, 5))
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def display_code(self) -> str:
        """The tracking code as people read it: 7KQ2-M9XD."""
        return format_tracking_code(self.tracking_code)

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def is_open(self) -> bool:
        from .workflow import OPEN_STATUSES

        return self.status in OPEN_STATUSES


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("A timeline is append-only.")

    def delete(self):
        raise TypeError("A timeline is append-only.")


class CaseEvent(models.Model):
    """One step of a case's micro-archive: who, when, what, from which state to which."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(_("as"), max_length=30)
    action = models.CharField(_("action"), max_length=30, choices=ACTION_CHOICES)
    from_status = models.CharField(max_length=20, choices=STATUS_CHOICES, blank=True)
    to_status = models.CharField(max_length=20, choices=STATUS_CHOICES)
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(_("visible to the resident"), default=False)
    department = models.ForeignKey(
        "places.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes = [models.Index(fields=["case", "action"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("A timeline is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("A timeline is append-only.")

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(Action(self.action), self.action))


class CasePhoto(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="photos")
    event = models.ForeignKey(CaseEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="photos")
    image = models.FileField(upload_to="cases/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    public = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["id"]


class CaseFollow(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_cases")
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_follow_unique")]


class SlaRule(BaseModel):
    """The reply window for a case kind and/or category; the most specific rule wins."""

    kind = models.CharField(_("case kind"), max_length=30, choices=CaseKind.choices, blank=True)
    category = models.ForeignKey(
        "places.Category", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("category")
    )
    hours = models.PositiveIntegerField(_("reply within hours"), default=48)
    working_days = models.BooleanField(
        _("count working days"), default=False, help_text=_("Count whole working days (hours ÷ 24), skipping holidays.")
    )

    class Meta:
        verbose_name = _("reply deadline rule")
        verbose_name_plural = _("reply deadline rules")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "category"], condition=models.Q(category__isnull=False), name="sla_rule_unique"
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(category__isnull=True), name="sla_rule_unique_kind"
            ),
        ]


class WorkCalendarDay(models.Model):
    """An exception to Monday–Friday: a public holiday, or a make-up workday (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("is a working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
