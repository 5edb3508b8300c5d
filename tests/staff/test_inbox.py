"""The in-app inbox."""

from lianxin.notifications.models import Notification
from tests.staff.conftest import assigned_to_a


def _inbox(user):
    return Notification.objects.filter(recipient=user, channel="in_app")


def test_inbox_lists_unread_first_and_links_to_the_case(world, as_user):
    case = assigned_to_a(world)  # handler_a is told about the assignment
    older = _inbox(world.handler_a).get()
    Notification.objects.create(recipient=world.handler_a, channel="in_app", kind="x", subject="已读的旧消息", body="")
    newest = _inbox(world.handler_a).get(subject="已读的旧消息")
    Notification.objects.filter(pk=newest.pk).update(read_at=older.created_at)
    response = as_user(world.handler_a).get("/inbox/")
    items = list(response.context["page"])
    assert [n.pk for n in items] == [older.pk, newest.pk]
    assert f'href="/desk/cases/{case.pk}/"' in response.content.decode()


def test_mark_one_read(world, as_user):
    assigned_to_a(world)
    item = _inbox(world.handler_a).get()
    response = as_user(world.handler_a).post(f"/inbox/{item.pk}/read")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.read_at is not None


def test_cannot_mark_someone_elses_message_read(world, as_user):
    assigned_to_a(world)
    item = _inbox(world.handler_a).get()
    as_user(world.handler_b).post(f"/inbox/{item.pk}/read")
    item.refresh_from_db()
    assert item.read_at is None


def test_mark_all_read_touches_only_my_messages(world, as_user):
    world.opinion()
    world.opinion()  # offices are told of new cases
    as_user(world.office1).post("/inbox/read-all")
    assert not _inbox(world.office1).filter(read_at__isnull=True).exists()
    assert _inbox(world.district_office).filter(read_at__isnull=True).count() == 2


def test_inbox_shows_only_my_messages(world, as_user):
    world.opinion(place=world.community2)
    response = as_user(world.office1).get("/inbox/")
    assert list(response.context["page"]) == []
    assert "No messages." in response.content.decode()


def test_mark_read_needs_post(world, as_user):
    assert as_user(world.office1).get("/inbox/read-all").status_code == 405
