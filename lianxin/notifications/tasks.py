from django_tasks import task

from lianxin.core import priorities

from .models import DeliveryStatus, Notification
from .services import notification_deliver


@task(priority=priorities.MESSAGES)
def deliver_pending(limit: int = 500) -> int:
    pending = list(Notification.objects.filter(status=DeliveryStatus.PENDING).select_related("recipient")[:limit])
    for notification in pending:
        notification_deliver(notification=notification)
    return len(pending)
