from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from lianxin.core import clock

from .models import DeliveryStatus, Notification


def notify(
    *, recipients: Iterable, kind: str, subject: str, body: str, link: str = "", case=None
) -> list[Notification]:
    """Queue one message per recipient and channel in the caller's transaction; deliver after commit."""
    rows = [
        Notification(recipient=user, channel=channel, kind=kind, subject=subject[:200], body=body, link=link, case=case)
        for user in {u.pk: u for u in recipients}.values()
        for channel in settings.NOTIFICATION_SENDERS
    ]
    created = Notification.objects.bulk_create(rows)
    if created and not _delivery_queued():
        transaction.on_commit(_enqueue_delivery)
    return created


def _delivery_queued() -> bool:
    """One delivery task per transaction is enough: it sends every pending row."""
    return any(callback[1] is _enqueue_delivery for callback in transaction.get_connection().run_on_commit)


def _enqueue_delivery() -> None:
    from .tasks import deliver_pending

    deliver_pending.enqueue()


def notification_deliver(*, notification: Notification) -> None:
    sender = import_string(settings.NOTIFICATION_SENDERS[notification.channel])()
    claimed = Notification.objects.filter(pk=notification.pk, status=DeliveryStatus.PENDING).update(
        attempts=notification.attempts + 1
    )
    if not claimed:
        return
    try:
        delivered = sender.deliver(notification)
    except Exception as error:  # a channel failing must not stop the others
        Notification.objects.filter(pk=notification.pk).update(
            status=DeliveryStatus.FAILED if notification.attempts + 1 >= 5 else DeliveryStatus.PENDING,
            last_error=str(error)[:2000],
        )
        return
    Notification.objects.filter(pk=notification.pk).update(
        status=DeliveryStatus.SENT if delivered else DeliveryStatus.SKIPPED, sent_at=clock.now()
    )


def notification_mark_read(*, user, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(read_at=clock.now())


def notification_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, channel="in_app", read_at__isnull=True).update(
        read_at=clock.now()
    )
