from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    name = "lianxin.rollups"
    verbose_name = _("Figures (rollups)")
