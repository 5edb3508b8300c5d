"""The scoped photo view: staff see a case's photos, internal ones included, within scope."""

from lianxin.cases import services
from lianxin.cases.models import CasePhoto
from lianxin.cases.photos import process_photo
from tests.staff.conftest import in_progress_at_a, jpeg_upload


def _case_with_resident_photo(world):
    return world.opinion(photos=[process_photo(jpeg_upload())])


def test_staff_in_scope_gets_the_residents_photo(world, as_user):
    case = _case_with_resident_photo(world)
    photo = CasePhoto.objects.get(case=case)
    response = as_user(world.office1).get(f"/desk/photos/{photo.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    assert "private" in response["Cache-Control"]


def test_case_page_shows_the_photo_through_the_scoped_view(world, as_user):
    case = _case_with_resident_photo(world)
    photo = CasePhoto.objects.get(case=case)
    html = as_user(world.office1).get(f"/desk/cases/{case.pk}/").content.decode()
    assert f'src="/desk/photos/{photo.pk}"' in html


def test_photo_out_of_scope_is_not_found(world, as_user):
    case = _case_with_resident_photo(world)
    photo = CasePhoto.objects.get(case=case)
    for user in (world.office2, world.handler_b, world.outsider):
        assert as_user(user).get(f"/desk/photos/{photo.pk}").status_code == 404


def test_missing_photo_is_not_found(world, as_user):
    assert as_user(world.admin).get("/desk/photos/999999").status_code == 404


def test_internal_progress_photo_is_visible_to_staff_and_shown_on_the_timeline(world, as_user):
    case = in_progress_at_a(world)
    services.case_add_progress(
        case=case, actor=world.handler_a, note="现场照片", photos=[process_photo(jpeg_upload())], public=False
    )
    photo = CasePhoto.objects.get(case=case)
    assert as_user(world.office1).get(f"/desk/photos/{photo.pk}").status_code == 200
    html = as_user(world.handler_a).get(f"/desk/cases/{case.pk}/").content.decode()
    assert f'src="/desk/photos/{photo.pk}"' in html
    assert as_user(world.handler_b).get(f"/desk/photos/{photo.pk}").status_code == 404
