from django_tasks import task

from .models import DeliveryStatus, Notification
from .services import notification_deliver


@task()
def deliver_pending(limit: int = 500) -> int:
    pending = list(Notification.objects.filter(status=DeliveryStatus.PENDING).select_related("recipient")[:limit])
    for notification in pending:
        notification_deliver(notification=notification)
    return len(pending)
