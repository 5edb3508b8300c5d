"""Who may call the APIs: registered Open311 apps (by key) and users' bearer tokens.
Only hashes of keys and tokens are stored; the plain value is shown once, when issued."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lianxin.core import clock


class ApiClient(models.Model):
    """A third-party Open311 app allowed to POST service requests with its api_key."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key starts with"), max_length=12, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 app")
        verbose_name_plural = _("Open311 apps")

    def __str__(self) -> str:
        return self.name


class Open311Token(models.Model):
    """The GeoReport token of a request posted through Open311 (tokens/{token}.json)."""

    token = models.CharField(max_length=32, unique=True, editable=False)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="open311_token")
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="tokens")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    def __str__(self) -> str:
        return self.token


class ApiToken(models.Model):
    """A bearer token for the JSON API, acting as its user (with the user's scope)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
