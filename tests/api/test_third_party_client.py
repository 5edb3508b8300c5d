"""Open311 with clients we did not write.

Reads go through `georeport` (a published GeoReport v2 client library) in both of its
formats, JSON and XML, against the live server. The POST is sent with `requests` in the
shape FixMyStreet's Open311 module uses (form-encoded, jurisdiction_id and api_key, names
and email split, `attribute[...]` fields for service definitions), since no maintained
Python client can create requests.
"""

import pytest
import requests
from georeport import GeoReport

from lianxin.cases.models import Case
from lianxin.places.models import Category

from .conftest import last_word

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def endpoint(live_server, live_world) -> str:
    return f"{live_server.url}/open311/v2"


def post_like_fixmystreet(endpoint: str, api_key: str, service_code: str) -> list[dict]:
    response = requests.post(
        f"{endpoint}/requests.json",
        data={
            "jurisdiction_id": "",
            "api_key": api_key,
            "service_code": service_code,
            "lat": "30.274085",
            "long": "120.155070",
            "address_string": "东湖社区3号楼门口",
            "email": "resident@example.org",
            "first_name": "李",
            "last_name": "阿姨",
            "phone": "13812345678",
            "description": "小区东门路灯坏了三个月，晚上老人出门很不安全。",
            "media_url": "",
            "attribute[report_url]": "https://fixmystreet.example/report/42",
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_a_third_party_client_reads_what_it_posted(endpoint, live_world, output_format):
    api_key = last_word("open311_key", "FixMyStreet bridge")
    [created] = post_like_fixmystreet(endpoint, api_key, live_world.category.code)
    request_id = created["service_request_id"]
    assert isinstance(request_id, str) and Case.objects.filter(pk=int(request_id)).exists()

    client = GeoReport(endpoint, output_format=output_format)
    services = client.get_service_list()
    codes = {service["service_code"] for service in services}
    assert codes == set(Category.objects.filter(active=True).values_list("code", flat=True))

    definition = client.get_service_definition(live_world.category.code)
    assert definition["service_code"] == live_world.category.code

    listed = client.get_service_requests(service_request_id=request_id)
    listed = listed if isinstance(listed, list) else [listed]
    assert [r["service_request_id"] for r in listed] == [request_id]

    one = client.get_service_request(request_id)
    assert one["service_request_id"] == request_id
    assert one["status"] == "open"
    assert one["service_code"] == live_world.category.code
    shown = str(one)
    assert "13812345678" not in shown and "阿姨" not in shown and "resident@example.org" not in shown
