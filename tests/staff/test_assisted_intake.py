"""Recording an opinion on a resident's behalf (station visit, home visit, phone)."""

import pytest

from lianxin.cases.models import Case, CasePhoto
from tests.staff.conftest import jpeg_upload

KEY = "0123456789abcdef0123456789abcdef"


def _post(client, world, **overrides):
    data = {
        "channel": "station_visit",
        "place": world.community1.pk,
        "station": world.station1.pk,
        "text": "居民到站反映：楼道灯不亮，老人夜里上下楼不安全。",
        "contact_name": "李阿姨",
        "contact_phone": "138 1234 5678",
        "idempotency_key": KEY,
    }
    data.update(overrides)
    return client.post("/desk/new/", data)


def test_staff_records_a_visit_with_channel_and_submitted_by(world, as_user):
    response = _post(as_user(world.staff1), world, photos=[jpeg_upload()])
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/desk/cases/{case.pk}/"
    assert case.channel == "station_visit" and case.submitted_by == world.staff1
    assert case.contact_phone == "13812345678" and case.station == world.station1
    assert CasePhoto.objects.filter(case=case).count() == 1
    assert case.events.get().actor == world.staff1


def test_form_defaults_to_the_staffs_station_and_offers_only_assisted_channels(world, as_user):
    response = as_user(world.staff1).get("/desk/new/")
    form = response.context["form"]
    assert form.initial["station"] == world.station1.pk and form.initial["place"] == world.community1.pk
    assert [c for c, _ in form.fields["channel"].choices] == ["station_visit", "home_visit", "phone", "hotline", "grid"]
    assert set(form.fields["place"].queryset) == {world.community1, world.grid1}


def test_deputy_recording_a_home_visit_is_the_deputy_of_the_case(world, as_user):
    # The deputy field is fixed for a deputy: an empty posted value cannot remove him.
    response = _post(as_user(world.deputy_user), world, channel="home_visit", deputy="")
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.deputy == world.deputy and case.channel == "home_visit" and case.submitted_by == world.deputy_user


def test_resending_the_same_form_creates_one_case(world, as_user):
    client = as_user(world.staff1)
    first, second = _post(client, world), _post(client, world)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_invalid_input_keeps_what_was_typed(world, as_user):
    response = _post(as_user(world.staff1), world, contact_phone="12345", text="路灯坏了很久了")
    html = response.content.decode()
    assert response.status_code == 400
    assert "路灯坏了很久了</textarea>" in html and 'value="12345"' in html
    assert Case.objects.count() == 0


def test_place_outside_the_users_scope_is_refused(world, as_user):
    response = _post(as_user(world.staff1), world, place=world.community2.pk)
    assert response.status_code == 400 and Case.objects.count() == 0


def test_phone_channel_accepts_a_landline(world, as_user):
    _post(as_user(world.office1), world, channel="phone", contact_phone="0571-87654321")
    assert Case.objects.get().contact_phone == "0571-87654321"


def test_channel_outside_the_assisted_list_is_refused(world, as_user):
    response = _post(as_user(world.staff1), world, channel="deputy_qr")
    assert response.status_code == 400 and Case.objects.count() == 0


@pytest.mark.parametrize("persona", ["handler_a", "leader", "outsider"])
def test_roles_without_a_station_or_place_cannot_record(world, as_user, persona):
    client = as_user(getattr(world, persona))
    assert client.get("/desk/new/").status_code == 403
    assert _post(client, world).status_code == 403
    assert Case.objects.count() == 0


def test_deputy_form_defaults_to_the_deputys_station(world, as_user):
    form = as_user(world.deputy_user).get("/desk/new/").context["form"]
    assert form.initial["station"] == world.station1.pk
    assert form.fields["deputy"].disabled
