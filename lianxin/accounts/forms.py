from datetime import timedelta

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.audit.models import AuditEntry
from lianxin.audit.services import client_ip
from lianxin.core import clock

MAX_FAILURES = 10
WINDOW = timedelta(minutes=15)


class ThrottledLoginForm(AuthenticationForm):
    """Refuses to check a password after too many recent failures for the name or address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed attempts. Please wait 15 minutes and try again."),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "")[:150]
        ip = client_ip(self.request)
        recent = AuditEntry.objects.filter(action="login_failed", at__gte=clock.now() - WINDOW)
        who = Q(username=username) | (Q(ip=ip) if ip else Q(pk__in=[]))
        if recent.filter(who).count() >= MAX_FAILURES:
            raise ValidationError(self.error_messages["throttled"], code="throttled")
        return super().clean()
