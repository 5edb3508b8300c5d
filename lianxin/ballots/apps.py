from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "lianxin.ballots"
    label = "ballots"
    verbose_name = _("ballots")
