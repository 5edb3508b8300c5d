"""The outbox: rows in the caller's transaction, one delivery task per transaction, retries."""

import pytest
from django.db import transaction

from lianxin.notifications.models import DeliveryStatus, Notification
from lianxin.notifications.services import notification_deliver, notify


def test_messages_are_rows_of_the_callers_transaction(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[world.handler_a], kind="test", subject="主题", body="正文")
        raise RuntimeError("the business change failed")
    assert not Notification.objects.exists()


def test_one_delivery_task_per_transaction(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        notify(recipients=[world.handler_a], kind="test", subject="一", body="正文")
        notify(recipients=[world.handler_b, world.office1], kind="test", subject="二", body="正文")
    assert len(callbacks) == 1
    assert Notification.objects.filter(channel="in_app").count() == 3


def test_a_failing_channel_is_retried_then_marked_failed(world, monkeypatch):
    (note,) = notify(recipients=[world.handler_a], kind="test", subject="主题", body="正文")[:1]

    def broken(self, notification):
        raise OSError("mail server down")

    sender_path = "lianxin.notifications.senders.InAppSender.deliver"
    monkeypatch.setattr(sender_path, broken)
    for attempt in range(1, 6):
        note.refresh_from_db()
        notification_deliver(notification=note)
        note.refresh_from_db()
        assert note.attempts == attempt
    assert note.status == DeliveryStatus.FAILED
    assert "mail server down" in note.last_error
