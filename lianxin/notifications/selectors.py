from django.db.models import QuerySet

from .models import Notification


def inbox_for_user(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, channel="in_app").select_related("case")


def unread_count(user) -> int:
    return inbox_for_user(user).filter(read_at__isnull=True).count()
