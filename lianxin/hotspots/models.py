"""Near-duplicate signatures of cases, the likely duplicates found after intake, and nothing
else: a merged group is `cases.Case.duplicate_of`, written only by cases/services.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core import clock


class CaseSignature(models.Model):
    """A case's MinHash signature (lianxin.triage.dedup), computed once after intake."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="signature", verbose_name=_("case")
    )
    version = models.PositiveSmallIntegerField(_("signature version"))
    minhash = models.BinaryField(_("MinHash slots"))  # dedup.NUM_PERM × 4 bytes
    # Words of the text (triage.text.tokens), kept for naming hot issues without segmenting again.
    terms = models.TextField(_("key words"), blank=True)
    computed_at = models.DateTimeField(_("computed at"), default=clock.now)

    class Meta:
        verbose_name = _("duplicate signature")
        verbose_name_plural = _("duplicate signatures")


class SignatureBand(models.Model):
    """One LSH band key of a case. Candidates are the cases sharing a key in the same area (the
    town containing the case's place, or the place itself above town level) and time window:
    an equality lookup on the (area, key, created_at) index."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("places.Place", on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()
    created_at = models.DateTimeField()  # the case's, copied so the index answers the window too

    class Meta:
        indexes = [models.Index(fields=["area", "key", "created_at"], name="hotspots_band_lookup")]


class CandidateStatus(models.TextChoices):
    OPEN = "open", _("To be checked")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Not a duplicate")


class DuplicateCandidate(models.Model):
    """`case` (the newer) may report the same issue as `original` (an earlier case of the same
    area): found by the signature after intake, confirmed or dismissed by staff."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="duplicate_candidates", verbose_name=_("case")
    )
    original = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("original"))
    similarity = models.FloatField(_("similarity"))  # exact Jaccard similarity of the 3-gram sets
    status = models.CharField(_("status"), max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.OPEN)
    found_at = models.DateTimeField(_("found at"), default=clock.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-similarity", "pk"]
        verbose_name = _("likely duplicate")
        verbose_name_plural = _("likely duplicates")
        constraints = [
            models.UniqueConstraint(fields=["case", "original"], name="hotspots_candidate_unique"),
            models.CheckConstraint(name="hotspots_candidate_not_self", condition=~models.Q(case=models.F("original"))),
        ]
        indexes = [models.Index(fields=["original", "status"], name="hotspots_candidate_original")]

    def __str__(self) -> str:
        return f"{self.case} ≈ {self.original} ({self.similarity:.2f})"
