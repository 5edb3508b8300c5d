from django.db import models
from django.utils.translation import gettext_lazy as _

from . import clock


class BaseModel(models.Model):
    # default=clock.now rather than auto_now_add, so demo history and frozen tests control time.
    created_at = models.DateTimeField(_("created at"), default=clock.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now, editable=False)

    class Meta:
        abstract = True
