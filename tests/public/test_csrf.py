"""An expired intake page (or a cookie WeChat blocked) keeps what the resident typed."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lianxin.cases.models import Case

TEXT = "小区门口路灯坏了三个月，晚上出行很不方便。"


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True, headers={"accept-language": "en"})


def test_intake_post_failing_csrf_is_shown_again_with_the_text(world):
    client = csrf_client()
    data = {
        "text": TEXT,
        "category": str(world.category.pk),
        "address": "东湖路3号楼",
        "contact_name": "李阿姨",
        "contact_phone": "138 1234 5678",
        "publish_consent": "on",
        "idempotency_key": "a" * 32,
        "csrfmiddlewaretoken": "expired-token-from-yesterday",
    }
    response = client.post(f"/q/{world.deputy.qr_token}", data)
    page = response.content.decode()
    assert response.status_code == 403
    assert "Your opinion has not been sent yet." in page and "Open in browser" in page
    assert TEXT in page and "东湖路3号楼" in page and "李阿姨" in page and "138 1234 5678" in page
    assert re.search(rf'<option value="{world.category.pk}" selected>', page)
    assert re.search(r'name="publish_consent"[^>]*checked', page)
    assert f'value="{"a" * 32}"' in page  # the same key: a later success still counts once
    assert Case.objects.count() == 0


def test_the_fresh_form_after_a_csrf_failure_can_be_sent(world):
    client = csrf_client()
    response = client.post(f"/q/{world.station1.qr_token}", {"text": TEXT})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()).group(1)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', response.content.decode()).group(1)
    retry = client.post(
        f"/q/{world.station1.qr_token}", {"text": TEXT, "idempotency_key": key, "csrfmiddlewaretoken": token}
    )
    assert retry.status_code == 302 and Case.objects.count() == 1


def test_csrf_failure_with_photos_asks_to_attach_them_again(world):
    photo = SimpleUploadedFile("a.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    response = csrf_client().post(f"/q/{world.station1.qr_token}", {"text": TEXT, "photos": [photo]})
    assert response.status_code == 403
    assert "please attach them again" in response.content.decode()


def test_csrf_failure_on_an_unknown_code_is_a_404(world):
    response = csrf_client().post("/q/DXXXXXX", {"text": TEXT})
    assert response.status_code == 404 and Case.objects.count() == 0


def test_csrf_failure_elsewhere_keeps_the_generic_page(world, replied):
    response = csrf_client().post(f"/t/{replied.tracking_code}/rate", {"stars": "5"})
    assert response.status_code == 403 and "This page has expired" in response.content.decode()
