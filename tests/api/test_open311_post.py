"""POST requests.json: a registered app's request becomes a case in the same workflow as a
QR submission; every refusal is a spec error; the public view never shows who sent it."""

import json

import pytest
from django.test import Client

from lianxin.api.models import ApiClient
from lianxin.cases.models import Case, Channel
from lianxin.cases.selectors import Queue, case_list_for_user, queue_filter
from lianxin.core import clock
from lianxin.core.codes import format_tracking_code
from lianxin.places.services import place_create

from .conftest import BASE, last_word, parse_xml, post_form

pytestmark = pytest.mark.django_db


def _error(response, status: int) -> str:
    assert response.status_code == status
    [error] = response.json()
    assert error["code"] == status
    return error["description"]


def test_a_posted_request_enters_the_district_offices_triage_queue(client, world, api_key, new_request):
    response = post_form(client, {"api_key": api_key, **new_request})
    assert response.status_code == 200
    [created] = response.json()
    case = Case.objects.get(pk=created["service_request_id"])
    assert (case.channel, case.client_name, case.place, case.category) == (
        Channel.OPEN311,
        "Citizen App",
        world.district,
        world.category,
    )
    assert (str(case.latitude), str(case.longitude), case.address) == ("30.123456", "120.654321", "东湖社区3号楼门口")
    office = world.district_office
    triage = case_list_for_user(office).filter(queue_filter(Queue.TRIAGE, user=office, now=clock.now()))
    assert case in triage
    assert case.events.get().action == "submit"


def test_the_answer_has_a_string_id_a_token_and_the_tracking_code_in_the_notice(client, world, api_key, new_request):
    [created] = post_form(client, {"api_key": api_key, **new_request}).json()
    case = Case.objects.get()
    assert created["service_request_id"] == str(case.pk)
    assert isinstance(created["token"], str) and created["token"]
    assert format_tracking_code(case.tracking_code) in created["service_notice"]
    assert created["account_id"] is None


def test_the_xml_answer_is_service_requests_of_one_request(client, world, api_key, new_request):
    root = parse_xml(post_form(client, {"api_key": api_key, **new_request}, fmt="xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.find("service_request_id").text == str(Case.objects.get().pk)
    assert request.find("account_id") is not None


def test_the_token_leads_to_the_request_id(client, world, api_key, new_request):
    [created] = post_form(client, {"api_key": api_key, **new_request}).json()
    found = client.get(f"{BASE}/tokens/{created['token']}.json").json()
    assert found == [{"service_request_id": created["service_request_id"], "token": created["token"]}]
    root = parse_xml(client.get(f"{BASE}/tokens/{created['token']}.xml"))
    assert root.find("request/service_request_id").text == created["service_request_id"]
    assert client.get(f"{BASE}/tokens/nosuchtoken.json").status_code == 404


# --- refusals -------------------------------------------------------------------------------


def test_posting_without_an_api_key_is_refused_with_403(client, world, new_request):
    _error(post_form(client, new_request), 403)
    assert not Case.objects.exists()


def test_a_wrong_or_revoked_api_key_is_refused_with_403(client, world, api_key, new_request):
    _error(post_form(client, {"api_key": api_key + "x", **new_request}), 403)
    last_word("open311_key", "--revoke", "Citizen App")
    _error(post_form(client, {"api_key": api_key, **new_request}), 403)
    root = parse_xml(post_form(client, {"api_key": api_key, **new_request}, fmt="xml"))
    assert root.tag == "errors" and root.find("error/code").text == "403"
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"service_code": ""}, 400),
        ({"service_code": "no_such_service"}, 404),
        ({"description": ""}, 400),
        ({"description": "路灯坏"}, 400),  # our rule: at least 5 characters
        ({"description": "长" * 2001}, 400),  # and at most 2000
        ({"lat": "", "long": "", "address_string": ""}, 400),  # no location at all
        ({"long": ""}, 400),  # lat without long
        ({"lat": "91"}, 400),
        ({"lat": "north"}, 400),
        ({"long": "NaN"}, 400),
        ({"email": "not-an-email"}, 400),
        ({"phone": "1" * 21}, 400),
        ({"jurisdiction_id": "nowhere.gov"}, 404),
    ],
)
def test_invalid_requests_are_refused_with_the_spec_status(client, world, api_key, new_request, change, status):
    assert _error(post_form(client, {"api_key": api_key, **new_request, **change}), status)
    assert not Case.objects.exists()


def test_an_address_alone_or_coordinates_alone_are_a_location(client, world, api_key, new_request):
    only_address = {**new_request, "lat": "", "long": ""}
    only_point = {**new_request, "address_string": ""}
    only_address_id = {**new_request, "lat": "", "long": "", "address_string": "", "address_id": "A-1001"}
    for data in (only_address, only_point, only_address_id):
        assert post_form(client, {"api_key": api_key, **data}).status_code == 200
    assert Case.objects.count() == 3


def test_with_several_districts_the_jurisdiction_id_chooses_one(client, world, api_key, new_request):
    other = place_create(code="d2", name="另一个区")
    _error(post_form(client, {"api_key": api_key, **new_request}), 400)
    post_form(client, {"api_key": api_key, "jurisdiction_id": "d2", **new_request})
    assert Case.objects.get().place == other


# --- retries, formats, transports -----------------------------------------------------------


def test_the_same_idempotency_key_twice_gives_one_case(client, world, api_key, new_request):
    data = {"api_key": api_key, **new_request}
    first = post_form(client, data, **{"Idempotency-Key": "retry-1"}).json()
    again = post_form(client, data, **{"Idempotency-Key": "retry-1"}).json()
    assert first == again
    assert Case.objects.count() == 1
    post_form(client, data, **{"Idempotency-Key": "retry-2"})
    assert Case.objects.count() == 2


def test_idempotency_keys_are_scoped_per_app(client, world, api_key, new_request):
    other_key = last_word("open311_key", "Other App")
    post_form(client, {"api_key": api_key, **new_request}, **{"Idempotency-Key": "same"})
    post_form(client, {"api_key": other_key, **new_request}, **{"Idempotency-Key": "same"})
    assert sorted(Case.objects.values_list("client_name", flat=True)) == ["Citizen App", "Other App"]


def test_json_bodies_multipart_forms_and_a_key_in_the_query_are_accepted(world, api_key, new_request):
    client = Client(enforce_csrf_checks=True)  # an app has no CSRF cookie: the api_key authenticates
    as_json = client.post(f"{BASE}/requests.json", json.dumps({"api_key": api_key, **new_request}),
                          content_type="application/json")  # fmt: skip
    multipart = client.post(f"{BASE}/requests.json", {"api_key": api_key, **new_request})
    key_in_query = client.post(f"{BASE}/requests.json?api_key={api_key}", new_request)
    assert [r.status_code for r in (as_json, multipart, key_in_query)] == [200, 200, 200]
    assert Case.objects.count() == 3


def test_a_broken_json_body_is_a_400_error(client, world, api_key):
    assert _error(client.post(f"{BASE}/requests.json", "{oops", content_type="application/json"), 400)
    assert _error(client.post(f"{BASE}/requests.json", "[1, 2]", content_type="application/json"), 400)


def test_an_app_posting_too_fast_is_told_to_wait(client, world, api_key, new_request, settings):
    settings.OPEN311_POSTS_PER_HOUR = 1
    data = {"api_key": api_key, **new_request}
    assert post_form(client, data, **{"Idempotency-Key": "k1"}).status_code == 200
    _error(post_form(client, data), 429)
    # A retry of the request already accepted is not a new request: it still answers.
    assert post_form(client, data, **{"Idempotency-Key": "k1"}).status_code == 200
    assert Case.objects.count() == 1


# --- privacy --------------------------------------------------------------------------------


def test_public_views_never_show_the_submitters_name_phone_or_email(client, world, api_key, new_request):
    personal = {"first_name": "小明", "last_name": "王", "phone": "13812345678", "email": "wang.xm@example.org"}
    description = "我是王小明，电话13812345678，邮箱wang.xm@example.org，身份证110101199003071234。路灯坏了。"
    [created] = post_form(client, {"api_key": api_key, **new_request, **personal, "description": description}).json()
    case = Case.objects.get()
    assert (case.contact_name, case.contact_phone, case.contact_email) == (
        "王小明",
        "13812345678",
        "wang.xm@example.org",
    )
    request_id = created["service_request_id"]
    bodies = [client.get(f"{BASE}/requests.{fmt}").content.decode() for fmt in ("json", "xml")] + [
        client.get(f"{BASE}/requests/{request_id}.{fmt}").content.decode() for fmt in ("json", "xml")
    ]
    for body in bodies:
        assert "路灯坏了" in body  # the request itself is there…
        for secret in ("小明", "13812345678", "wang.xm@example.org", "110101199003071234"):
            assert secret not in body  # …but nobody's personal data
    assert case.tracking_code not in "".join(bodies)  # the resident's key to rate stays private


def test_control_characters_do_not_break_the_xml(client, world, api_key, new_request):
    post_form(client, {"api_key": api_key, **new_request, "description": "路灯坏了\x07，请尽快修理。"})
    root = parse_xml(client.get(f"{BASE}/requests.xml"))
    assert root.find("request/description").text == "路灯坏了，请尽快修理。"


def test_only_a_hash_of_the_key_is_stored(world, api_key):
    app = ApiClient.objects.get(name="Citizen App")
    assert api_key not in (app.key_hash, app.key_prefix) and len(app.key_hash) == 64
    assert api_key.startswith(app.key_prefix)


def test_nul_characters_are_refused_not_a_server_error(client, world, api_key, new_request):
    _error(post_form(client, {"api_key": api_key, **new_request, "description": "路灯坏了\x00很久了"}), 400)
    _error(client.get(f"{BASE}/requests.json", {"service_code": "a\x00b"}), 400)
    _error(client.get(f"{BASE}/tokens/a%00b.json"), 400)
    assert not Case.objects.exists()
