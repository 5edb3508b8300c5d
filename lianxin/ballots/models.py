"""A secret ballot of deputies (票决). See docs/ballot-secrecy.md before changing anything here.

Who voted (Elector.voted) and what was chosen (BallotSlot.marks) live in two tables with
nothing in common but the ballot: slots have random ids, random receipt codes, no
timestamps and no reference to an elector, and every cast rewrites all slots of the ballot.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianxin.core import clock
from lianxin.core.models import BaseModel


class BallotStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("ballot status", "Open")
    CLOSED = "closed", pgettext_lazy("ballot status", "Closed")


class ThresholdBasis(models.TextChoices):
    ALL = "all", _("All electors")
    PRESENT = "present", _("Electors present")


class Ballot(BaseModel):
    """One ballot. Its rules are columns copied at opening: changing the source (a project
    round, a template) afterwards changes nothing here."""

    title = models.CharField(_("title"), max_length=200)
    ref = models.CharField(_("reference"), max_length=100, blank=True, db_index=True)
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    status = models.CharField(_("status"), max_length=10, choices=BallotStatus.choices, default=BallotStatus.OPEN)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    seats = models.PositiveSmallIntegerField(_("places to adopt"))
    min_ratio = models.DecimalField(_("minimum surplus ratio"), max_digits=4, decimal_places=2)
    threshold_basis = models.CharField(_("threshold basis"), max_length=10, choices=ThresholdBasis.choices)
    separate_marks = models.BooleanField(_("for, against and abstain marks"))
    paper = models.BooleanField(_("paper ballots"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.CheckConstraint(name="ballot_seats_positive", condition=models.Q(seats__gte=1)),
            models.CheckConstraint(
                name="ballot_window_ordered", condition=models.Q(closes_at__gt=models.F("opens_at"))
            ),
            models.CheckConstraint(
                name="ballot_basis_known", condition=models.Q(threshold_basis__in=["all", "present"])
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BallotOption(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("position"))
    ref = models.CharField(_("reference"), max_length=100)
    label = models.CharField(_("label"), max_length=200)

    class Meta:
        ordering = ["ballot", "position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "ref"], name="ballot_option_ref_unique"),
            models.UniqueConstraint(fields=["ballot", "position"], name="ballot_option_position_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class Elector(models.Model):
    """Who may vote, who is present, who has voted. Never what anyone chose. No timestamps:
    when a deputy voted is not kept either. `present` is what the chair recorded; a deputy
    who voted on the phone counts as present too (common.present_q), without the flag
    changing, so the presence list does not tell who has voted."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="electors")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="+")
    voted = models.BooleanField(_("voted"), default=False)
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        ordering = ["ballot", "deputy__name", "id"]
        verbose_name = _("elector")
        verbose_name_plural = _("electors")
        constraints = [models.UniqueConstraint(fields=["ballot", "deputy"], name="ballot_elector_unique")]


def _slot_id() -> uuid.UUID:
    return uuid.uuid4()  # 122 random bits from os.urandom


class BallotSlot(models.Model):
    """One ballot paper in the box. Deliberately not a BaseModel: no created_at/updated_at,
    no elector, no sequence; made all at once at opening in random order; `marks` has the
    same width whether filled or not (see marks.py)."""

    id = models.UUIDField(primary_key=True, default=_slot_id, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="slots")
    receipt_code = models.CharField(_("receipt code"), max_length=16)
    filled = models.BooleanField(default=False)
    marks = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]  # random: says nothing
        verbose_name = _("ballot paper")
        verbose_name_plural = _("ballot papers")
        constraints = [models.UniqueConstraint(fields=["ballot", "receipt_code"], name="ballot_receipt_unique")]


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    MISMATCH = "mismatch", _("Mismatch")


class PaperEntry(BaseModel):
    """One paper ballot sheet as entered by a teller and re-entered by a second one. Sheets
    are anonymous: no deputy here."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="paper_entries")
    sheet_no = models.PositiveIntegerField(_("sheet number"))
    marks = models.CharField(_("marks"), max_length=200)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING)
    second_marks = models.CharField(_("second entry"), max_length=200, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["ballot", "sheet_no"]
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        constraints = [models.UniqueConstraint(fields=["ballot", "sheet_no"], name="ballot_sheet_unique")]


class BallotEvent(models.Model):
    """The ballot's timeline: opening, presence, paper entries, closing, results. Never a
    choice, never who chose what; individual casts are not events (turnout is Elector.voted)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=clock.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    note = models.CharField(max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ballot event")
        verbose_name_plural = _("ballot events")
