"""The result sheet as an A4 PDF (WeasyPrint, Noto CJK), the form a congress stamps:
title, date, electors, present, ballots cast, valid, per candidate for/against/abstain,
adopted or not, ties and shortfalls stated, signature lines for the tellers and the chair."""

from django.template.loader import render_to_string
from django.utils.translation import get_language
from weasyprint import HTML

from lianxin.deputies.posters import PosterFetcher

from .selectors import Results

TEMPLATE = "ballots/result_sheet_pdf.html"


def result_sheet_context(results: Results) -> dict:
    return {
        "ballot": results.ballot,
        "results": results,
        "tied_names": "、".join(row.label for row in results.tied),
        "lang": get_language(),
    }


def result_sheet(results: Results) -> bytes:
    html = render_to_string(TEMPLATE, result_sheet_context(results))
    return HTML(string=html, url_fetcher=PosterFetcher()).write_pdf()
