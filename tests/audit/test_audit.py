import pytest

from lianxin.audit.models import AuditEntry


def test_login_success_and_failure_are_recorded_with_the_address(client, world):
    client.post("/accounts/login/", {"username": world.office1.username, "password": "wrong"})
    client.post("/accounts/login/", {"username": world.office1.username, "password": "pass-1234"})
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "username", "ip"))
    assert actions == [
        ("login_failed", world.office1.username, "127.0.0.1"),
        ("login", world.office1.username, "127.0.0.1"),
    ]


def test_audit_entries_cannot_be_changed(world):
    entry = AuditEntry.objects.create(action="login", username="x")
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_login_is_refused_after_ten_failures_even_with_the_right_password(client, world):
    for _ in range(10):
        client.post("/accounts/login/", {"username": world.office1.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": world.office1.username, "password": "pass-1234"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
