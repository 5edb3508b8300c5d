"""Helpers for the API contract tests: a registered Open311 app and spec-style calls."""

from io import StringIO
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command

BASE = "/open311/v2"


def last_word(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue().split()[-1]


def post_form(client, data: dict, *, fmt: str = "json", **headers):
    """POST as the spec says: application/x-www-form-urlencoded; charset=utf-8."""
    return client.post(
        f"{BASE}/requests.{fmt}",
        data=urlencode(data),
        content_type="application/x-www-form-urlencoded; charset=utf-8",
        headers=headers,
    )


def parse_xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    body = response.content.decode("utf-8")
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 (our own output)


@pytest.fixture
def api_key(world) -> str:
    return last_word("open311_key", "Citizen App")


@pytest.fixture
def new_request(world) -> dict:
    return {
        "service_code": world.category.code,
        "lat": "30.123456",
        "long": "120.654321",
        "address_string": "东湖社区3号楼门口",
        "description": "小区门口的路灯坏了三个月，晚上出行很不方便。",
    }
