"""The report as an A4 PDF (WeasyPrint), in the posters' way: Noto CJK from fontconfig,
embedded in the file; charts as data: URIs; no URL is ever fetched."""

import base64

from django.template.loader import render_to_string
from django.utils.translation import get_language
from weasyprint import HTML

from lianxin.deputies.posters import PosterFetcher

from .document import Bullets, Chart, Document, Paragraph, Table

TEMPLATE = "reports/report_pdf.html"


def render_pdf(document: Document) -> bytes:
    sections = [{"heading": s.heading, "blocks": [_block(b) for b in s.blocks]} for s in document.sections]
    html = render_to_string(TEMPLATE, {"doc": document, "sections": sections, "lang": get_language()})
    return HTML(string=html, url_fetcher=PosterFetcher()).write_pdf()


def _block(block) -> dict:
    match block:
        case Paragraph(text=text):
            return {"kind": "p", "text": text}
        case Bullets(items=items):
            return {"kind": "ul", "items": items}
        case Table():
            return {"kind": "table", "table": block}
        case Chart(caption=caption, png=png, width_mm=width):
            uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            return {"kind": "chart", "caption": caption, "uri": uri, "width": width}
    raise TypeError(f"Unknown block {block!r}")
