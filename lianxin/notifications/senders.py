"""Delivery channels. A sender gets one pending notification and delivers it or raises.

SMS and WeChat template-message adapters are added here, registered in
settings.NOTIFICATION_SENDERS, and need nothing else to change."""

from typing import Protocol

from django.core.mail import send_mail

from .models import Notification


class Sender(Protocol):
    def deliver(self, notification: Notification) -> bool:
        """Deliver; return False when this channel cannot reach the recipient (skipped)."""


class InAppSender:
    """In-app messages are read from the inbox; delivery is having been stored."""

    def deliver(self, notification: Notification) -> bool:
        return True


class EmailSender:
    def deliver(self, notification: Notification) -> bool:
        address = notification.recipient.email
        if not address:
            return False
        send_mail(notification.subject, notification.body, None, [address], fail_silently=False)
        return True
