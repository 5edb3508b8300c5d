from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotspotsConfig(AppConfig):
    name = "lianxin.hotspots"
    verbose_name = _("Duplicates and hot issues")
