"""The place tree and the reference data hung on it: stations, departments, categories."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import BaseModel


class PlaceKind(models.TextChoices):
    DISTRICT = "district", _("District")
    TOWN = "town", _("Town or street")
    COMMUNITY = "community", _("Community or village")
    GRID = "grid", _("Grid")


class Place(BaseModel):
    """A node of district → town/street → community/village → grid.

    `path` is the materialised path ("/D1/T2/C5/"); a subtree is a prefix match.
    It is set by places.services, never edited by hand.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=PlaceKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(_("path"), max_length=400, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return self.name

    def subtree_q(self, field: str = "") -> Q:
        prefix = f"{field}__" if field else ""
        return Q(**{f"{prefix}path__startswith": self.path})


class Station(BaseModel):
    """A deputies' liaison station (联络站); `qr_token` is the code in its 联络站码."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="stations", verbose_name=_("place"))
    served_places = models.ManyToManyField(
        Place, related_name="serving_stations", blank=True, verbose_name=_("communities served")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_central = models.BooleanField(_("central station"), default=False)
    qr_token = models.CharField(_("QR code token"), max_length=16, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("liaison station")
        verbose_name_plural = _("liaison stations")

    def __str__(self) -> str:
        return self.name


class Department(BaseModel):
    """A government department or street office that handles assigned cases."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="departments", verbose_name=_("place it belongs to")
    )
    email = models.EmailField(_("email"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name


class Category(BaseModel):
    """An opinion category (城市建设, 生态环境, …); names are data in both languages."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    default_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default lead department"),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "").startswith("en") else self.name_zh
