"""GeoReport v2 responses in JSON or XML, with the spec's element names.

XML is the spec's default format: `<services><service>…`, `<service_requests><request>…`,
`<errors><error><code/><description/></error></errors>`; lists inside a record are
wrapped the same way (`<endpoints><endpoint>`, `<formats><format>`)."""

import json
import re
from xml.etree import ElementTree as ET

from django.http import HttpResponse

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
MIME_TYPES = ["text/xml", "application/json"]  # as listed in discovery
DEFAULT_FORMAT = "xml"

# Collection name → element name of one item, for top-level lists and nested ones.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
# Characters XML 1.0 cannot carry, even escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_ILLEGAL.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, item_name), child)
    else:
        element.text = _text(value)


def to_xml(data, root: str) -> str:
    element = ET.Element(root)
    _fill(element, data)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="unicode")


def render(data, fmt: str, *, root: str, status: int = 200) -> HttpResponse:
    """`root` names the XML document element; JSON sends the data as it is."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False)
    else:
        fmt, body = "xml", to_xml(data, root)
    return HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[fmt])
