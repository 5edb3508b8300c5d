"""The report as a Word file (python-docx). Every run gets the East Asian font (w:eastAsia),
or Word shows Chinese in a fallback face; charts are the same PNGs as in the PDF."""

import io

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .document import Bullets, Chart, Document, Paragraph, Table

SANS, SERIF = "Noto Sans CJK SC", "Noto Serif CJK SC"
RED = RGBColor(0xC8, 0x16, 0x1D)


def render_docx(document: Document) -> bytes:
    word = WordDocument()
    _page(word)
    _styles(word)
    _heading(word, document)
    for section in document.sections:
        _text(word.add_paragraph(style="Heading 2"), section.heading, font=SANS)
        for block in section.blocks:
            _block(word, block)
    _footer(word, document.footer)
    _properties(word, document)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _properties(word, document: Document) -> None:
    # python-docx's template would name itself as the author.
    properties = word.core_properties
    properties.title, properties.author, properties.last_modified_by = document.title, document.issuer, ""
    properties.comments = ""


def _page(word) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)


def _styles(word) -> None:
    for name, font, size in (("Normal", SERIF, 10.5), ("Heading 2", SANS, 13), ("List Bullet", SERIF, 10.5)):
        style = word.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        _east_asian(style.element.get_or_add_rPr(), font)


def _east_asian(rpr, font: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), font)


def _text(paragraph, text: str, *, font: str = SERIF, size: float | None = None, bold: bool = False, color=None):
    run = paragraph.add_run(text)
    run.font.name = font
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    _east_asian(run._element.get_or_add_rPr(), font)
    return run


def _heading(word, document: Document) -> None:
    issuer = word.add_paragraph()
    issuer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _text(issuer, document.issuer, font=SANS, size=15, bold=True, color=RED)
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _text(title, document.title, font=SANS, size=17, bold=True)
    for line in (document.subtitle, document.date_line):
        p = word.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _text(p, line, font=SANS, size=9.5)
    summary = word.add_paragraph()
    _text(summary, document.summary, bold=True)


def _block(word, block) -> None:
    match block:
        case Paragraph(text=text):
            _text(word.add_paragraph(), text)
        case Bullets(items=items):
            for item in items:
                _text(word.add_paragraph(style="List Bullet"), item)
        case Table():
            _table(word, block)
        case Chart(caption=caption, png=png, width_mm=width):
            picture = word.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(io.BytesIO(png), width=Mm(width))
            label = word.add_paragraph()
            label.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _text(label, caption, font=SANS, size=8.5)


def _table(word, block: Table) -> None:
    _text(word.add_paragraph(), block.caption, font=SANS, size=9, bold=True)
    table = word.add_table(rows=1 + len(block.rows), cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate([block.headers, *block.rows]):
        for c, value in enumerate(row):
            paragraph = table.cell(r, c).paragraphs[0]
            if c in block.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _text(paragraph, value, font=SANS, size=8.5, bold=r == 0)
    word.add_paragraph()


def _footer(word, text: str) -> None:
    paragraph = word.sections[0].footer.paragraphs[0]
    _text(paragraph, text, font=SANS, size=8)
