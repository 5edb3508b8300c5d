"""Users and the roles they hold at places, stations and departments."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core.models import BaseModel


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    STATION_STAFF = "station_staff", _("Station staff")
    CONGRESS_OFFICE = "congress_office", _("Congress office")
    DEPARTMENT_HANDLER = "department_handler", _("Department handler")
    DEPUTY = "deputy", _("Deputy")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("System administrator")


class Membership(BaseModel):
    """One role of one user: at a place (office, leader, admin), a station (staff, deputy)
    or a department (handler). A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("place")
    )
    station = models.ForeignKey(
        "places.Station", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("station")
    )
    department = models.ForeignKey(
        "places.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                name="membership_anchor_matches_role",
                condition=(
                    models.Q(role="department_handler", department__isnull=False)
                    | models.Q(role__in=["station_staff", "deputy"], station__isnull=False)
                    | models.Q(role__in=["congress_office", "leader"], place__isnull=False)
                    | models.Q(role="admin")
                ),
            ),
            # One anchor per role (checked above), so each anchor gets its own uniqueness rule.
            models.UniqueConstraint(
                fields=["user", "role", "place"],
                condition=models.Q(place__isnull=False),
                name="membership_unique_place",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "station"],
                condition=models.Q(station__isnull=False),
                name="membership_unique_station",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "department"],
                condition=models.Q(department__isnull=False),
                name="membership_unique_department",
            ),
        ]

    def __str__(self) -> str:
        anchor = self.department or self.station or self.place or ""
        return f"{self.user} · {self.get_role_display()} · {anchor}"
