"""Deputies (人大代表) and voter representatives (选民代表), each with a personal QR code."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import BaseModel


class DeputyKind(models.TextChoices):
    DEPUTY = "deputy", _("Deputy")
    VOTER_REPRESENTATIVE = "voter_representative", _("Voter representative")


class DeputyLevel(models.TextChoices):
    DISTRICT = "district", _("District congress")
    TOWN = "town", _("Town congress")


class Deputy(BaseModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=30, choices=DeputyKind.choices, default=DeputyKind.DEPUTY)
    level = models.CharField(_("level"), max_length=20, choices=DeputyLevel.choices, default=DeputyLevel.DISTRICT)
    station = models.ForeignKey(
        "places.Station", on_delete=models.PROTECT, related_name="deputies", verbose_name=_("liaison station")
    )
    grids = models.ManyToManyField("places.Place", blank=True, related_name="deputies", verbose_name=_("grids"))
    title = models.CharField(_("occupation and title"), max_length=100, blank=True)
    qr_token = models.CharField(_("QR code token"), max_length=16, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["station", "name"]
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")

    def __str__(self) -> str:
        return self.name
