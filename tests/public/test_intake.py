"""Scanning a deputy's or station's QR code and sending an opinion."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from lianxin.cases.forms_public import normalize_mobile
from lianxin.cases.models import Case, CasePhoto, Channel
from lianxin.core.codes import format_tracking_code
from lianxin.deputies.services import deputy_create
from lianxin.places.models import Category
from lianxin.places.services import station_create

TEXT = "小区门口路灯坏了三个月，晚上出行很不方便。"


def form_url(target) -> str:
    return f"/q/{target.qr_token}"


def key_of(response) -> str:
    return re.search(rb'name="idempotency_key" value="([0-9a-f]{32})"', response.content).group(1).decode()


def post(client, target, **fields):
    data = {"text": TEXT, "idempotency_key": key_of(client.get(form_url(target)))}
    data.update(fields)
    return client.post(form_url(target), data)


# --- the page behind a code -----------------------------------------------------------------


def test_deputy_code_opens_a_form_showing_whose_code_it_is(client, world):
    response = client.get(form_url(world.deputy))
    page = response.content.decode()
    assert response.status_code == 200
    assert "王代表" in page and "Deputy" in page and "东湖联络站" in page and "东湖一网格" in page
    assert 'enctype="multipart/form-data"' in page and "5–2000 characters" in page
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', page)


def test_station_code_opens_a_form_showing_the_station_name_and_address(client, world):
    station = station_create(code="s3", name="东湖第二联络站", place=world.community1, address="东湖路12号")
    response = client.get(form_url(station))
    page = response.content.decode()
    assert response.status_code == 200
    assert "东湖第二联络站" in page and "东湖路12号" in page and "王代表" not in page


def test_each_rendered_form_gets_its_own_idempotency_key(client, world):
    assert key_of(client.get(form_url(world.station1))) != key_of(client.get(form_url(world.station1)))


def test_form_lists_active_categories_with_not_sure_first(client, world):
    Category.objects.filter(code="urban_construction").update(active=False)
    page = client.get(form_url(world.station1)).content.decode()
    options = re.findall(r"<option value=\"(\d*)\"[^>]*>([^<]*)</option>", page)
    assert options[0] == ("", "Not sure")
    assert str(world.category.pk) not in [value for value, _label in options]
    assert len(options) == Category.objects.filter(active=True).count() + 1


def test_pages_are_chinese_by_default(world):
    page = Client().get(form_url(world.station1)).content.decode()
    assert '<html lang="zh-Hans">' in page


@pytest.mark.parametrize("token", ["DXXXXXX", "SXXXXXX", "X123", "D", "%3Cscript%3E"])
def test_unknown_token_gives_a_friendly_404(client, world, token):
    response = client.get(f"/q/{token}")
    assert response.status_code == 404
    assert "This QR code is not recognised" in response.content.decode()


def test_tampered_token_gives_a_404_and_creates_nothing(client, world):
    token = world.deputy.qr_token
    tampered = token[:-1] + ("B" if token[-1] != "B" else "C")
    response = client.post(f"/q/{tampered}", {"text": TEXT})
    assert response.status_code == 404 and Case.objects.count() == 0


def test_inactive_deputy_code_says_so_and_links_to_the_station_form(client, world):
    world.deputy.active = False
    world.deputy.save()
    response = client.get(form_url(world.deputy))
    page = response.content.decode()
    assert response.status_code == 410
    assert "This QR code is no longer in use" in page
    assert f'href="/q/{world.station1.qr_token}"' in page and "<textarea" not in page


def test_posting_to_an_inactive_deputy_code_creates_nothing(client, world):
    world.deputy.active = False
    world.deputy.save()
    response = client.post(form_url(world.deputy), {"text": TEXT})
    assert response.status_code == 410 and Case.objects.count() == 0


def test_inactive_station_code_sends_residents_to_the_station_list(client, world):
    world.station2.active = False
    world.station2.save()
    response = client.get(form_url(world.station2))
    assert response.status_code == 410
    assert 'href="/"' in response.content.decode()


# --- validation: a message next to the field, and nothing typed is lost ----------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "Please describe the matter in at least 5 characters."),
        ({"text": "四个字啊"}, "Please write at least 5 characters (you wrote 4)."),
        ({"text": "字" * 2001}, "Please write at most 2000 characters (you wrote 2001)."),
        ({"contact_phone": "12345"}, "Please enter an 11-digit mobile number starting with 13–19"),
        ({"contact_phone": "12812345678"}, "Please enter an 11-digit mobile number starting with 13–19"),
        ({"category": "999999"}, "Please choose a category from the list, or “Not sure”."),
        ({"category": "abc"}, "Please choose a category from the list, or “Not sure”."),
    ],
)
def test_invalid_field_shows_a_message_and_keeps_what_was_typed(client, world, fields, message):
    typed = {"address": "东湖路3号楼", "contact_name": "李阿姨", "contact_phone": "13812345678"}
    typed.update(fields)
    response = post(client, world.deputy, **typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'aria-invalid="true"' in page and "_error" in page
    assert "东湖路3号楼" in page and "李阿姨" in page
    if fields.get("text"):
        assert fields["text"] in page
    elif "text" not in fields:
        assert TEXT in page
    assert Case.objects.count() == 0


def test_error_is_tied_to_its_field_for_screen_readers(client, world):
    page = post(client, world.deputy, text="四个字啊").content.decode()
    assert re.search(r'<textarea[^>]*aria-describedby="id_text_helptext id_text_error"', page)
    assert 'id="id_text_error"' in page


def test_re_rendered_form_keeps_its_idempotency_key(client, world):
    key = key_of(client.get(form_url(world.station1)))
    response = client.post(form_url(world.station1), {"text": "短", "idempotency_key": key})
    assert key_of(response) == key


def test_inactive_category_is_refused(client, world):
    Category.objects.filter(pk=world.category.pk).update(active=False)
    response = post(client, world.station1, category=str(world.category.pk))
    assert "Please choose a category from the list" in response.content.decode()
    assert Case.objects.count() == 0


def test_line_breaks_count_as_one_character_like_the_browser_counts_them(client, world):
    text = ("字" * 198 + "\r\n") * 10 + "字" * 10  # 2000 characters counting LF, 2010 as sent with CRLF
    response = post(client, world.station1, text=text)
    assert response.status_code == 302
    assert Case.objects.get().text == text.replace("\r\n", "\n") and len(text.replace("\r\n", "\n")) == 2000


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_four_photos_are_refused_and_the_text_is_kept(client, world, make_jpeg):
    photos = [upload(f"p{i}.jpg", make_jpeg()) for i in range(4)]
    response = post(client, world.station1, photos=photos)
    page = response.content.decode()
    assert response.status_code == 200
    assert "You can attach at most 3 photos; you chose 4." in page
    assert TEXT in page and "please attach them again" in page
    assert Case.objects.count() == 0


def test_photo_over_10_mb_is_refused_with_a_clear_message(client, world):
    big = upload("big.jpg", b"\xff\xd8\xff" + b"0" * (11 * 1024 * 1024))
    response = post(client, world.station1, photos=[big])
    page = response.content.decode()
    assert response.status_code == 200
    assert "“big.jpg”: Each photo may be at most 10 MB." in page and TEXT in page
    assert Case.objects.count() == 0


def test_text_file_renamed_jpg_is_refused(client, world):
    fake = upload("photo.jpg", b"this is a text file, not a photo\n" * 20)
    response = post(client, world.station1, photos=[fake])
    page = response.content.decode()
    assert response.status_code == 200
    assert "“photo.jpg”: This file is not a JPEG, PNG or WebP photo." in page and TEXT in page
    assert Case.objects.count() == 0


# --- a good submission ------------------------------------------------------------------------


def test_deputy_code_submission_creates_one_case_in_the_deputys_grid(client, world):
    response = post(
        client,
        world.deputy,
        category=str(world.category.pk),
        address="东湖路3号楼",
        contact_name="李阿姨",
        contact_phone="+86 138-1234 5678",
        publish_consent="on",
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/t/{case.tracking_code}?new=1"
    assert (case.channel, case.place, case.deputy, case.station) == (
        Channel.DEPUTY_QR,
        world.grid1,
        world.deputy,
        world.station1,
    )
    assert (case.category, case.address, case.contact_name, case.contact_phone) == (
        world.category,
        "东湖路3号楼",
        "李阿姨",
        "13812345678",
    )
    assert case.publish_consent is True and case.idempotency_key


def test_deputy_without_a_grid_files_at_the_stations_place(client, world):
    deputy = deputy_create(name="赵代表", station=world.station2)
    post(client, deputy)
    case = Case.objects.get()
    assert (case.place, case.station, case.deputy) == (world.community2, world.station2, deputy)


def test_station_code_submission_files_at_the_stations_place(client, world):
    post(client, world.station2)
    case = Case.objects.get()
    assert (case.channel, case.place, case.station, case.deputy) == (
        Channel.STATION_QR,
        world.community2,
        world.station2,
        None,
    )
    assert case.publish_consent is False and case.category is None and case.contact_phone == ""


def test_receipt_shows_the_formatted_tracking_code_and_advice(client, world):
    response = post(client, world.station1)
    page = client.get(response["Location"]).content.decode()
    case = Case.objects.get()
    assert (
        f'Your tracking code is <strong class="tracking-code">{format_tracking_code(case.tracking_code)}</strong>'
        in page
    )
    assert "take a screenshot" in page and f"/t/{case.tracking_code}" in page


def test_photos_are_stored_without_exif_or_gps(client, world, make_jpeg):
    original = make_jpeg(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo really has GPS
    response = post(client, world.station1, photos=[upload("a.jpg", original), upload("b.jpg", make_jpeg())])
    assert response.status_code == 302
    photos = CasePhoto.objects.filter(case=Case.objects.get())
    assert photos.count() == 2
    for photo in photos:
        content = photo.image.open("rb").read()
        stored = Image.open(io.BytesIO(content))
        assert stored.format == "JPEG" and not stored.getexif() and b"Exif" not in content
        assert not photo.public


def test_png_and_webp_photos_are_accepted(client, world):
    files = []
    for fmt in ("PNG", "WEBP"):
        buffer = io.BytesIO()
        Image.new("RGBA", (20, 20), (0, 0, 255, 128)).save(buffer, format=fmt)
        files.append(upload(f"x.{fmt.lower()}", buffer.getvalue(), f"image/{fmt.lower()}"))
    assert post(client, world.station1, photos=files).status_code == 302
    assert CasePhoto.objects.count() == 2


# --- idempotency --------------------------------------------------------------------------


def test_the_same_form_sent_twice_creates_one_case(client, world):
    key = key_of(client.get(form_url(world.deputy)))
    first = client.post(form_url(world.deputy), {"text": TEXT, "idempotency_key": key})
    second = client.post(form_url(world.deputy), {"text": TEXT, "idempotency_key": key})
    assert Case.objects.count() == 1
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]


def test_two_different_forms_create_two_cases(client, world):
    post(client, world.deputy)
    post(client, world.deputy)
    assert Case.objects.count() == 2


def test_a_key_from_another_channel_cannot_fetch_its_case(client, world):
    other = world.opinion(idempotency_key="0" * 32)
    response = client.post(form_url(world.station1), {"text": TEXT, "idempotency_key": "0" * 32})
    assert response.status_code == 302 and other.tracking_code not in response["Location"]
    assert Case.objects.count() == 2


def test_a_post_without_a_key_is_still_saved(client, world):
    response = client.post(form_url(world.station1), {"text": TEXT})
    assert response.status_code == 302 and Case.objects.count() == 1


# --- phone numbers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+8613812345678",
        "0086-13812345678",
        "（138）12345678",
        "１３８１２３４５６７８",
    ],
)
def test_mainland_mobile_numbers_are_normalised(typed):
    assert normalize_mobile(typed) == "13812345678"


@pytest.mark.parametrize(
    "typed", ["1381234567", "138123456789", "12812345678", "23812345678", "010-12345678", "+1 138 1234 5678", "abc"]
)
def test_other_numbers_are_refused(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        normalize_mobile(typed)


def test_the_promised_reply_time_follows_the_default_rule(client, world):
    from lianxin.cases.models import SlaRule

    SlaRule.objects.create(hours=72)
    assert "within 72 hours" in client.get(f"/q/{world.deputy.qr_token}").content.decode()
    assert "within 72 hours" in client.get("/").content.decode()
