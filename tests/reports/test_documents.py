"""A generated report: real figures in, a PDF with embedded CJK fonts and a Word file out,
with no resident's name, phone number or door in either."""

import io
import shutil
import subprocess

import docx
import pytest
from django.utils import translation

from lianxin.reports.compose import compose
from lianxin.reports.pdf import render_pdf
from lianxin.reports.selectors import report_figures
from lianxin.reports.word import render_docx
from tests.reports.conftest import Q1, SECRETS

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@pytest.fixture
def documents(report_history, at_now, tmp_path):
    town = report_history.world.town1
    with translation.override("zh-hans"):
        document = compose(report_figures(town, Q1))
        pdf, word = render_pdf(document), render_docx(document)
    (tmp_path / "report.pdf").write_bytes(pdf)
    return document, tmp_path / "report.pdf", word


def _word_text(data: bytes) -> str:
    opened = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in opened.tables for row in table.rows for cell in row.cells]
    footer = [p.text for p in opened.sections[0].footer.paragraphs]
    return "\n".join([p.text for p in opened.paragraphs] + cells + footer)


def test_figures_of_the_quarter_come_from_the_cockpit(report_history, at_now):
    figures = report_figures(report_history.world.town1, Q1)
    assert figures.current["totals"]["received"] == 7  # A B C D of 10 March, and the three residents
    assert figures.previous["totals"]["received"] == 0
    assert [r["name"] for r in figures.departments] == [report_history.world.dept_a.name]
    assert figures.hot and figures.hot[0]["opinions"] == 2


def test_the_text_covers_every_section_and_quotes_without_personal_data(documents):
    document, _pdf, _word = documents
    text = "\n".join(str(b) for s in document.sections for b in s.blocks)
    assert "路灯" in text  # the hot issue's quote
    for secret in SECRETS:
        assert secret not in text, secret
    assert len(document.sections) == 9


@needs_poppler
def test_pdf_embeds_its_cjk_fonts(documents):
    _document, pdf, _word = documents
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk), fonts  # emb column


@needs_poppler
def test_pdf_text_has_no_personal_data(documents):
    _document, pdf, _word = documents
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "东湖街道" in text
    for secret in SECRETS:
        assert secret not in text, secret


def test_word_file_opens_and_has_no_personal_data(documents):
    document, _pdf, word = documents
    text = _word_text(word)
    assert document.title in text
    assert "东湖街道" in text
    for secret in SECRETS:
        assert secret not in text, secret
    opened = docx.Document(io.BytesIO(word))
    assert len(opened.inline_shapes) >= 3  # the charts
    east_asian = (
        opened.paragraphs[0]
        .runs[0]
        ._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    )
    assert east_asian == "Noto Sans CJK SC"


def test_a_place_without_cases_makes_a_short_honest_report(world, at_now):
    with translation.override("en"):
        document = compose(report_figures(world.town2, Q1))
        pdf = render_pdf(document)
    assert document.summary == "No opinion was received this quarter, nor the previous quarter."
    assert pdf.startswith(b"%PDF")


def test_word_file_properties_name_the_office_not_a_library(documents):
    document, _pdf, word = documents
    properties = docx.Document(io.BytesIO(word)).core_properties
    assert (properties.title, properties.author) == (document.title, document.issuer)
