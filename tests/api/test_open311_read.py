"""GeoReport v2 read endpoints, written from the spec (wiki.open311.org/GeoReport_v2):
discovery, services, a service definition, requests with their filters, and errors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lianxin.cases.services import case_resolve_on_spot
from lianxin.places.models import Category
from lianxin.places.services import place_create

from .conftest import BASE, parse_xml, post_form

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]  # fmt: skip
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]


def _errors(response, status: int) -> list[dict]:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, list) and body
    for error in body:
        assert set(error) == {"code", "description"}
        assert error["code"] == status and error["description"]
    return body


# --- discovery ------------------------------------------------------------------------------


def test_discovery_names_the_georeport_v2_endpoint_and_its_formats(client, world):
    body = client.get(f"{BASE}/discovery.json").json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert "+08:00" in endpoint["changeset"]


def test_discovery_xml_wraps_lists_in_the_spec_elements(client, world):
    root = parse_xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    formats = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert formats == ["text/xml", "application/json"]


# --- services -------------------------------------------------------------------------------


def test_services_lists_every_active_category_with_the_spec_fields(client, world):
    assert Category.objects.filter(code="fire_safety").update(active=False) == 1
    services = client.get(f"{BASE}/services.json").json()
    active = set(Category.objects.filter(active=True).values_list("code", flat=True))
    assert {s["service_code"] for s in services} == active
    assert "fire_safety" not in active and len(active) > 1
    for service in services:
        assert list(service) == SERVICE_FIELDS
        assert service["metadata"] is False
        assert service["type"] == "realtime"
        assert isinstance(service["service_code"], str)


def test_service_names_follow_the_requested_language_chinese_by_default(client, world):
    def name(**kwargs) -> str:
        services = client.get(f"{BASE}/services.json", **kwargs).json()
        return next(s["service_name"] for s in services if s["service_code"] == world.category.code)

    assert name() == world.category.name_zh
    assert name(HTTP_ACCEPT_LANGUAGE="en") == world.category.name_en
    assert name(data={"locale": "en_US"}) == world.category.name_en


def test_services_xml_is_services_of_service_elements(client, world):
    root = parse_xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    first = root.find("service")
    assert [child.tag for child in first] == SERVICE_FIELDS
    assert first.find("metadata").text == "false"


def test_the_default_format_is_xml(client, world):
    assert parse_xml(client.get(f"{BASE}/services")).tag == "services"


def test_service_definition_has_no_attributes_since_metadata_is_false(client, world):
    code = world.category.code
    assert client.get(f"{BASE}/services/{code}.json").json() == {"service_code": code, "attributes": []}
    root = parse_xml(client.get(f"{BASE}/services/{code}.xml"))
    assert root.tag == "service_definition"
    assert root.find("service_code").text == code
    assert root.find("attributes") is not None


def test_unknown_service_definition_is_a_404_error(client, world):
    _errors(client.get(f"{BASE}/services/no_such_thing.json"), 404)
    root = parse_xml(client.get(f"{BASE}/services/no_such_thing.xml"))
    assert root.tag == "errors"
    assert root.find("error/code").text == "404"
    assert root.find("error/description").text


def test_unknown_jurisdiction_is_a_404_error(client, world):
    _errors(client.get(f"{BASE}/services.json", {"jurisdiction_id": "nowhere.gov"}), 404)
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": world.district.code}).status_code == 200


def test_unsupported_format_and_method_are_errors_not_pages(client, world):
    assert client.get(f"{BASE}/services.csv").status_code == 404
    response = client.delete(f"{BASE}/requests.json")
    _errors(response, 405)
    assert "POST" in response["Allow"]
    _errors(client.get(f"{BASE}/nothing-here.json"), 404)


# --- GET requests ---------------------------------------------------------------------------


@pytest.fixture
def posted(client, world, api_key, new_request) -> str:
    response = post_form(client, {"api_key": api_key, **new_request})
    assert response.status_code == 200
    return response.json()[0]["service_request_id"]


def test_a_request_has_every_spec_field_with_string_ids_and_w3c_times(client, world, posted):
    [record] = client.get(f"{BASE}/requests/{posted}.json").json()
    assert list(record) == REQUEST_FIELDS
    assert record["service_request_id"] == posted and isinstance(posted, str)
    assert record["status"] == "open"
    assert record["service_code"] == world.category.code
    assert record["service_name"] == world.category.name_zh
    assert record["address"] == "东湖社区3号楼门口"
    assert (record["lat"], record["long"]) == (30.123456, 120.654321)
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert record[field].endswith("+08:00"), field


def test_requests_xml_is_service_requests_of_request_elements(client, world, posted):
    root = parse_xml(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert request.find("service_request_id").text == posted
    root = parse_xml(client.get(f"{BASE}/requests/{posted}.xml"))
    assert root.find("request/service_request_id").text == posted


def test_unknown_request_id_is_a_404_error(client, world, posted):
    _errors(client.get(f"{BASE}/requests/999999.json"), 404)
    _errors(client.get(f"{BASE}/requests/not-a-number.json"), 404)
    _errors(client.get(f"{BASE}/requests/99999999999999999999999999.json"), 404)


def test_a_qr_opinion_without_publication_consent_is_not_public(client, world, posted):
    private = world.opinion()
    ids = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    assert ids == [posted]
    _errors(client.get(f"{BASE}/requests/{private.pk}.json"), 404)


def test_an_answered_opinion_with_consent_is_public_and_closed_with_its_notes(client, world):
    case = world.opinion(publish_consent=True)
    case_resolve_on_spot(case=case, actor=world.office1, reason="已现场修复路灯，谢谢您的反映。")
    [record] = client.get(f"{BASE}/requests/{case.pk}.json").json()
    assert record["status"] == "closed"
    assert record["status_notes"] == "已现场修复路灯，谢谢您的反映。"
    assert [r["service_request_id"] for r in client.get(f"{BASE}/requests.json", {"status": "closed"}).json()] == [
        str(case.pk)
    ]


def test_requests_filter_by_status_and_service_code(client, world, posted):
    assert len(client.get(f"{BASE}/requests.json", {"status": "open"}).json()) == 1
    assert client.get(f"{BASE}/requests.json", {"status": "closed"}).json() == []
    assert len(client.get(f"{BASE}/requests.json", {"status": "open,closed"}).json()) == 1
    code = world.category.code
    assert len(client.get(f"{BASE}/requests.json", {"service_code": f"{code},other"}).json()) == 1
    assert client.get(f"{BASE}/requests.json", {"service_code": "other,environment"}).json() == []


def test_service_request_id_list_overrides_the_other_filters(client, world, api_key, new_request, posted):
    second = post_form(client, {"api_key": api_key, **new_request}).json()[0]["service_request_id"]
    found = client.get(f"{BASE}/requests.json", {"service_request_id": f"{posted},{second}", "status": "closed"})
    assert sorted(r["service_request_id"] for r in found.json()) == sorted([posted, second])


def test_requests_filter_by_w3c_date_range(client, world, posted):
    now = timezone.localtime()
    window = {"start_date": (now - timedelta(days=1)).isoformat(), "end_date": (now + timedelta(days=1)).isoformat()}
    assert len(client.get(f"{BASE}/requests.json", window).json()) == 1
    before = {"start_date": "2010-01-01T00:00:00Z", "end_date": "2010-02-01T00:00:00Z"}
    assert client.get(f"{BASE}/requests.json", before).json() == []
    # A "+" left unencoded in a query string arrives as a space; still understood.
    raw = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S") + " 08:00"
    assert len(client.get(f"{BASE}/requests.json", {"start_date": raw}).json()) == 1


def test_by_default_requests_cover_the_last_90_days(client, world, posted):
    from lianxin.cases.models import Case

    Case.objects.filter(pk=posted).update(created_at=timezone.now() - timedelta(days=91))
    assert client.get(f"{BASE}/requests.json").json() == []


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"end_date": "2024-13-45T00:00:00Z"},
        {"start_date": "2024-03-01T00:00:00Z", "end_date": "2024-01-01T00:00:00Z"},
        {"start_date": "2024-01-01T00:00:00Z", "end_date": "2024-06-01T00:00:00Z"},  # over 90 days
        {"status": "pending"},
        {"start_date": "0001-01-01T00:00:00+08:00"},
        {"end_date": "0001-01-01"},
    ],
)
def test_bad_request_filters_are_400_errors(client, world, params):
    _errors(client.get(f"{BASE}/requests.json", params), 400)
    root = parse_xml(client.get(f"{BASE}/requests.xml", params))
    assert root.tag == "errors" and root.find("error/code").text == "400"


def test_with_two_districts_a_jurisdiction_filters_requests(client, world, posted):
    other = place_create(code="d2", name="另一个区")
    assert len(client.get(f"{BASE}/requests.json", {"jurisdiction_id": world.district.code}).json()) == 1
    assert client.get(f"{BASE}/requests.json", {"jurisdiction_id": other.code}).json() == []
    _errors(client.get(f"{BASE}/requests/{posted}.json", {"jurisdiction_id": other.code}), 404)


def test_listing_requests_costs_a_fixed_number_of_queries(client, world, api_key, new_request, posted,
                                                          django_assert_max_num_queries):  # fmt: skip
    for _ in range(3):
        post_form(client, {"api_key": api_key, **new_request})
    with django_assert_max_num_queries(1):
        assert len(client.get(f"{BASE}/requests.json").json()) == 4
