from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "lianxin.audit"
    label = "audit"
    verbose_name = _("Security audit")

    def ready(self) -> None:
        # Authentication signals are Django's own security events, not domain flow.
        from django.contrib.auth import signals

        from . import receivers

        signals.user_logged_in.connect(receivers.logged_in, dispatch_uid="audit-login")
        signals.user_logged_out.connect(receivers.logged_out, dispatch_uid="audit-logout")
        signals.user_login_failed.connect(receivers.login_failed, dispatch_uid="audit-login-failed")
