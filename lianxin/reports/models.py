"""Public-opinion analysis reports (民情分析报告): one row per generated (or queued) report,
its PDF and Word files in the default storage (under MEDIA_ROOT, never in git)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import BaseModel

from .periods import PERIOD_KIND_LABELS, Period, PeriodKind


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportOrigin(models.TextChoices):
    ON_DEMAND = "on_demand", _("On request")
    SCHEDULED = "scheduled", _("Scheduled")


class Report(BaseModel):
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="reports", verbose_name=_("place"))
    period_kind = models.CharField(
        _("period"), max_length=10, choices=[(k.value, label) for k, label in PERIOD_KIND_LABELS.items()]
    )
    period_start = models.DateField(_("period start"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    origin = models.CharField(_("origin"), max_length=20, choices=ReportOrigin.choices)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    seconds = models.FloatField(_("generation time (s)"), null=True, blank=True)
    pdf = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    pdf_size = models.PositiveIntegerField(default=0)
    docx = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    docx_size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            # The schedule makes each place's report for a period once, whatever runs twice.
            models.UniqueConstraint(
                fields=["place", "period_kind", "period_start", "language"],
                condition=models.Q(origin="scheduled"),
                name="report_scheduled_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.period_kind} {self.period_start}"

    @property
    def period(self) -> Period:
        return Period(PeriodKind(self.period_kind), self.period_start)
